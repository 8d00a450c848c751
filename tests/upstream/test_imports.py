"""Staff imports run the quality gate too: a row failing a rule is imported (staff enter what
the enterprise reported), each failed rule awaits the enterprise's explanation, the enterprise
is told, and gives the explanation in its figures form, which sends it for review."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from bureau.importing import load_dataset, run_import
from enterprises.imports import AnnualFiguresResource, QuarterlyFiguresResource
from enterprises.models import AnnualFigures
from notifications.models import Kind, Notification
from tests.concurrency import token
from tests.factories import (
    AnnualFiguresFactory,
    EnterpriseAccountFactory,
    PeriodFactory,
    QuarterlyFiguresFactory,
)
from tests.querycount import count_queries
from upstream import quality
from upstream.gate import field_name
from upstream.models import Explanation, ExplanationStatus

from .conftest import YEAR

pytestmark = pytest.mark.django_db

ANNUAL_HEADERS = [f.column_name for f in AnnualFiguresResource().get_import_fields()]
QUARTERLY_HEADERS = [f.column_name for f in QuarterlyFiguresResource().get_import_fields()]
RULE_CODES = [r.code for r in quality.ruleset_for(YEAR).rules]
WHY = "2024年新产线投产，并承接了某整车厂的年度订单。"


def _last_year(enterprise):
    return AnnualFiguresFactory(
        enterprise=enterprise,
        year=YEAR - 1,
        revenue=Decimal("10000000"),  # 1,000万元
        main_business_revenue=Decimal("9500000"),
        rd_expense=Decimal("1500000"),
        total_assets=Decimal("40000000"),
        employees=90,
        tech_staff=25,
        rd_staff=18,
    )


def _annual_row(enterprise, revenue=40_000_000, rd_expense=1_600_000) -> list:
    """The import's columns (元): by default a 300% revenue jump over _last_year."""
    row = {
        "统一社会信用代码": enterprise.credit_code,
        "年度": YEAR,
        "营业收入（元）": revenue,
        "主营业务收入（元）": int(revenue * 0.95),
        "研发费用（元）": rd_expense,
        "资产总额（元）": 50_000_000,
        "从业人员（人）": 100,
        "科技人员（人）": 30,
        "研发人员（人）": 20,
    }
    return [row.get(h) for h in ANNUAL_HEADERS]


def _xlsx(tmp_path, headers, rows, name="figures.xlsx"):
    """A real workbook, as a clerk's spreadsheet program writes it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def _import(resource_class, path, staff_user, dry_run=False):
    return run_import(
        resource_class(user=staff_user), load_dataset(path), dry_run=dry_run, user=staff_user
    )


def test_a_300_percent_jump_is_imported_and_awaits_the_enterprise(
    tmp_path, staff_user, enterprise, enterprise_user, enterprise_client, staff_client
):
    _last_year(enterprise)
    path = _xlsx(tmp_path, ANNUAL_HEADERS, [_annual_row(enterprise)])
    outcome = _import(AnnualFiguresResource, path, staff_user)
    assert outcome.ok, outcome.errors
    saved = AnnualFigures.objects.get(enterprise=enterprise, year=YEAR)
    assert saved.revenue == Decimal("40000000")

    explanation = Explanation.objects.get()
    assert (explanation.enterprise, explanation.year, explanation.quarter) == (
        enterprise,
        YEAR,
        None,
    )
    assert explanation.rule_code == "A-YOY-REVENUE"
    assert explanation.status == ExplanationStatus.AWAITING and explanation.text == ""
    assert explanation.message.startswith("营业收入较上年变化+300.0%")
    assert explanation.values == {"revenue": "40000000.00", "last_year_revenue": "10000000.00"}
    assert explanation.submitted_by is None and explanation.reviewer is None

    # The enterprise is told, in words, without the rule's code.
    note = Notification.objects.get()
    assert note.recipient == enterprise_user and note.kind == Kind.EXPLANATION_NEEDED
    assert note.title == "请填写数据核查说明"
    assert f"{YEAR}年度数据有1项未通过数据核查" in note.body
    assert note.url == reverse("upstream:portal_explanations")
    assert not [c for c in RULE_CODES if c in note.title + note.body]

    # It sees the explanation asked for, and gives it in the figures form.
    listing = enterprise_client.get(note.url).content.decode()
    assert explanation.portal_url() in listing and "待企业说明" in listing
    detail = enterprise_client.get(explanation.portal_url()).content.decode()
    annual_url = reverse("enterprises:portal_annual_edit", args=[YEAR])
    assert annual_url in detail and "打开报表填写说明或更正数据" in detail
    form = enterprise_client.get(annual_url).content.decode()
    box = field_name("A-YOY-REVENUE")
    assert f'name="{box}"' in form and "说明状态：待企业说明" in form
    data = {
        "revenue": "4000",  # 万元, as imported
        "main_business_revenue": "3800",
        "rd_expense": "160",
        "total_assets": "5000",
        "employees": "100",
        "tech_staff": "30",
        "rd_staff": "20",
        "invention_patents": "0",
        "other_class1_ip": "0",
        "utility_models": "0",
        "design_patents": "0",
        "software_copyrights": "0",
        box: WHY,
        **token(saved),
    }
    response = enterprise_client.post(annual_url, data)
    assert response.status_code == 302, response.context["form"].errors
    explanation.refresh_from_db()
    assert explanation.status == ExplanationStatus.PENDING
    assert explanation.text == WHY and explanation.revision == 2
    assert explanation.submitted_by == enterprise_user

    # Now it is the staff's to review.
    queue = staff_client.get(reverse("upstream:explanations")).content.decode()
    assert WHY in queue and "A-YOY-REVENUE" in queue


def test_a_dry_run_asks_for_nothing(tmp_path, staff_user, enterprise, enterprise_user):
    _last_year(enterprise)
    path = _xlsx(tmp_path, ANNUAL_HEADERS, [_annual_row(enterprise)])
    outcome = _import(AnnualFiguresResource, path, staff_user, dry_run=True)
    assert outcome.ok and outcome.new == 1
    assert not Explanation.objects.exists() and not Notification.objects.exists()


def test_a_file_with_a_bad_row_asks_for_nothing(tmp_path, staff_user, enterprise, enterprise_user):
    _last_year(enterprise)
    bad = _annual_row(enterprise)
    bad[ANNUAL_HEADERS.index("从业人员（人）")] = "很多"
    path = _xlsx(tmp_path, ANNUAL_HEADERS, [_annual_row(enterprise), bad])
    outcome = _import(AnnualFiguresResource, path, staff_user)
    assert not outcome.ok
    assert not AnnualFigures.objects.filter(year=YEAR).exists()
    assert not Explanation.objects.exists() and not Notification.objects.exists()


def test_a_reimport_keeps_what_is_explained_and_drops_what_now_passes(
    tmp_path, staff_user, enterprise, enterprise_user
):
    _last_year(enterprise)
    path = _xlsx(tmp_path, ANNUAL_HEADERS, [_annual_row(enterprise)])
    resource = AnnualFiguresResource
    assert run_import(resource(user=staff_user, update=True), load_dataset(path), dry_run=False).ok
    Explanation.objects.update(text=WHY, status=ExplanationStatus.PENDING)
    # The same figures again: the explanation stands, nothing new is asked.
    assert run_import(resource(user=staff_user, update=True), load_dataset(path), dry_run=False).ok
    explanation = Explanation.objects.get()
    assert explanation.status == ExplanationStatus.PENDING and explanation.text == WHY
    assert Notification.objects.count() == 1
    # Other figures that still fail: asked again (the text kept to revise), a new revision.
    path = _xlsx(tmp_path, ANNUAL_HEADERS, [_annual_row(enterprise, revenue=45_000_000)])
    assert run_import(resource(user=staff_user, update=True), load_dataset(path), dry_run=False).ok
    explanation.refresh_from_db()
    assert explanation.status == ExplanationStatus.AWAITING and explanation.revision == 2
    assert explanation.text == WHY and explanation.values["revenue"] == "45000000.00"
    assert Notification.objects.count() == 2
    # Corrected figures: the rule passes and its explanation goes.
    path = _xlsx(tmp_path, ANNUAL_HEADERS, [_annual_row(enterprise, revenue=12_000_000)])
    assert run_import(resource(user=staff_user, update=True), load_dataset(path), dry_run=False).ok
    assert not Explanation.objects.exists()
    assert Notification.objects.count() == 2


def test_a_quarterly_import_below_the_previous_quarter_awaits_the_enterprise(
    tmp_path, staff_user, enterprise, enterprise_user, enterprise_client
):
    q1 = PeriodFactory(year=YEAR, quarter=1)
    q2 = PeriodFactory(year=YEAR, quarter=2)
    QuarterlyFiguresFactory(enterprise=enterprise, period=q1, revenue_ytd=Decimal("8000000"))
    row = {
        "统一社会信用代码": enterprise.credit_code,
        "年度": YEAR,
        "季度": 2,
        "营业收入（本年累计，元）": 6_000_000,
        "研发费用（本年累计，元）": 500_000,
        "从业人员（期末，人）": 120,
    }
    path = _xlsx(tmp_path, QUARTERLY_HEADERS, [[row.get(h) for h in QUARTERLY_HEADERS]])
    outcome = _import(QuarterlyFiguresResource, path, staff_user)
    assert outcome.ok, outcome.errors
    explanation = Explanation.objects.get()
    assert (explanation.year, explanation.quarter) == (YEAR, 2)
    assert explanation.rule_code == "Q-BAL-YTD-REVENUE"
    assert explanation.status == ExplanationStatus.AWAITING
    assert explanation.values == {
        "revenue_ytd": "6000000.00",
        "last_quarter_revenue_ytd": "8000000.00",
    }
    note = Notification.objects.get(kind=Kind.EXPLANATION_NEEDED)
    assert f"{YEAR}年第2季度数据有1项" in note.body
    detail = enterprise_client.get(explanation.portal_url()).content.decode()
    assert reverse("enterprises:portal_quarterly_edit", args=[q2.pk]) in detail


def test_the_admin_import_asks_the_enterprise_too(staff_client, enterprise, enterprise_user):
    _last_year(enterprise)
    url = reverse("admin:enterprises_annualfigures_import")
    book = openpyxl.Workbook()
    book.active.append(ANNUAL_HEADERS)
    book.active.append(_annual_row(enterprise))
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "annual.xlsx"
    html = staff_client.get(url).content.decode()
    fmt = re.search(r'<option value="(\d+)"[^>]*>xlsx</option>', html).group(1)
    preview = staff_client.post(url, {"format": fmt, "import_file": data})
    assert preview.status_code == 200
    assert not Explanation.objects.exists()  # the preview is a dry run
    confirm = preview.context["confirm_form"]
    response = staff_client.post(
        reverse("admin:enterprises_annualfigures_process_import"),
        {name: confirm[name].value() for name in confirm.fields},
    )
    assert response.status_code == 302
    assert Explanation.objects.get().status == ExplanationStatus.AWAITING
    assert Notification.objects.get().recipient == enterprise_user


def _firms(n: int) -> list:
    firms = []
    for _ in range(n):
        firm = EnterpriseAccountFactory().enterprise
        _last_year(firm)
        firms.append(firm)
    return firms


def test_the_gate_adds_no_queries_per_row_or_rule(tmp_path, staff_user):
    """Rows failing two rules each (revenue up 300%, R&D down 99%) cost the import exactly
    what passing rows cost, per row: the gate's reads and writes are per chunk, not per row
    or rule (the figures, the earlier filings, the explanations on file; one bulk insert,
    the recipients, the notifications, their channels and deliveries)."""

    def cost(n: int, failing: bool) -> int:
        firms = _firms(n)
        rows = [
            _annual_row(f, rd_expense=20_000) if failing else _annual_row(f, revenue=12_000_000)
            for f in firms
        ]
        path = _xlsx(tmp_path, ANNUAL_HEADERS, rows, name=f"{n}-{failing}.xlsx")
        dataset = load_dataset(path)
        resource = AnnualFiguresResource(user=staff_user)
        before = Explanation.objects.count()
        queries = count_queries(
            lambda: run_import(resource, dataset, dry_run=False, user=staff_user)
        )
        assert Explanation.objects.count() - before == (2 * n if failing else 0)
        return queries

    one_failing, twenty_failing = cost(1, True), cost(20, True)
    one_passing, twenty_passing = cost(1, False), cost(20, False)
    assert twenty_failing - one_failing == twenty_passing - one_passing
    assert Notification.objects.filter(kind=Kind.EXPLANATION_NEEDED).count() == 21
    assert set(Explanation.objects.values_list("rule_code", flat=True)) == {
        "A-YOY-REVENUE",
        "A-YOY-RD",
    }
