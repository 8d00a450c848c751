"""Pages of innovation carriers: access by role and ownership, flat query counts, exports,
and the status and tenant forms."""

import datetime
import io

import pytest
from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from openpyxl import load_workbook

from bureau.models import ApplicationStatus as S
from bureau.models import Level
from incubation import selectors
from incubation.models import ExitReason, IncubatorLevelApplication, Tenancy
from incubation.services import create_application
from tests.concurrency import token
from tests.factories import AnnualFiguresFactory, EnterpriseFactory

from .factories import (
    IncubatorApplicationFactory,
    IncubatorFactory,
    RDPlatformFactory,
    RecognitionFactory,
    TenancyFactory,
)

pytestmark = pytest.mark.django_db

LISTS = [
    "incubation:incubator_list",
    "incubation:tenant_list",
    "incubation:platform_list",
    "incubation:recognition_list",
    "incubation:overview",
]


def make_rows(n: int) -> IncubatorFactory:
    """n platforms, recognitions, incubators (each with a tenant and application)."""
    incubator = None
    for i in range(n):
        e = EnterpriseFactory()
        RDPlatformFactory(
            enterprise=e, status=S.APPROVED, approved_on=datetime.date(2024, 5, 1 + i % 28)
        )
        RecognitionFactory(enterprise=e, status=S.SUBMITTED)
        incubator = IncubatorFactory()
        TenancyFactory(incubator=incubator, enterprise=e)
        IncubatorApplicationFactory(incubator=incubator)
    return incubator


# --- Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", LISTS)
def test_enterprise_user_cannot_open_staff_lists(enterprise_client, name):
    assert enterprise_client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", LISTS)
def test_leader_reads_staff_lists(leader_client, name):
    assert leader_client.get(reverse(name)).status_code == 200


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("incubation:platform_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_enterprise_user_sees_only_its_own_platforms_and_recognitions(
    enterprise, other_enterprise, enterprise_client
):
    mine = RDPlatformFactory(enterprise=enterprise, name="自家技术中心")
    theirs = RDPlatformFactory(enterprise=other_enterprise, name="别家技术中心")
    RecognitionFactory(enterprise=enterprise, product_name="", title="自家数字化车间")
    response = enterprise_client.get(reverse("incubation:portal_carriers"))
    assert response.status_code == 200
    assert mine.name in response.content.decode()
    assert theirs.name not in response.content.decode()
    assert "自家数字化车间" in response.content.decode()


def test_outsider_cannot_open_enterprises_platform_by_id(enterprise, outsider_client):
    platform = RDPlatformFactory(enterprise=enterprise)
    url = reverse("incubation:portal_platform", args=[platform.pk])
    assert outsider_client.get(url).status_code == 404


def test_outsider_cannot_open_enterprises_recognition_by_id(enterprise, outsider_client):
    recognition = RecognitionFactory(enterprise=enterprise)
    url = reverse("incubation:portal_recognition", args=[recognition.pk])
    assert outsider_client.get(url).status_code == 404


def test_owner_opens_its_platform_with_its_history(enterprise, enterprise_client):
    platform = RDPlatformFactory.build(enterprise=enterprise)
    create_application(platform, remark="首次登记")
    response = enterprise_client.get(reverse("incubation:portal_platform", args=[platform.pk]))
    assert response.status_code == 200
    assert "首次登记" in response.content.decode()


@pytest.mark.parametrize("name", ["incubation:platform_detail", "incubation:recognition_detail"])
def test_enterprise_user_cannot_use_staff_detail_pages(enterprise, enterprise_client, name):
    record = (RDPlatformFactory if "platform" in name else RecognitionFactory)(
        enterprise=enterprise
    )
    assert enterprise_client.get(reverse(name, args=[record.pk])).status_code == 403


def test_selectors_gate_by_user(enterprise, other_enterprise, enterprise_user):
    RDPlatformFactory(enterprise=other_enterprise)
    own = RDPlatformFactory(enterprise=enterprise)
    assert list(selectors.platform_list_for_user(user=enterprise_user)) == [own]
    assert list(selectors.incubator_list_for_user(user=enterprise_user)) == []


def test_enterprise_user_cannot_download_exports(enterprise_client):
    url = reverse("incubation:platform_list") + "?format=xlsx"
    assert enterprise_client.get(url).status_code == 403


def test_leader_cannot_move_an_application(leader_client):
    platform = RDPlatformFactory()
    url = reverse("incubation:application_move", args=["platform", platform.pk])
    assert leader_client.post(url, {"to_status": S.PREPARING}).status_code == 403
    platform.refresh_from_db()
    assert platform.status == S.CANDIDATE


# --- Query counts ------------------------------------------------------------------------------

# Every page: session, user, the user's groups (role); and at the end the session is saved
# (savepoint, update, release) = 6 queries besides the view's own.
BASE = 6
LIST_QUERIES = {
    # count for the paginator, platform kinds and park zones for the filter's choices, the page
    # (enterprise, zone and kind joined)
    "incubation:platform_list": BASE + 4,
    # count, park zones for the filter, the page
    "incubation:recognition_list": BASE + 3,
    # count, park zones, the page (annotated: current tenants, graduates, applying level)
    "incubation:incubator_list": BASE + 3,
    # count, incubators and park zones for the filter's choices, the page
    "incubation:tenant_list": BASE + 4,
    # the dashboard section (10) and the incubators table (1)
    "incubation:overview": BASE + 11,
}


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("rows", [3, 30])
def test_list_queries_do_not_grow_with_rows(staff_client, django_assert_num_queries, name, rows):
    make_rows(rows)
    # Content types come from a per-process cache that earlier tests may or may not have
    # filled: filled here, so the count is the same whatever ran before (alone it was +3).
    ContentType.objects.get_for_models(*django_apps.get_app_config("incubation").get_models())
    url = reverse(name) + ("?year=2024" if name == "incubation:overview" else "")
    with django_assert_num_queries(LIST_QUERIES[name]):
        response = staff_client.get(url)
    assert response.status_code == 200


EXPORTS = {
    # BASE + one query for all the rows (joins; the filter form is not rendered) + the
    # security log's record of the download
    "incubation:platform_list": (BASE + 2, "平台名称"),
    "incubation:recognition_list": (BASE + 2, "认定类别"),
    # + the user's and its groups' permissions, read once: may it see contacts unmasked?
    "incubation:incubator_list": (BASE + 4, "名称"),
    "incubation:tenant_list": (BASE + 2, "孵化载体"),
}


@pytest.mark.parametrize("name", EXPORTS)
@pytest.mark.parametrize("rows", [3, 30])
def test_exports_are_flat_in_rows_and_reopen(staff_client, django_assert_num_queries, name, rows):
    make_rows(rows)
    queries, first_header = EXPORTS[name]
    with django_assert_num_queries(queries):
        response = staff_client.get(reverse(name) + "?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(1, 1).value == first_header
    assert sheet.max_row == rows + 1


def test_platform_export_is_filtered_by_level_and_year(staff_client):
    RDPlatformFactory(name="省级A", status=S.APPROVED, approved_on=datetime.date(2024, 3, 1))
    RDPlatformFactory(
        name="市级B",
        level=Level.MUNICIPAL,
        status=S.APPROVED,
        approved_on=datetime.date(2024, 3, 1),
    )
    RDPlatformFactory(name="省级C", status=S.APPROVED, approved_on=datetime.date(2023, 3, 1))
    response = staff_client.get(
        reverse("incubation:platform_list") + "?format=xlsx&level=provincial&year=2024"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["省级A"]


@pytest.mark.parametrize("tenants", [3, 30])
def test_incubator_detail_queries_do_not_grow_with_tenants(
    staff_client, django_assert_num_queries, tenants
):
    incubator = IncubatorFactory()
    for _ in range(tenants):
        t = TenancyFactory(incubator=incubator)
        AnnualFiguresFactory(enterprise=t.enterprise, year=2025)
    IncubatorApplicationFactory(incubator=incubator)
    # BASE; incubator (annotated); tenancies; their annual figures; applications; their
    # transitions; the tenants' tiers (titles held, ladder kinds) from enterprises.selectors;
    # the user's and its groups' permissions (may it see the contact unmasked?); the open
    # application's edit token (the tenancies' tokens come with the tenancies, as a subquery).
    # The admit form's enterprise picker lists no enterprises until one is chosen: no query.
    with django_assert_num_queries(BASE + 10):
        response = staff_client.get(incubator.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('action="/incubation/tenants/') == tenants


def test_incubator_detail_shows_the_national_check_with_distances(staff_client):
    incubator = IncubatorFactory(area_m2=8000, tenant_area_m2=6000, seed_fund=3000000)
    IncubatorApplicationFactory(incubator=incubator, level=Level.NATIONAL)
    page = staff_client.get(incubator.get_absolute_url()).content.decode()
    assert "对照国家级认定条件" in page
    assert "还差 2,000 ㎡" in page
    assert "还差 200 万元" in page
    assert "数据不全" in page  # staff figures not entered


def test_dashboard_section_is_flat_in_rows(django_assert_num_queries):
    for rows in (3, 30):
        make_rows(rows)
        # platforms by year and level; recognitions new and under application by kind and
        # level; latest platforms and recognitions; pipeline platforms count and list;
        # pipeline recognitions list; incubator applications; incubators by level.
        with django_assert_num_queries(10):
            data = selectors.dashboard_section(2024)
        assert data["new_platform_count"] == (3 if rows == 3 else 33)
        # The factories' submitted recognitions have no history before now: none in 2024.
        assert data["pipeline_recognition_count"] == 0
        assert len(data["new_approvals"]) == min(20, data["new_platform_count"])
    this_year = selectors.dashboard_section(datetime.date.today().year)
    assert this_year["pipeline_recognition_count"] == 33


# --- Forms -------------------------------------------------------------------------------------


def test_staff_moves_a_platform_to_approved_with_certificate(staff_client, staff_user):
    platform = RDPlatformFactory(status=S.SUBMITTED)
    url = reverse("incubation:application_move", args=["platform", platform.pk])
    response = staff_client.post(
        url,
        {
            "to_status": S.APPROVED,
            "level": Level.PROVINCIAL,
            "certificate_no": "皖2024-001",
            "approved_on": "2024-09-26",
            **token(platform),
        },
    )
    assert response.status_code == 302
    platform.refresh_from_db()
    assert platform.status == S.APPROVED
    assert platform.certificate_no == "皖2024-001"
    assert platform.approved_on == datetime.date(2024, 9, 26)
    assert platform.transitions.last().by == staff_user


def test_a_move_the_flow_forbids_changes_nothing(staff_client):
    platform = RDPlatformFactory(status=S.CANDIDATE)
    url = reverse("incubation:application_move", args=["platform", platform.pk])
    staff_client.post(url, {"to_status": S.APPROVED, **token(platform)})
    platform.refresh_from_db()
    assert platform.status == S.CANDIDATE


def test_approved_national_application_raises_the_incubators_level(staff_client):
    application = IncubatorApplicationFactory(status=S.UNDER_REVIEW)
    url = reverse("incubation:application_move", args=["incubator-level", application.pk])
    staff_client.post(
        url, {"to_status": S.APPROVED, "approved_on": "2025-12-01", **token(application)}
    )
    application.incubator.refresh_from_db()
    assert application.incubator.level == Level.NATIONAL
    assert IncubatorLevelApplication.objects.get().status == S.APPROVED


def test_staff_admits_and_graduates_a_tenant(staff_client, enterprise):
    incubator = IncubatorFactory()
    staff_client.post(
        reverse("incubation:tenant_admit", args=[incubator.pk]),
        {"enterprise": enterprise.pk, "entered_on": "2024-03-01"},
    )
    tenancy = Tenancy.objects.get(enterprise=enterprise)
    staff_client.post(
        reverse("incubation:tenant_end", args=[tenancy.pk]),
        {
            "exited_on": "2025-06-30",
            "exit_reason": ExitReason.GRADUATED,
            "graduation_basis": "hitech",
            **token(tenancy),
        },
    )
    tenancy.refresh_from_db()
    assert tenancy.graduated and tenancy.graduated_on == datetime.date(2025, 6, 30)


def test_admitting_a_tenant_of_another_incubator_shows_a_chinese_error(staff_client, enterprise):
    current = TenancyFactory(enterprise=enterprise)
    incubator = IncubatorFactory()
    response = staff_client.post(
        reverse("incubation:tenant_admit", args=[incubator.pk]),
        {"enterprise": enterprise.pk, "entered_on": "2024-03-01"},
        follow=True,
    )
    page = response.content.decode()
    assert f"已在「{current.incubator.name}」在孵，在孵期间不能重叠" in page
    assert Tenancy.objects.filter(enterprise=enterprise).count() == 1


# --- Tenants' tiers (read defensively from the tier ladder in enterprises/) ---------------------


class FakeKind:
    def __init__(self, code: str, name: str, short_name: str = ""):
        self.code, self.name, self.short_name = code, name, short_name


def test_tier_column_is_left_out_without_a_ladder(staff_client, monkeypatch):
    import enterprises.selectors as ladder

    monkeypatch.delattr(ladder, "held_titles", raising=False)
    tenancy = TenancyFactory()
    page = staff_client.get(tenancy.incubator.get_absolute_url()).content.decode()
    assert "培育梯次" not in page


def test_tier_column_shows_tenants_titles_when_the_ladder_exists(staff_client, monkeypatch):
    import enterprises.selectors as ladder

    tenancy = TenancyFactory()
    kinds = [FakeKind("hitech", "高新技术企业", "高企"), FakeKind("tech_sme", "科技型中小企业")]
    monkeypatch.setattr(ladder, "ladder_kinds", lambda: kinds, raising=False)
    monkeypatch.setattr(
        ladder,
        "held_titles",
        lambda ids, day: {tenancy.enterprise_id: {"hitech", "tech_sme"}},
        raising=False,
    )
    page = staff_client.get(tenancy.incubator.get_absolute_url()).content.decode()
    assert "培育梯次" in page
    assert '<span class="tag">高企</span>' in page
    assert '<span class="tag">科技型中小企业</span>' in page


def test_a_ladder_with_another_contract_does_not_break_the_page(staff_client, monkeypatch):
    import enterprises.selectors as ladder

    monkeypatch.setattr(ladder, "ladder_kinds", lambda: [], raising=False)
    monkeypatch.setattr(ladder, "held_titles", lambda: {}, raising=False)
    tenancy = TenancyFactory()
    response = staff_client.get(tenancy.incubator.get_absolute_url())
    assert response.status_code == 200
    assert "培育梯次" not in response.content.decode()
