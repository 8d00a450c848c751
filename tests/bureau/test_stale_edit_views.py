"""Every edit page refuses a save without the stale-form token, or with a stale one.

The edit views are found in the URLconf: every project view that handles a POST is either an
edit of an existing record (a case below, walked three ways) or listed with the reason it is
not (it creates a record, or only adds one beside it). A new view that handles a POST fails
`test_every_post_view_is_classified` until it is one or the other.

For each edit page, as the browser sends it (the page's own form, every control as rendered):
- without the token (an old tab opened before a deploy, a script): refused with a Chinese
  message, nothing written;
- with the token of a page opened before A's save: refused, the message names A and when,
  A's values kept;
- from the page reloaded: saved.
"""

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.contrib.messages import get_messages
from django.db import models
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from bureau.concurrency import TOKEN_FIELD
from bureau.figures import Figure
from bureau.models import ApplicationStatus
from bureau.roles import Role
from enterprises.models import QuarterlyFigures
from tests.bureau.test_form_roundtrip import submitted
from tests.factories import (
    AnnualFiguresFactory,
    EnterpriseAccountFactory,
    EnterpriseFactory,
    PeriodFactory,
    QuarterlyFiguresFactory,
    UserFactory,
)

PROJECT_APPS = ("bureau", "enterprises", "incubation", "digital", "talent", "finance", "reports")

# Views that handle a POST but edit no existing record's values, with the reason.
NOT_EDITS = {
    "activity_create": "creates an activity",
    "enterprises:prescreen": "creates candidate qualifications for the chosen enterprises",
    "incubation:tenant_admit": "creates a tenancy",
    "digital:assessment_create": "creates a staff-entered assessment",
    "digital:portal_assessments": "starts a new draft assessment",
    "talent:demand_confirm": "adds a match beside the demand",
    "talent:match_agreement": "creates an agreement from a match",
    "talent:portal_talent_create": "creates a roster entry",
    "talent:portal_demands": "creates a technology demand",
    "finance:need_create": "creates a financing need",
    "finance:portal_need_withdraw": "withdraws (a button, no values); a post without its token "
    "is refused in tests/finance/test_portal_case.py",
    "talent:portal_demand_withdraw": "withdraws (a button, no values); a post without its token "
    "is refused in tests/talent/test_portal_demand_edit.py",
    "finance:need_detail": "invites the need to an event (adds a link)",
    "finance:event_create": "creates an event",
    "finance:event_detail": "records a new signing at the event",
    "finance:signing_detail": "records a new disbursement, checked against the signing",
    "finance:portal_needs": "creates a financing need",
    "reports:summary_create": "creates a year's summary",
    "reports:summary_regenerate": "offers new drafts beside staff's text, never over it",
    "reports:plan_item_add": "creates a plan item",
    "reports:paragraph_add": "creates a paragraph",
    "reports:export_request": "starts an export job",
    "reports:template_upload": "stores a new template version",
}


def _walk(patterns, namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith("admin/"):
                continue
            yield from _walk(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, pattern.callback


def post_views() -> set[str]:
    """URL names of the project's views that handle a POST (read from each view's source)."""
    found = set()
    for name, callback in _walk(get_resolver().url_patterns):
        view = inspect.unwrap(callback)
        if getattr(view, "__module__", "").split(".")[0] not in PROJECT_APPS:
            continue
        source = inspect.getsource(view)
        if any(sign in source for sign in ("request.POST", "require_POST", '"POST"')):
            found.add(name)
    return found


# --- The edit pages ----------------------------------------------------------------------------


@dataclass
class Case:
    page: str  # the page the user opens
    post: str  # where its form posts
    marker: str  # a control that only the form under test has
    record: models.Model
    user_a: object
    user_b: object
    change: dict  # what B types
    a_edit: dict = field(default_factory=dict)  # what A saved meanwhile
    # Controls of a second, optional part of the form, sent only when filled in.
    optional_prefix: str = "\0"


def staff_pair():
    return (
        UserFactory(username="staff_a", full_name="甲科长", role=Role.BUREAU_STAFF),
        UserFactory(username="staff_b", full_name="乙科员", role=Role.BUREAU_STAFF),
    )


def enterprise_pair():
    enterprise = EnterpriseFactory(name="安徽并发光电有限公司")
    a = EnterpriseAccountFactory(
        enterprise=enterprise,
        user=UserFactory(username="ent_a", full_name="甲出纳", role=Role.ENTERPRISE_USER),
    ).user
    b = EnterpriseAccountFactory(
        enterprise=enterprise,
        user=UserFactory(username="ent_b", full_name="乙会计", role=Role.ENTERPRISE_USER),
    ).user
    return enterprise, a, b


def same(url: str) -> tuple[str, str]:
    return url, url


def case_portal_profile() -> Case:
    enterprise, a, b = enterprise_pair()
    page, post = same(reverse("enterprises:portal_profile"))
    return Case(
        page,
        post,
        "main_products",
        enterprise,
        a,
        b,
        {"address": "乙填的地址"},
        {"main_products": "甲改的主要产品"},
    )


def case_portal_quarterly_edit() -> Case:
    enterprise, a, b = enterprise_pair()
    period = PeriodFactory(year=2026, quarter=2)
    figures = QuarterlyFiguresFactory(enterprise=enterprise, period=period)
    page, post = same(reverse("enterprises:portal_quarterly_edit", args=[period.pk]))
    return Case(page, post, "revenue_ytd", figures, a, b, {"tax_ytd": "3"}, {"employees": 77})


def case_portal_annual_edit() -> Case:
    enterprise, a, b = enterprise_pair()
    year = timezone.localdate().year - 1
    figures = AnnualFiguresFactory(enterprise=enterprise, year=year)
    page, post = same(reverse("enterprises:portal_annual_edit", args=[year]))
    return Case(
        page, post, "rd_staff", figures, a, b, {"invention_patents": "9"}, {"employees": 321}
    )


def case_qualification_detail() -> Case:
    from tests.enterprises.factories import QualificationFactory

    a, b = staff_pair()
    qualification = QualificationFactory()
    page, post = same(reverse("enterprises:qualification_detail", args=[qualification.pk]))
    return Case(
        page,
        post,
        "to_status",
        qualification,
        a,
        b,
        {"to_status": ApplicationStatus.PREPARING, "remark": "乙从旧页面推进"},
        {"remark": "甲写的备注"},
    )


def case_application_move_platform() -> Case:
    from tests.incubation.factories import RDPlatformFactory

    a, b = staff_pair()
    platform = RDPlatformFactory()
    return Case(
        reverse("incubation:platform_detail", args=[platform.pk]),
        reverse("incubation:application_move", args=["platform", platform.pk]),
        "to_status",
        platform,
        a,
        b,
        {"to_status": ApplicationStatus.PREPARING},
        {"remark": "甲写的说明"},
    )


def case_application_move_incubator_level() -> Case:
    from tests.incubation.factories import IncubatorApplicationFactory

    a, b = staff_pair()
    application = IncubatorApplicationFactory()
    return Case(
        reverse("incubation:incubator_detail", args=[application.incubator_id]),
        reverse("incubation:application_move", args=["incubator-level", application.pk]),
        "to_status",
        application,
        a,
        b,
        {"to_status": ApplicationStatus.SUBMITTED},
        {"remark": "甲写的说明"},
    )


def case_tenant_end() -> Case:
    from tests.incubation.factories import TenancyFactory

    a, b = staff_pair()
    tenancy = TenancyFactory()
    return Case(
        reverse("incubation:incubator_detail", args=[tenancy.incubator_id]),
        reverse("incubation:tenant_end", args=[tenancy.pk]),
        "exit_reason",
        tenancy,
        a,
        b,
        {"exited_on": "2026-06-30", "exit_reason": "moved_out", "graduation_basis": ""},
        {"note": "甲补充的备注"},
    )


def case_assessment_reopen() -> Case:
    from digital.models import AssessmentSource
    from tests.digital.factories import AssessmentFactory

    a, b = staff_pair()
    assessment = AssessmentFactory(source=AssessmentSource.PORTAL)
    return Case(
        reverse("digital:assessment_detail", args=[assessment.pk]),
        reverse("digital:assessment_reopen", args=[assessment.pk]),
        "reason",
        assessment,
        a,
        b,
        {"reason": "请补充网络建设情况"},
        {"evaluator": "甲"},
    )


def case_portal_assessment_edit() -> Case:
    from digital.models import Assessment, AssessmentSource, AssessmentStatus
    from tests.digital.factories import edition_2024

    enterprise, a, b = enterprise_pair()
    assessment = Assessment.objects.create(
        enterprise=enterprise,
        version=edition_2024(),
        source=AssessmentSource.PORTAL,
        status=AssessmentStatus.DRAFT,
        answers={},
    )
    page, post = same(reverse("digital:portal_assessment_edit", args=[assessment.pk]))
    return Case(
        page,
        post,
        "q_network",
        assessment,
        a,
        b,
        {"q_network": ["network_1"], "action": "save"},
        {"answers": {"it_coverage": "it_coverage_2"}},
    )


def case_talent_application_transition() -> Case:
    from tests.talent.factories import TalentApplicationFactory

    a, b = staff_pair()
    application = TalentApplicationFactory()
    page, post = same(reverse("talent:application_detail", args=[application.pk]))
    return Case(
        page,
        post,
        "t-to_status",
        application,
        a,
        b,
        {"t-to_status": ApplicationStatus.PREPARING},
        {"remark": "甲的备注"},
    )


def case_talent_application_payment() -> Case:
    from tests.talent.factories import TalentApplicationFactory

    a, b = staff_pair()
    application = TalentApplicationFactory(
        status=ApplicationStatus.APPROVED, level="county", amount_granted=100000
    )
    page, post = same(reverse("talent:application_detail", args=[application.pk]))
    return Case(
        page,
        post,
        "p-amount_paid",
        application,
        a,
        b,
        {"p-amount_paid": "5", "p-paid_on": "2024-08-01"},
        {"remark": "甲的备注"},
    )


def case_portal_talent_edit() -> Case:
    from tests.talent.factories import TalentFactory

    enterprise, a, b = enterprise_pair()
    talent = TalentFactory(enterprise=enterprise)
    page, post = same(reverse("talent:portal_talent_edit", args=[talent.pk]))
    return Case(
        page, post, "title_level", talent, a, b, {"position": "乙填的职务"}, {"title": "甲填的职称"}
    )


def case_scheme_detail() -> Case:
    from finance.models import SchemeStage
    from tests.finance.factories import GuaranteeSchemeFactory

    a, b = staff_pair()
    scheme = GuaranteeSchemeFactory(stage=SchemeStage.DESIGN)
    page, post = same(reverse("finance:scheme_detail", args=[scheme.pk]))
    return Case(
        page, post, "on", scheme, a, b, {"remark": "乙从旧页面推进"}, {"total_line": 200000000}
    )


def _summary():
    from reports import services

    return services.ensure_summary(2025)


def case_summary_edit() -> Case:
    a, b = staff_pair()
    summary = _summary()
    page, post = same(reverse("reports:summary_edit", args=[summary.year]))
    return Case(
        page, post, "title", summary, a, b, {"title": "乙改的标题"}, {"title": "甲改的标题"}
    )


def case_summary_rounding() -> Case:
    from reports import services

    a, b = staff_pair()
    summary = _summary()
    services.regenerate(summary)
    summary.refresh_from_db()
    return Case(
        reverse("reports:summary_edit", args=[summary.year]),
        reverse("reports:summary_rounding", args=[summary.year]),
        "bureau.activities.policy_seminar",
        summary,
        a,
        b,
        {"bureau.activities.policy_seminar": "about"},
        {"title": "甲改的标题"},
    )


def case_plan_item_edit() -> Case:
    from tests.reports.factories import PlanItemFactory

    a, b = staff_pair()
    summary = _summary()
    item = PlanItemFactory(summary=summary)
    page, post = same(reverse("reports:plan_item_edit", args=[summary.year, item.pk]))
    return Case(
        page,
        post,
        "item-title",
        item,
        a,
        b,
        {"item-text": "乙写的安排"},
        {"title": "甲改的标题"},
        optional_prefix="new_target-",
    )


def case_paragraph_edit() -> Case:
    from reports.models import NarrativeParagraph

    a, b = staff_pair()
    summary = _summary()
    section = summary.sections.first()
    paragraph = NarrativeParagraph.objects.create(section=section, text="原稿")
    page, post = same(reverse("reports:paragraph_edit", args=[paragraph.pk]))
    return Case(
        page,
        post,
        "text",
        paragraph,
        a,
        b,
        {"text": "乙从旧页面保存的段落"},
        {"text": "甲改过的段落"},
    )


def case_portal_need_edit() -> Case:
    from finance.models import NeedSource
    from tests.finance.factories import NeedFactory

    enterprise, a, b = enterprise_pair()
    need = NeedFactory(enterprise=enterprise, source=NeedSource.PORTAL)
    page, post = same(reverse("finance:portal_need_edit", args=[need.pk]))
    return Case(page, post, "purpose", need, a, b, {"purpose": "乙改的用途"}, {"term_months": 24})


def case_portal_demand_edit() -> Case:
    from tests.talent.factories import DemandFactory

    enterprise, a, b = enterprise_pair()
    demand = DemandFactory(enterprise=enterprise)
    page, post = same(reverse("talent:portal_demand_edit", args=[demand.pk]))
    return Case(
        page,
        post,
        "description",
        demand,
        a,
        b,
        {"description": "乙改的需求描述"},
        {"title": "甲改的需求标题"},
    )


EDIT_CASES: dict[str, list[Callable[[], Case]]] = {
    "finance:portal_need_edit": [case_portal_need_edit],
    "talent:portal_demand_edit": [case_portal_demand_edit],
    "enterprises:portal_profile": [case_portal_profile],
    "enterprises:portal_quarterly_edit": [case_portal_quarterly_edit],
    "enterprises:portal_annual_edit": [case_portal_annual_edit],
    "enterprises:qualification_detail": [case_qualification_detail],
    "incubation:application_move": [
        case_application_move_platform,
        case_application_move_incubator_level,
    ],
    "incubation:tenant_end": [case_tenant_end],
    "digital:assessment_reopen": [case_assessment_reopen],
    "digital:portal_assessment_edit": [case_portal_assessment_edit],
    "talent:application_detail": [
        case_talent_application_transition,
        case_talent_application_payment,
    ],
    "talent:portal_talent_edit": [case_portal_talent_edit],
    "finance:scheme_detail": [case_scheme_detail],
    "reports:summary_edit": [case_summary_edit],
    "reports:summary_rounding": [case_summary_rounding],
    "reports:plan_item_edit": [case_plan_item_edit],
    "reports:paragraph_edit": [case_paragraph_edit],
}

ALL_CASES = [builder for builders in EDIT_CASES.values() for builder in builders]


def test_every_post_view_is_classified():
    """A view that handles a POST is an edit page walked below, or says why it is not one."""
    found = post_views()
    unclassified = found - set(EDIT_CASES) - set(NOT_EDITS)
    assert not unclassified, f"POST views neither walked as edit pages nor excused: {unclassified}"
    assert not (set(EDIT_CASES) | set(NOT_EDITS)) - found, "classified views that are gone"


# --- Walking one edit page ---------------------------------------------------------------------


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)


def page_form(html: str, case: Case) -> dict:
    """The controls of the page's form under test, as the browser would post them."""
    for attrs, body in FORM.findall(html):
        action = re.search(r'action="([^"]*)"', attrs)
        target = urlsplit(action.group(1)).path if action and action.group(1) else case.page
        if target != case.post or f'name="{case.marker}"' not in body:
            continue
        data, invalid = submitted(f"<form{attrs}>{body}</form>")
        # Boxes the user is about to fill may be empty on the page.
        invalid = [
            i
            for i in invalid
            if i.split(":")[0] not in case.change and not i.startswith(case.optional_prefix)
        ]
        assert not invalid, invalid
        return {k: data.getlist(k) if len(data.getlist(k)) > 1 else data[k] for k in data}
    raise AssertionError(f"no form posting to {case.post} with {case.marker} on {case.page}")


def state(record: models.Model) -> tuple:
    record = type(record)._default_manager.get(pk=record.pk)
    return model_to_dict(record), record.history.order_by("-history_id").first().history_id


def refusal(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def a_saves(case: Case) -> None:
    record = type(case.record)._default_manager.get(pk=case.record.pk)
    for name, value in case.a_edit.items():
        setattr(record, name, value)
    record._history_user = case.user_a
    record.save()


@pytest.mark.parametrize("build", ALL_CASES, ids=lambda b: b.__name__.removeprefix("case_"))
def test_edit_page_refuses_a_save_without_or_with_a_stale_token(db, build):
    case = build()
    b = login(case.user_b)
    html = b.get(case.page)
    assert html.status_code == 200
    form_b = page_form(html.content.decode(), case)
    token_keys = [k for k in form_b if k.endswith(TOKEN_FIELD)]
    assert len(token_keys) == 1, f"the form carries one token: {token_keys}"

    # 1. No token at all (an old tab from before a deploy, a script): refused, nothing written.
    before = state(case.record)
    without = {k: v for k, v in {**form_b, **case.change}.items() if k not in token_keys}
    response = b.post(case.post, without)
    assert response.status_code == 302, response.content.decode()[:1500]
    message = refusal(response)
    assert "保存未生效" in message and "缺少版本标记" in message, message
    assert state(case.record) == before

    # 2. A saves; B's page, opened before, is stale: refused, naming A and when; A's values kept.
    a_saves(case)
    after_a = state(case.record)
    response = b.post(case.post, {**form_b, **case.change})
    assert response.status_code == 302
    message = refusal(response)
    assert "甲" in message and timezone.localtime().strftime("%Y-%m-%d") in message, message
    assert "保存未生效" in message
    assert state(case.record) == after_a
    for name, value in case.a_edit.items():
        assert after_a[0][name] == value

    # 3. Reloaded, the page carries the current token: B's save goes through.
    fresh = page_form(b.get(case.page).content.decode(), case)
    response = b.post(case.post, {**fresh, **case.change})
    assert response.status_code == 302
    assert "保存未生效" not in refusal(response)
    assert state(case.record)[1] > after_a[1], "B's save wrote a new version"


def test_the_refusal_reads_in_english(db):
    case = case_portal_quarterly_edit()
    b = login(case.user_b)
    b.cookies["django_language"] = "en"
    with translation.override("en"):
        form_b = page_form(b.get(case.page).content.decode(), case)
        a_saves(case)
        message = refusal(b.post(case.post, {**form_b, **case.change}))
        without = {k: v for k, v in form_b.items() if k != TOKEN_FIELD}
        missing = refusal(b.post(case.post, without))
    assert "Not saved" in message and "甲出纳" in message, message
    assert "Not saved" in missing and "version" in missing, missing


def test_a_create_form_needs_no_token(db):
    """Adding a record has nothing to be stale against: the token's absence is no refusal."""
    enterprise, a, _b = enterprise_pair()
    period = PeriodFactory(year=2026, quarter=3)
    client = login(a)
    url = reverse("enterprises:portal_quarterly_edit", args=[period.pk])
    response = client.post(url, {"revenue_ytd": "12", "employees": "5"})
    assert response.status_code == 302
    assert QuarterlyFigures.objects.get(enterprise=enterprise, period=period).employees == 5


@pytest.fixture(autouse=True)
def _no_slow_figures(monkeypatch, settings):
    """The summary's figures: two, so that drafting the rounding case's summary is quick."""
    from bureau import figures as registry

    settings.FIGURE_CACHE_SECONDS = 0

    def source(year: int, quarter: int | None = None) -> list[Figure]:
        return [Figure("bureau.activities.policy_seminar", "政策宣讲会", "次", 12, year)]

    monkeypatch.setattr(registry, "sources", lambda: {"bureau": source})
