"""Ladder pages: who may open them, what they show, and their query counts."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from bureau.models import ApplicationStatus
from enterprises.models import Qualification
from tests.concurrency import token
from tests.enterprises.factories import ApprovedQualificationFactory, QualificationFactory, kind
from tests.factories import AnnualFiguresFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


def with_figures(n: int):
    enterprises = EnterpriseFactory.create_batch(n)
    for e in enterprises:
        for year in (2023, 2024, 2025):
            AnnualFiguresFactory(enterprise=e, year=year)
    return enterprises


# --- Access -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        reverse("enterprises:board"),
        reverse("enterprises:qualification_list"),
        reverse("enterprises:prescreen", args=["hitech"]),
    ],
)
def test_enterprise_users_cannot_open_staff_ladder_pages(enterprise_client, leader_client, url):
    assert enterprise_client.get(url).status_code == 403
    assert leader_client.get(url).status_code == 200


def test_enterprise_user_cannot_open_other_enterprise_qualification(
    outsider_client, enterprise_client, enterprise
):
    q = QualificationFactory(enterprise=enterprise)
    url = reverse("enterprises:portal_qualification", args=[q.pk])
    assert outsider_client.get(url).status_code == 404
    assert enterprise_client.get(url).status_code == 200
    assert (
        enterprise_client.get(reverse("enterprises:qualification_detail", args=[q.pk])).status_code
        == 403
    )


def test_leadership_sees_but_cannot_move_or_add(leader_client, enterprise):
    q = QualificationFactory(enterprise=enterprise)
    url = reverse("enterprises:qualification_detail", args=[q.pk])
    assert "确认变更" not in leader_client.get(url).content.decode()
    assert leader_client.post(url, {"to_status": "preparing"}).status_code == 403
    post = leader_client.post(
        reverse("enterprises:prescreen", args=["hitech"]),
        {"batch_year": 2026, "enterprises": [enterprise.pk]},
    )
    assert post.status_code == 403
    assert Qualification.objects.filter(status="preparing").count() == 0


# --- Pipeline ----------------------------------------------------------------------------------


def test_staff_moves_a_qualification_and_sees_its_timeline(staff_client, enterprise):
    q = QualificationFactory(enterprise=enterprise, status=ApplicationStatus.UNDER_REVIEW)
    url = reverse("enterprises:qualification_detail", args=[q.pk])
    refused = staff_client.post(url, {"to_status": "approved", **token(q)})
    assert "证书编号" in refused.content.decode()
    q.refresh_from_db()
    assert q.status == ApplicationStatus.UNDER_REVIEW
    ok = staff_client.post(
        url,
        {"to_status": "approved", "certificate_no": "GR202434001", "approved_on": "2024-11-01",
         "remark": "公示无异议", **token(q)},
    )  # fmt: skip
    assert ok.status_code == 302
    q.refresh_from_db()
    assert q.status == "approved" and q.valid_to == datetime.date(2027, 10, 31)
    page = staff_client.get(url).content.decode()
    assert "公示无异议" in page and "已认定" in page


def test_board_cell_links_to_the_list_behind_it(staff_client):
    QualificationFactory.create_batch(
        17, kind=kind("specialised_sme"), level="provincial", batch_year=2024,
        status=ApplicationStatus.UNDER_REVIEW,
    )  # fmt: skip
    page = staff_client.get(reverse("enterprises:board"), {"year": 2024}).content.decode()
    sk = kind("specialised_sme")
    link = f"?kind={sk.pk}&amp;status=under_review&amp;batch_year=2024"
    assert link in page and ">17</a>" in page
    listing = staff_client.get(
        reverse("enterprises:qualification_list"),
        {"kind": sk.pk, "status": "under_review", "batch_year": 2024},
    )
    assert listing.context["page"].paginator.count == 17


@pytest.mark.parametrize("n", [3, 30])
def test_board_query_count_is_constant(staff_client, django_assert_num_queries, n):
    QualificationFactory.create_batch(n, batch_year=2024)
    # session + user + groups (role); kinds; counts by kind and status; session save
    # (savepoint, update, release).
    with django_assert_num_queries(8):
        staff_client.get(reverse("enterprises:board"), {"year": 2024})


@pytest.mark.parametrize("n", [3, 30])
def test_qualification_list_query_count_is_constant(staff_client, django_assert_num_queries, n):
    QualificationFactory.create_batch(n)
    # session + user + groups; kinds for the filter form; count; page rows with joins;
    # session save (3).
    with django_assert_num_queries(9):
        staff_client.get(reverse("enterprises:qualification_list"))


def test_qualification_list_offers_the_excel_import_to_staff_only(staff_client, leader_client):
    link = reverse("admin:enterprises_qualification_import")
    assert link in staff_client.get(reverse("enterprises:qualification_list")).content.decode()
    assert link not in leader_client.get(reverse("enterprises:qualification_list")).content.decode()


# --- Pre-screening ----------------------------------------------------------------------------


def test_prescreen_lists_non_holders_ranked_and_adds_candidates(staff_client):
    holder, *others = with_figures(4)
    ApprovedQualificationFactory(enterprise=holder, valid_to=None)
    url = reverse("enterprises:prescreen", args=["tech_sme"])
    page = staff_client.get(url)
    assert len(page.context["page"].object_list) == 4  # holding 高企 does not exclude 科小
    assert "预估" in page.content.decode()
    response = staff_client.post(
        url, {"batch_year": 2026, "enterprises": [others[0].pk, others[1].pk]}
    )
    assert response.status_code == 302
    added = Qualification.objects.filter(kind__code="tech_sme", batch_year=2026)
    assert sorted(q.enterprise_id for q in added) == sorted([others[0].pk, others[1].pk])
    assert all(q.status == "candidate" and q.transitions.count() == 1 for q in added)
    # Now in the pipeline but not holding it: they stay on the list.
    again = staff_client.get(url)
    assert len(again.context["page"].object_list) == 4


def test_prescreen_excludes_current_holders(staff_client):
    holder, other = with_figures(2)
    ApprovedQualificationFactory(
        enterprise=holder, kind=kind("tech_sme"), valid_from=datetime.date(2026, 1, 1),
        valid_to=datetime.date(2026, 12, 31), level="provincial",
    )  # fmt: skip
    rows = staff_client.get(reverse("enterprises:prescreen", args=["tech_sme"])).context["page"]
    assert [r.enterprise for r in rows] == [other]


def test_prescreen_filters_by_current_tier(staff_client):
    a, b = with_figures(2)
    ApprovedQualificationFactory(
        enterprise=a, kind=kind("innovative_sme"), level="provincial",
        valid_from=datetime.date(2025, 1, 1), valid_to=datetime.date(2027, 12, 31),
    )  # fmt: skip
    url = reverse("enterprises:prescreen", args=["specialised_sme"])
    rows = staff_client.get(url, {"tier": "innovative_sme"}).context["page"]
    assert [r.enterprise for r in rows] == [a]
    rows = staff_client.get(url, {"tier": "none"}).context["page"]
    assert [r.enterprise for r in rows] == [b]


def test_prescreen_exports_the_list_to_excel(staff_client):
    with_figures(3)
    response = staff_client.get(
        reverse("enterprises:prescreen", args=["hitech"]), {"export": "xlsx"}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert "预估" in rows[0][0]
    assert rows[1][:3] == ("排名", "企业名称", "统一社会信用代码")
    assert len(rows) == 2 + 3


@pytest.mark.parametrize("n", [3, 30])
def test_prescreen_query_count_is_constant(staff_client, django_assert_num_queries, n):
    from enterprises import prescreening

    with_figures(n)
    prescreening.refresh_all()
    # session + user + groups; kind; kinds; when computed (min/max); count; the page's
    # enterprise ids; their results with enterprises and zones; zones for the filter form;
    # session save (3).
    with django_assert_num_queries(13):
        staff_client.get(reverse("enterprises:prescreen", args=["hitech"]))


def test_unknown_or_rule_less_kind_is_404(staff_client):
    assert staff_client.get(reverse("enterprises:prescreen", args=["nope"])).status_code == 404


# --- Profile and portal -------------------------------------------------------------------------


def test_profile_shows_tiers_timeline_and_prescreening(leader_client, enterprise):
    for year in (2023, 2024, 2025):
        AnnualFiguresFactory(enterprise=enterprise, year=year)
    ApprovedQualificationFactory(enterprise=enterprise, valid_to=None)
    page = leader_client.get(reverse("enterprises:detail", args=[enterprise.pk])).content.decode()
    assert "高新技术企业" in page
    assert "科技型中小企业" in page and "预估" in page
    assert "<svg" in page


@pytest.mark.parametrize("n", [3, 30])
def test_profile_query_count_is_constant(leader_client, django_assert_num_queries, n, enterprise):
    for year in (2023, 2024, 2025):
        AnnualFiguresFactory(enterprise=enterprise, year=year)
    QualificationFactory.create_batch(n, enterprise=enterprise)
    # session + user + groups; enterprise; annual; quarterly; qualifications; transitions;
    # kinds; annual (facts); titles; profile; the other apps' sections (incubation 3,
    # digital 3, talent 3, finance 2, evidence 1); session save (3).
    with django_assert_num_queries(27):
        leader_client.get(reverse("enterprises:detail", args=[enterprise.pk]))


def test_portal_home_shows_held_tiers_and_what_to_improve(enterprise_client, enterprise):
    for year in (2023, 2024, 2025):
        AnnualFiguresFactory(enterprise=enterprise, year=year, tech_staff=5)
    ApprovedQualificationFactory(
        enterprise=enterprise, kind=kind("tech_sme"), level="provincial",
        valid_from=datetime.date(2026, 1, 1), valid_to=datetime.date(2026, 12, 31),
    )  # fmt: skip
    page = enterprise_client.get(reverse("enterprises:portal_home")).content.decode()
    assert "科技型中小企业" in page  # held
    assert "需改善" in page and "科技人员占职工总数比例" in page
    assert "不代表主管部门的认定结论" in page


def test_reminders_list_expiring_and_not_renewed(staff_client, enterprise, other_enterprise):
    from django.utils import timezone

    today = timezone.localdate()
    ApprovedQualificationFactory(
        enterprise=enterprise, valid_from=today - datetime.timedelta(days=900),
        valid_to=today + datetime.timedelta(days=30),
    )  # fmt: skip
    ApprovedQualificationFactory(
        enterprise=other_enterprise, kind=kind("tech_sme"), level="provincial",
        batch_year=today.year - 1, valid_from=datetime.date(today.year - 1, 1, 1),
        valid_to=datetime.date(today.year - 1, 12, 31),
    )  # fmt: skip
    response = staff_client.get(reverse("enterprises:reminders"))
    assert [q.enterprise for q in response.context["expiring"]] == [enterprise]
    assert [q.enterprise for q in response.context["not_renewed"]] == [other_enterprise]


def _reminder_rows(n: int) -> None:
    """`n` titles expiring within the window and `n` tech-SME registrations not renewed."""
    from django.utils import timezone

    today = timezone.localdate()
    for i in range(n):
        ApprovedQualificationFactory(
            enterprise=EnterpriseFactory(), valid_from=today - datetime.timedelta(days=900),
            valid_to=today + datetime.timedelta(days=10 + i % 100),
        )  # fmt: skip
        ApprovedQualificationFactory(
            enterprise=EnterpriseFactory(), kind=kind("tech_sme"), level="provincial",
            batch_year=today.year - 1, valid_from=datetime.date(today.year - 1, 1, 1),
            valid_to=datetime.date(today.year - 1, 12, 31),
        )  # fmt: skip


def test_reminders_page_each_list_and_export_all(staff_client):
    """Found at 100,000 enterprises: 5,016 expiring titles and 23,387 registrations not
    renewed were one page of 28,403 rows (13 s). Each list is paged on its own, with its
    count; the export still has every row."""
    from enterprises.views import PAGE_SIZE

    _reminder_rows(PAGE_SIZE + 5)
    url = reverse("enterprises:reminders")
    page = staff_client.get(url)
    assert len(page.context["expiring"].object_list) == PAGE_SIZE
    assert len(page.context["not_renewed"].object_list) == PAGE_SIZE
    html = page.content.decode()
    assert f"180天内到期的资质（{PAGE_SIZE + 5}）" in html
    assert "page=2" in html and "rpage=2" in html
    # The second page of one list leaves the other list where it was.
    second = staff_client.get(url, {"rpage": 2, "page": 1})
    assert len(second.context["not_renewed"].object_list) == 5
    assert len(second.context["expiring"].object_list) == PAGE_SIZE
    assert "?rpage=2&page=2" in second.content.decode()  # the expiring list's next page
    book = openpyxl.load_workbook(io.BytesIO(staff_client.get(url, {"format": "xlsx"}).content))
    rows = sum(sheet.max_row - 1 for sheet in book.worksheets)
    assert rows >= 2 * (PAGE_SIZE + 5)


@pytest.mark.parametrize("n", [3, 30])
def test_reminders_query_count_does_not_grow_with_rows(
    staff_client, django_assert_max_num_queries, n
):
    _reminder_rows(n)
    staff_client.get(reverse("enterprises:reminders"))  # session, content types, kinds
    with django_assert_max_num_queries(16):
        staff_client.get(reverse("enterprises:reminders"))


def test_daily_reminder_task_keeps_a_digest(enterprise):
    from enterprises import tasks

    ApprovedQualificationFactory(
        enterprise=enterprise, valid_from=datetime.date(2024, 1, 1),
        valid_to=datetime.date(2026, 12, 31),
    )  # fmt: skip
    result = tasks.refresh_ladder_reminders.delay("2026-11-27").get()
    assert result == {"expiring": 1, "not_renewed": 0}
    assert tasks.latest_digest()["day"] == "2026-11-27"
    assert tasks.refresh_ladder_reminders.delay("2026-01-01").get()["expiring"] == 0


@pytest.mark.parametrize("n", [3, 30])
def test_prescreen_selector_is_a_handful_of_queries_whatever_the_size(django_assert_num_queries, n):
    from django.utils import timezone

    from enterprises import selectors
    from enterprises.models import Enterprise

    with_figures(n)
    hitech = kind("hitech")
    # kinds; enterprises not holding the kind; annual figures; titles held; innovation profiles.
    with django_assert_num_queries(5):
        rows = selectors.prescreen(hitech, Enterprise.objects.all(), timezone.localdate())
    assert len(rows) == n
