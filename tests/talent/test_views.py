"""Pages: personal data masked and its unmasked views logged, enterprise users confined to
their own staff and demands, constant query counts, matching confirmed into agreements."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from talent.models import (
    DemandMatch,
    DemandStatus,
    MatchStatus,
    PersonalDataAccess,
    Talent,
    TalentActivity,
    TalentCategory,
)
from tests.concurrency import token
from tests.factories import ActivityFactory, ActivityKindFactory, EnterpriseFactory
from tests.talent.factories import (
    AgreementFactory,
    DemandFactory,
    InstitutionFactory,
    TalentApplicationFactory,
    TalentFactory,
)

pytestmark = pytest.mark.django_db

NAME, PHONE = "王建国", "13912345678"


def grant_personal_data(user):
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="talent", codename="view_personal_data")
    )


def test_role_groups_do_not_hold_the_personal_data_permission(staff_user, leader_user):
    assert not staff_user.has_perm("talent.view_personal_data")
    assert not leader_user.has_perm("talent.view_personal_data")
    assert staff_user.has_perm("talent.change_talent")


@pytest.mark.parametrize("persona", ["staff_client", "leader_client", "sysadmin_client"])
def test_roster_list_masks_names_and_phones_without_the_permission(persona, request):
    TalentFactory(name=NAME, phone=PHONE)
    response = request.getfixturevalue(persona).get(reverse("talent:talent_list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert NAME not in body and PHONE not in body
    assert "王**" in body and "139****5678" in body
    assert not PersonalDataAccess.objects.exists()


def test_staff_with_the_permission_see_and_are_logged(staff_user, staff_client):
    grant_personal_data(staff_user)
    talent = TalentFactory(name=NAME, phone=PHONE)
    body = staff_client.get(reverse("talent:talent_list")).content.decode()
    assert NAME in body and PHONE in body
    staff_client.get(reverse("talent:talent_detail", args=[talent.pk]))
    log = list(PersonalDataAccess.objects.order_by("pk").values_list("user", "talent", "context"))
    assert log == [(staff_user.pk, talent.pk, "list"), (staff_user.pk, talent.pk, "detail")]
    assert PersonalDataAccess.objects.first().at is not None


def test_leader_with_the_permission_still_sees_masked(leader_user, leader_client):
    grant_personal_data(leader_user)
    talent = TalentFactory(name=NAME, phone=PHONE)
    body = leader_client.get(reverse("talent:talent_detail", args=[talent.pk])).content.decode()
    assert NAME not in body and "王**" in body
    assert not PersonalDataAccess.objects.exists()


def test_admin_change_form_hides_personal_data_without_permission(staff_client):
    talent = TalentFactory(name=NAME, phone=PHONE)
    body = staff_client.get(
        reverse("admin:talent_talent_change", args=[talent.pk])
    ).content.decode()
    assert NAME not in body and PHONE not in body


def test_admin_change_form_with_permission_is_logged(staff_user, staff_client):
    grant_personal_data(staff_user)
    talent = TalentFactory(name=NAME, phone=PHONE)
    body = staff_client.get(
        reverse("admin:talent_talent_change", args=[talent.pk])
    ).content.decode()
    assert NAME in body
    assert PersonalDataAccess.objects.filter(talent=talent, context="admin").count() == 1


def test_admin_export_needs_the_permission(staff_client):
    response = staff_client.get(reverse("admin:talent_talent_export"))
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("url_name", "kwargs"),
    [("talent:talent_list", {}), ("talent:overview", {}), ("talent:demand_list", {})],
)
def test_enterprise_users_cannot_open_staff_pages(enterprise_client, url_name, kwargs):
    assert enterprise_client.get(reverse(url_name, kwargs=kwargs)).status_code == 403


def test_portal_lists_only_own_staff_masked(enterprise, enterprise_client, other_enterprise):
    TalentFactory(enterprise=enterprise, name=NAME, phone=PHONE)
    TalentFactory(enterprise=other_enterprise, name="赵外人")
    body = enterprise_client.get(reverse("talent:portal_talents")).content.decode()
    assert "王**" in body and NAME not in body
    assert "赵*" not in body


def test_outsider_cannot_open_or_edit_another_enterprises_talent(enterprise, outsider_client):
    talent = TalentFactory(enterprise=enterprise, name=NAME)
    url = reverse("talent:portal_talent_edit", args=[talent.pk])
    assert outsider_client.get(url).status_code == 404
    response = outsider_client.post(url, {"name": "篡改", "category": "executive"})
    assert response.status_code == 404
    talent.refresh_from_db()
    assert talent.name == NAME
    assert not PersonalDataAccess.objects.exists()


def test_owner_edit_form_shows_data_and_logs(enterprise, enterprise_user, enterprise_client):
    talent = TalentFactory(enterprise=enterprise, name=NAME, phone=PHONE)
    body = enterprise_client.get(
        reverse("talent:portal_talent_edit", args=[talent.pk])
    ).content.decode()
    assert NAME in body
    assert PersonalDataAccess.objects.get().user == enterprise_user


def test_portal_create_attaches_own_enterprise(enterprise, enterprise_client, other_enterprise):
    response = enterprise_client.post(
        reverse("talent:portal_talent_create"),
        {
            "name": "李新",
            "category": TalentCategory.EXECUTIVE,
            "title_level": "none",
            "education": "master",
            "registered_on": "2024-05-01",
            "enterprise": other_enterprise.pk,  # ignored
        },
    )
    assert response.status_code == 302
    assert Talent.objects.get(name="李新").enterprise == enterprise


def test_portal_form_errors_in_chinese_change_nothing(enterprise_client):
    response = enterprise_client.post(
        reverse("talent:portal_talent_create"),
        {
            "name": "李新",
            "category": "executive",
            "title_level": "none",
            "education": "master",
            "registered_on": "2024-05-01",
            "left_on": "2024-01-01",
            "birth_year": "1800",
        },
    )
    body = response.content.decode()
    assert "离职日期不能早于登记日期" in body and "出生年份应在1930至2010之间" in body
    assert not Talent.objects.exists()


def test_portal_demands_only_own(enterprise, enterprise_client, other_enterprise):
    DemandFactory(enterprise=enterprise, title="自家需求")
    DemandFactory(enterprise=other_enterprise, title="别家需求")
    body = enterprise_client.get(reverse("talent:portal_demands")).content.decode()
    assert "自家需求" in body and "别家需求" not in body
    enterprise_client.post(
        reverse("talent:portal_demands"),
        {"title": "新需求", "field": "ic", "raised_on": "2024-06-01"},
    )
    assert enterprise.technology_demands.filter(title="新需求").exists()


def test_staff_confirm_a_match_and_turn_it_into_an_agreement(staff_client, staff_user):
    chip = InstitutionFactory(
        name="芯片研究所", research_fields="集成电路", capabilities="射频模块封装测试"
    )
    InstitutionFactory(name="食品学院", research_fields="食品加工", capabilities="茶饮料保鲜")
    demand = DemandFactory(title="射频模块封装", description="多芯片封装测试")
    body = staff_client.get(reverse("talent:demand_detail", args=[demand.pk])).content.decode()
    suggestions = body[body.index('id="suggestions"') :]
    assert "芯片研究所" in suggestions and "食品学院" not in suggestions
    assert "研究领域包含「集成电路」" in suggestions

    staff_client.post(reverse("talent:demand_confirm", args=[demand.pk]), {"institution": chip.pk})
    match = DemandMatch.objects.get()
    demand.refresh_from_db()
    assert (match.institution, match.confirmed_by, demand.status) == (
        chip,
        staff_user,
        DemandStatus.MATCHED,
    )
    assert "封装" in match.reasons

    response = staff_client.post(
        reverse("talent:match_agreement", args=[match.pk]),
        {
            "kind": "commissioned_rd",
            "title": "封装合作",
            "signed_on": "2024-07-01",
            "value": "100000",
        },
    )
    assert response.status_code == 302
    match.refresh_from_db()
    demand.refresh_from_db()
    assert match.status == MatchStatus.AGREEMENT
    assert match.agreement.enterprise == demand.enterprise
    assert demand.status == DemandStatus.IN_COOPERATION


def test_leader_cannot_confirm_matches(leader_client):
    demand = DemandFactory()
    inst = InstitutionFactory()
    response = leader_client.post(
        reverse("talent:demand_confirm", args=[demand.pk]), {"institution": inst.pk}
    )
    assert response.status_code == 403
    assert not DemandMatch.objects.exists()


def test_paid_above_granted_is_refused(staff_client):
    application = TalentApplicationFactory(status="approved", amount_granted=30000)
    response = staff_client.post(
        reverse("talent:application_detail", args=[application.pk]),
        {"p-amount_paid": "50000", "p-paid_on": "2024-08-01", **token(application, "p")},
    )
    assert "已拨付金额不能超过核定金额" in response.content.decode()
    application.refresh_from_db()
    assert application.amount_paid is None


def test_staff_move_an_application_with_history(staff_client, staff_user):
    application = TalentApplicationFactory()
    staff_client.post(
        reverse("talent:application_detail", args=[application.pk]),
        {"t-to_status": "preparing", "t-remark": "材料准备", **token(application, "t")},
    )
    application.refresh_from_db()
    assert application.status == "preparing"
    [transition] = application.transitions
    assert (transition.by, transition.remark) == (staff_user, "材料准备")


# --- Query counts at two sizes -----------------------------------------------------------------


def _many(n: int) -> None:
    training = ActivityKindFactory(code="training", name="培训")
    institution = InstitutionFactory()
    for _i in range(n):
        enterprise = EnterpriseFactory()
        TalentFactory(enterprise=enterprise, category=TalentCategory.EXECUTIVE)
        AgreementFactory(enterprise=enterprise, institution=institution)
        DemandFactory(enterprise=enterprise)
        TalentApplicationFactory(enterprise=enterprise)
        activity = ActivityFactory(kind=training)
        activity.enterprises.add(enterprise)
        TalentActivity.objects.create(activity=activity).institutions.add(institution)


# Every page: session + user (2), the role's groups (1), and the session saved at the end of
# the request (savepoint, update, release: 3).
BASE = 6


@pytest.mark.parametrize("n", [3, 30])
@pytest.mark.parametrize(
    ("url_name", "queries"),
    [
        # page count + page rows (talents with enterprise)
        ("talent:talent_list", 2),
        # the 6 figure queries + title×education grid + institutions + demand statuses
        ("talent:overview", 9),
        # count + rows (with enterprise, match counts)
        ("talent:demand_list", 2),
        # count + rows (with programme, enterprise, talent)
        ("talent:application_list", 2),
        # count + rows (annotated) + institutions prefetch
        ("talent:activity_list", 3),
        # institutions with counts
        ("talent:institution_list", 1),
        # count + rows (with enterprise, institution)
        ("talent:agreement_list", 2),
    ],
)
def test_staff_pages_take_a_constant_number_of_queries(
    n, url_name, queries, leader_client, django_assert_num_queries
):
    _many(n)
    with django_assert_num_queries(BASE + queries):
        response = leader_client.get(reverse(url_name))
    assert response.status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_unmasked_list_logs_in_one_insert(n, staff_user, staff_client, django_assert_num_queries):
    grant_personal_data(staff_user)
    _many(n)
    # base + the user's own permissions (2: user perms, group perms) + count + rows + the
    # access-log insert + the security log's event
    with django_assert_num_queries(BASE + 2 + 4):
        staff_client.get(reverse("talent:talent_list"))
    assert PersonalDataAccess.objects.count() == n


@pytest.mark.parametrize("n", [3, 30])
def test_portal_talents_take_a_constant_number_of_queries(
    n, enterprise, enterprise_client, django_assert_num_queries
):
    for _i in range(n):
        TalentFactory(enterprise=enterprise)
    # base + enterprise account + its enterprise + count + rows
    with django_assert_num_queries(BASE + 4):
        enterprise_client.get(reverse("talent:portal_talents"))


def test_overview_shows_the_leadership_section(leader_client):
    TalentFactory(title_level="deputy_senior", education="master")
    AgreementFactory(institution=InstitutionFactory(name="南京理工大学"))
    DemandFactory(status=DemandStatus.OPEN)
    body = leader_client.get(reverse("talent:overview") + "?year=2024").content.decode()
    assert "南京理工大学" in body
    assert 'id="by-title"' in body and 'id="by-status"' in body
