"""The enterprise picker's JSON view (enterprises:autocomplete): staff only, name or credit
code, never a personal field, a bounded list in a fixed number of queries; and the picker
widget renders only what is chosen."""

import pytest
from django.urls import reverse

from bureau.forms import ActivityQuickForm
from enterprises.selectors import PICKER_LIMIT
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
URL = reverse("enterprises:autocomplete")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("client", 302),  # anonymous: to the login page
        ("enterprise_client", 403),
        ("outsider_client", 403),
        ("leader_client", 403),  # read-only: never fills a staff form
        ("staff_client", 200),
        ("sysadmin_client", 200),
    ],
)
def test_autocomplete_access_by_role(request, persona, status):
    EnterpriseFactory(name="安徽万腾光电科技有限公司")
    response = request.getfixturevalue(persona).get(URL, {"q": "万腾"})
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/accounts/login/")
    if status == 403:
        assert b"\xe4\xb8\x87\xe8\x85\xbe" not in response.content  # no name leaks


def test_autocomplete_names_each_enterprise_with_its_credit_code(staff_client):
    a = EnterpriseFactory(name="安徽万腾光电科技有限公司")
    b = EnterpriseFactory(name="安徽万腾光电科技有限公司")
    EnterpriseFactory(name="合肥别家材料有限公司")
    results = staff_client.get(URL, {"q": "万腾"}).json()["results"]
    assert {r["id"] for r in results} == {a.pk, b.pk}
    assert {r["text"] for r in results} == {
        f"安徽万腾光电科技有限公司（{a.credit_code}）",
        f"安徽万腾光电科技有限公司（{b.credit_code}）",
    }
    by_code = staff_client.get(URL, {"q": b.credit_code[-6:].lower()}).json()["results"]
    assert [r["id"] for r in by_code] == [b.pk]


def test_autocomplete_does_not_search_personal_fields(staff_client):
    EnterpriseFactory(name="安徽甲公司", contact_person="张三丰", contact_phone="13800001111")
    for term in ("张三丰", "13800001111"):
        assert staff_client.get(URL, {"q": term}).json()["results"] == []
    body = staff_client.get(URL, {"q": "甲公司"}).content.decode()
    assert "张三丰" not in body and "1380000" not in body


def test_autocomplete_empty_term_answers_nothing(staff_client, django_assert_num_queries):
    EnterpriseFactory()
    # session, user, the user's role group, and the idle-timeout session save (savepoint,
    # update, release): no enterprise query for an empty term
    with django_assert_num_queries(6):
        assert staff_client.get(URL, {"q": "  "}).json()["results"] == []


@pytest.mark.parametrize("n", [3, PICKER_LIMIT + 15])
def test_autocomplete_query_count_is_constant_and_list_bounded(
    staff_client, django_assert_num_queries, n
):
    EnterpriseFactory.create_batch(n, name="安徽重名科技有限公司")
    # the six of every signed-in request (see above) and the enterprises: one query, whatever
    # the number of matches
    with django_assert_num_queries(7):
        results = staff_client.get(URL, {"q": "重名"}).json()["results"]
    assert len(results) == min(n, PICKER_LIMIT)


def test_picker_widget_renders_only_the_chosen_enterprises(django_assert_num_queries):
    firms = EnterpriseFactory.create_batch(30)
    blank = ActivityQuickForm()
    with django_assert_num_queries(0):
        html = str(blank["enterprises"])
    assert "<option" not in html
    assert f'data-picker="{URL}"' in html
    chosen = ActivityQuickForm(initial={"enterprises": [firms[3].pk, firms[7].pk]})
    with django_assert_num_queries(1):
        html = str(chosen["enterprises"])
    assert html.count("<option") == 2
    assert f"{firms[3].name}（{firms[3].credit_code}）" in html


def test_autocomplete_for_active_only_fields_leaves_closed_enterprises_out(staff_client):
    open_firm = EnterpriseFactory(name="安徽在营科技有限公司")
    EnterpriseFactory(name="安徽在营科技有限公司", is_active=False)
    results = staff_client.get(URL, {"q": "在营", "active": "1"}).json()["results"]
    assert [r["id"] for r in results] == [open_firm.pk]
    assert len(staff_client.get(URL, {"q": "在营"}).json()["results"]) == 2


@pytest.mark.parametrize(
    ("form_path", "field", "active_only"),
    [
        ("digital.forms.ScoredAssessmentForm", "enterprise", False),
        ("finance.forms.SigningForm", "enterprise", True),
        ("incubation.forms.AdmitTenantForm", "enterprise", True),
        ("bureau.forms.ActivityQuickForm", "enterprises", False),
    ],
)
def test_staff_forms_choose_enterprises_with_the_picker(form_path, field, active_only):
    from importlib import import_module

    module, name = form_path.rsplit(".", 1)
    form_class = getattr(import_module(module), name)
    url = str(form_class.base_fields[field].widget.attrs["data-picker"])
    assert url == (f"{URL}?active=1" if active_only else URL)


def test_admin_autocomplete_names_enterprises_with_their_credit_code(staff_client):
    twins = EnterpriseFactory.create_batch(2, name="安徽万腾光电科技有限公司")
    response = staff_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "bureau",
            "model_name": "activity",
            "field_name": "enterprises",
            "term": "万腾",
        },
    )
    assert response.status_code == 200
    texts = {r["text"] for r in response.json()["results"]}
    assert texts == {f"安徽万腾光电科技有限公司（{e.credit_code}）" for e in twins}
