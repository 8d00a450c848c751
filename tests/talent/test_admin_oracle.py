"""The result-count oracle on the talent roster (issue 14, critical hole 3).

A staff member without `talent.view_personal_data` sees names and phones masked, but could
recover them from how many rows a changelist lookup, search or sort returns: about 110
requests of `?phone__startswith=…` spell out a full mobile number. These tests play the
attack and assert that it is refused, and that the permission keeps the full tools.
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from talent.models import PersonalDataAccess
from tests.talent.factories import TalentFactory

pytestmark = pytest.mark.django_db

TARGET_NAME, TARGET_PHONE = "王建国", "13812345678"
CHANGELIST = "admin:talent_talent_changelist"


def grant_personal_data(user) -> None:
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="talent", codename="view_personal_data")
    )


@pytest.fixture
def roster():
    """The target, and two others whose names sort before and after it."""
    return [
        TalentFactory(name="赵六", phone="13900000001", email="zl@example.cn"),
        TalentFactory(name=TARGET_NAME, phone=TARGET_PHONE, email="wjg@example.cn"),
        TalentFactory(name="艾一", phone="15900000002", email="ay@example.cn"),
    ]


def recover_phone(client, pk: int, length: int = 11) -> tuple[str, int]:
    """The attack: pin the record by id, then grow a phone prefix digit by digit while the
    result count says 1. Returns what was recovered and the requests it took."""
    prefix, requests = "", 0
    for _position in range(length):
        for digit in "0123456789":
            requests += 1
            response = client.get(
                reverse(CHANGELIST), {"id": pk, "phone__startswith": prefix + digit}
            )
            if response.status_code != 200:
                return prefix, requests
            if response.context["cl"].result_count == 1:
                prefix += digit
                break
        else:
            return prefix, requests
    return prefix, requests


def test_phone_cannot_be_recovered_by_prefix_lookups(roster, staff_client):
    assert recover_phone(staff_client, roster[1].pk) == ("", 1)


def test_the_attack_works_for_a_user_who_may_see_the_phone(roster, staff_user, staff_client):
    """The same probe with the permission: it recovers the number, which shows the test
    plays the real attack (and the holder could read the number anyway)."""
    grant_personal_data(staff_user)
    recovered, requests = recover_phone(staff_client, roster[1].pk)
    assert recovered == TARGET_PHONE
    assert requests <= 110


@pytest.mark.parametrize(
    "params",
    [
        {"phone__startswith": "138"},
        {"phone__contains": "1234"},
        {"phone__icontains": "5678"},
        {"phone__regex": "^138"},
        {"phone__iregex": "5678$"},
        {"phone": TARGET_PHONE},
        {"phone__exact": TARGET_PHONE},
        {"phone__gt": "138"},
        {"phone__lt": "139"},
        {"phone__in": TARGET_PHONE},
        {"phone__isnull": "False"},
        {"name__startswith": "王"},
        {"name": TARGET_NAME},
        {"name__contains": "建"},
        {"email__startswith": "wjg"},
        {"email__endswith": "example.cn"},
    ],
)
def test_personal_lookups_are_refused_without_the_permission(roster, staff_client, params):
    response = staff_client.get(reverse(CHANGELIST), params)
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"phone__startswith": "138"}, 1),
        ({"phone__regex": "^13"}, 2),
        ({"name__startswith": "王"}, 1),
        ({"q": TARGET_NAME}, 1),
    ],
)
def test_the_permission_keeps_lookups_and_search(roster, staff_user, staff_client, params, count):
    grant_personal_data(staff_user)
    response = staff_client.get(reverse(CHANGELIST), params)
    assert response.status_code == 200
    assert response.context["cl"].result_count == count
    # Every unmasked row shown is logged.
    assert PersonalDataAccess.objects.filter(user=staff_user, context="admin_list").count() == count


@pytest.mark.parametrize("term", [TARGET_NAME, "王", "138123", TARGET_PHONE, "wjg@"])
def test_search_does_not_match_personal_fields(roster, staff_client, term):
    response = staff_client.get(reverse(CHANGELIST), {"q": term})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


def _order(client, o: str) -> list[int]:
    response = client.get(reverse(CHANGELIST), {"o": o})
    assert response.status_code == 200
    return [t.pk for t in response.context["cl"].result_list]


def test_sorting_by_a_personal_column_is_ignored(roster, staff_client):
    """Each column of the list, sorted both ways: no sort follows a name, phone or e-mail."""
    response = staff_client.get(reverse(CHANGELIST))
    columns = len(response.context["cl"].list_display)
    by_pk = sorted(t.pk for t in roster)
    personal_orders = {
        tuple(t.pk for t in sorted(roster, key=lambda t: getattr(t, name)))
        for name in ("name", "phone", "email")
    }
    personal_orders |= {tuple(reversed(order)) for order in personal_orders}
    personal_orders.discard(tuple(by_pk))
    personal_orders.discard(tuple(reversed(by_pk)))
    for index in range(columns):
        for sign in ("", "-"):
            assert tuple(_order(staff_client, f"{sign}{index}")) not in personal_orders
    ordering = response.context["cl"].get_ordering(response.wsgi_request, Talent_qs())
    assert not {"name", "-name", "phone", "-phone", "email", "-email"} & set(map(str, ordering))


def Talent_qs():  # noqa: N802 - a queryset factory for the ordering assertion
    from talent.models import Talent

    return Talent.objects.all()


def test_sorting_by_name_still_works_with_the_permission(roster, staff_user, staff_client):
    grant_personal_data(staff_user)
    response = staff_client.get(reverse(CHANGELIST))
    name_column = response.context["cl"].list_display.index("name")
    expected = [t.pk for t in sorted(roster, key=lambda t: t.name)]
    assert _order(staff_client, str(name_column)) == expected


def test_roster_page_ignores_personal_filters_search_and_ordering(roster, staff_client):
    """The staff roster page filters by enterprise name only; personal parameters are not
    lookups there, so the count cannot reveal anything."""
    url = reverse("talent:talent_list")
    baseline = staff_client.get(url).context["page"].paginator.count
    assert baseline == len(roster)
    for params in (
        {"phone__startswith": "138"},
        {"name__startswith": "王"},
        {"name": TARGET_NAME},
        {"q": "138123"},
        {"q": TARGET_NAME},
        {"ordering": "phone"},
        {"sort": "-name"},
        {"o": "phone"},
    ):
        response = staff_client.get(url, params)
        assert response.status_code == 200
        page = response.context["page"]
        if "q" in params:
            assert page.paginator.count == 0, params
        else:
            assert page.paginator.count == baseline, params
            assert [t.pk for t in page.object_list] == [
                t.pk for t in staff_client.get(url).context["page"].object_list
            ]


def test_roster_import_needs_the_permission(staff_user, staff_client):
    """Its preview counts new and updated rows, and a person is identified by enterprise, name
    and phone: 10,000 guessed rows for 138****5678 would single out the number."""
    url = reverse("admin:talent_talent_import")
    assert staff_client.get(url).status_code == 403
    grant_personal_data(staff_user)
    assert staff_client.get(url).status_code == 200
