"""Reads of the enterprise registry shared by pages and figures."""

import dataclasses
import datetime
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from bureau.models import ApplicationTransition, ReportingPeriod
from bureau.roles import Role

from . import eligibility
from .models import (
    AnnualFigures,
    Enterprise,
    InnovationProfile,
    Qualification,
    QualificationKind,
    QuarterlyFigures,
    StrategicIndustry,
)


def enterprise_list_for_user(*, user) -> QuerySet[Enterprise]:
    """Enterprises the user may see: all for bureau roles, only its own for an enterprise user."""
    qs = Enterprise.objects.select_related("zone")
    if user.role is Role.ENTERPRISE_USER:
        return qs.filter(accounts__user=user)
    if user.role is None:
        return qs.none()
    return qs


PICKER_LIMIT = 20


def enterprise_search(
    *, term: str, active_only: bool = False, limit: int = PICKER_LIMIT
) -> list[dict]:
    """Enterprises whose name or credit code contains `term`, for a search-as-you-type picker:
    one query, at most `limit` rows, name and code only (no personal field is searched)."""
    term = term.strip()
    if not term:
        return []
    queryset = Enterprise.objects.filter(is_active=True) if active_only else Enterprise.objects
    rows = (
        queryset.filter(Q(name__icontains=term) | Q(credit_code__icontains=term.upper()))
        .order_by("name", "credit_code")
        .values("pk", "name", "credit_code")[:limit]
    )
    return [{"id": r["pk"], "text": picker_label(r["name"], r["credit_code"]), **r} for r in rows]


def picker_label(name: str, credit_code: str) -> str:
    """How a picker names an enterprise: demo and real names repeat, the credit code does not."""
    return f"{name}（{credit_code}）"


def enterprise_get_for_user(*, user, pk: int) -> Enterprise:
    """The one gate for a single enterprise: 404 when the user may not see it."""
    try:
        return enterprise_list_for_user(user=user).get(pk=pk)
    except Enterprise.DoesNotExist:
        raise Http404 from None


def enterprise_detail(*, user, pk: int) -> Enterprise:
    enterprise = enterprise_list_for_user(user=user).prefetch_related(
        Prefetch("annual_figures", queryset=AnnualFigures.objects.order_by("-year")),
        Prefetch(
            "quarterly_figures",
            queryset=QuarterlyFigures.objects.select_related("period").order_by(
                "-period__year", "-period__quarter"
            ),
        ),
    )
    try:
        return enterprise.get(pk=pk)
    except Enterprise.DoesNotExist:
        raise Http404 from None


def quarterly_overview(
    *, enterprise: Enterprise
) -> list[tuple[ReportingPeriod, QuarterlyFigures | None]]:
    """Every reporting period with the enterprise's figures for it (None when not yet filled)."""
    figures = {f.period_id: f for f in QuarterlyFigures.objects.filter(enterprise=enterprise)}
    return [(p, figures.get(p.pk)) for p in ReportingPeriod.objects.all()]


def enterprise_counts_by_zone() -> QuerySet:
    return Enterprise.objects.filter(is_active=True).values("zone__name").annotate(n=Count("id"))


# --- The tier ladder ------------------------------------------------------------------------


def qualification_list_for_user(*, user) -> QuerySet[Qualification]:
    """Qualifications the user may see: all for bureau roles, its own for an enterprise user."""
    qs = Qualification.objects.select_related("enterprise", "kind")
    if user.role is Role.ENTERPRISE_USER:
        return qs.filter(enterprise__accounts__user=user)
    if user.role is None:
        return qs.none()
    return qs


def qualification_get_for_user(*, user, pk: int) -> Qualification:
    """The one gate for a single qualification: 404 when the user may not see it."""
    try:
        return qualification_list_for_user(user=user).get(pk=pk)
    except Qualification.DoesNotExist:
        raise Http404 from None


def held_titles(enterprise_ids, day: datetime.date) -> dict[int, set[str]]:
    """Kind codes each enterprise holds (approved, valid on `day`). One query."""
    held: dict[int, set[str]] = defaultdict(set)
    rows = (
        Qualification.objects.valid_on(day)
        .filter(enterprise_id__in=enterprise_ids)
        .values_list("enterprise_id", "kind__code")
    )
    for enterprise_id, code in rows:
        held[enterprise_id].add(code)
    return held


def facts_for(
    enterprises: list[Enterprise], day: datetime.date, *, ids: QuerySet | None = None
) -> dict[int, eligibility.Facts]:
    """Pre-screening inputs for each enterprise on `day`: three queries whatever their number
    (annual figures of the four years before `day`, titles held, innovation profiles).

    `ids` may be a queryset of the enterprises' pks (a subquery): with 10,000 enterprises that
    spares building and sending three lists of 10,000 parameters."""
    if ids is None:
        ids = [e.pk for e in enterprises]
    prior = day.year - 1
    years: dict[int, dict[int, eligibility.YearFigures]] = defaultdict(dict)
    year_figures = eligibility.YearFigures
    for row in AnnualFigures.objects.filter(
        enterprise_id__in=ids, year__range=(prior - 3, prior)
    ).values_list(*ANNUAL_FIELDS):
        # Positional, in YearFigures' field order: year, the YEAR_FIELDS, class I and II IP.
        inv, other1, utility, design, software = row[14:]
        years[row[0]][row[1]] = year_figures(*row[1:14], inv + other1, utility + design + software)
    held = held_titles(ids, day)
    profiles = {p.enterprise_id: p for p in InnovationProfile.objects.filter(enterprise_id__in=ids)}
    # Plain strings in the active language: a lazy label would translate at every truth test.
    strategic = {value: str(label) for value, label in STRATEGIC_LABELS.items()}
    no_titles: frozenset[str] = frozenset()
    result = {}
    for e in enterprises:
        p = profiles.get(e.pk)
        titles = held.get(e.pk)
        result[e.pk] = eligibility.Facts(
            assessment_date=day,
            established_on=e.established_on,
            size_class=e.size_class,
            years=years.get(e.pk, {}),
            titles=frozenset(titles) if titles else no_titles,
            strategic_industry=strategic.get(e.strategic_industry, ""),
            **({name: getattr(p, name) or None for name in PROFILE_FIELDS} if p else {}),
        )
        if p is not None:  # blank choice fields mean "unknown"; zero counts are real zeros
            result[e.pk] = dataclasses.replace(
                result[e.pk],
                high_value_class1_ip=p.high_value_class1_ip,
                self_developed_class1_ip=p.self_developed_class1_ip,
            )
    return result


STRATEGIC_LABELS = dict(StrategicIndustry.choices)
YEAR_FIELDS = (
    "revenue",
    "main_business_revenue",
    "rd_expense",
    "cost_expense_total",
    "hitech_product_revenue",
    "total_assets",
    "total_liabilities",
    "net_profit",
    "equity_financing",
    "employees",
    "tech_staff",
    "rd_staff",
)
ANNUAL_FIELDS = (
    "enterprise_id",
    "year",
    *YEAR_FIELDS,
    "invention_patents",
    "other_class1_ip",
    "utility_models",
    "design_patents",
    "software_copyrights",
)
PROFILE_FIELDS = (
    "niche_since_year",
    "rd_institution_level",
    "award_level",
    "award_year",
    "award_rank",
    "led_standard_year",
    "digital_level",
    "development_score",
    "development_score_year",
)


# What the pre-screening list, its export and the rules read of an enterprise: loading the
# other columns (addresses, products, timestamps) of 10,000 rows would cost more than the rules.
PRESCREEN_FIELDS = (
    "credit_code",
    "name",
    "size_class",
    "established_on",
    "strategic_industry",
    "is_active",
    "zone__name",
    "zone__order",
)


@dataclasses.dataclass
class PrescreenRow:
    enterprise: Enterprise
    assessment: eligibility.Assessment
    tier: QualificationKind | None  # the highest ladder title held


def ladder_kinds() -> list[QualificationKind]:
    return list(QualificationKind.objects.filter(is_active=True).order_by("order", "pk"))


def current_tier(titles, kinds: list[QualificationKind]) -> QualificationKind | None:
    """The highest ladder title among `titles` (kind codes)."""
    on_ladder = [k for k in kinds if k.code in titles and k.ladder_rank > 0]
    return max(on_ladder, key=lambda k: k.ladder_rank, default=None)


def prescreen(
    kind: QualificationKind,
    enterprises: QuerySet[Enterprise],
    day: datetime.date,
    *,
    kinds: list[QualificationKind] | None = None,
) -> list[PrescreenRow]:
    """Every enterprise of `enterprises` not holding `kind` on `day`, pre-screened and ranked
    best first, in Python. Four queries whatever the number of enterprises, but the rules run
    for every row: the pages read kept results instead (`prescreen_results_for_user`); this
    stays as the reference the kept results are tested against."""
    kinds = kinds if kinds is not None else ladder_kinds()
    holders = Qualification.objects.valid_on(day).filter(kind=kind).values("enterprise_id")
    candidate_qs = enterprises.exclude(pk__in=holders)
    candidates = list(candidate_qs.select_related("zone").only(*PRESCREEN_FIELDS))
    all_facts = facts_for(candidates, day, ids=candidate_qs.values("pk"))
    evaluate = eligibility.evaluator_for(kind.rule_family, day)
    if evaluate is None:
        return []
    tiers: dict[frozenset, QualificationKind | None] = {}  # few distinct sets of titles
    rows = []
    for enterprise in candidates:
        facts = all_facts[enterprise.pk]
        assessment = evaluate(facts)
        titles = facts.titles
        if titles not in tiers:
            tiers[titles] = current_tier(titles, kinds)
        rows.append(PrescreenRow(enterprise, assessment, tiers[titles]))
    rows.sort(key=lambda r: (*r.assessment.sort_key, r.enterprise.name))
    return rows


def enterprise_ladder(enterprise: Enterprise, day: datetime.date) -> dict:
    """What the enterprise holds on `day` and how it pre-screens for each kind it does not."""
    kinds = ladder_kinds()
    facts = facts_for([enterprise], day)[enterprise.pk]
    held = [k for k in kinds if k.code in facts.titles]
    assessments = []
    for kind in kinds:
        if kind.code in facts.titles:
            continue
        assessment = eligibility.assess(kind.rule_family, facts)
        if assessment is not None:
            assessments.append((kind, assessment))
    return {
        "held": held,
        "tier": current_tier(facts.titles, kinds),
        "assessments": assessments,
        "rule_set": eligibility.rule_set_for(day),
    }


def pipeline_board(year: int) -> tuple[list[QualificationKind], dict]:
    """Counts of the year's batch by kind and status. Two queries."""
    kinds = ladder_kinds()
    counts = {
        (row["kind_id"], row["status"]): row["n"]
        for row in Qualification.objects.filter(batch_year=year)
        .values("kind_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    }
    return kinds, counts


def reminders(day: datetime.date) -> dict[str, QuerySet]:
    """Approved titles expiring within the configured window (default 180 days), and last
    year's tech-SME registrations not yet renewed in the new year's batch."""
    expiring = (
        Qualification.objects.expiring(day)
        .exclude(kind__validity_rule="year_of_issue")
        .select_related("enterprise", "kind")
        .order_by("valid_to", "enterprise__name")
    )
    renewed = (
        Qualification.objects.filter(kind__code="tech_sme", batch_year=day.year)
        .exclude(status__in=("rejected", "withdrawn"))
        .values("enterprise_id")
    )
    not_renewed = (
        Qualification.objects.approved()
        .filter(kind__code="tech_sme", batch_year=day.year - 1)
        .exclude(enterprise_id__in=renewed)
        .select_related("enterprise", "kind")
        .order_by("enterprise__name")
    )
    return {"expiring": expiring, "not_renewed": not_renewed}


def qualifications_with_timelines(enterprise: Enterprise) -> list[Qualification]:
    """The enterprise's qualifications, each with `.timeline` (its transitions). Two queries."""
    qualifications = list(
        Qualification.objects.filter(enterprise=enterprise)
        .select_related("kind")
        .order_by("kind__order", "-batch_year", "-pk")
    )
    by_id: dict[int, list] = defaultdict(list)
    content_type = ContentType.objects.get_for_model(Qualification)
    for t in ApplicationTransition.objects.filter(
        content_type=content_type, object_id__in=[q.pk for q in qualifications]
    ).select_related("by"):
        by_id[t.object_id].append(t)
    for q in qualifications:
        q.timeline = by_id.get(q.pk, [])
    return qualifications


def enterprise_trends(enterprise: Enterprise) -> list[tuple[str, list[tuple[str, float]]]]:
    """Small trend series (万元) from the prefetched annual and quarterly figures."""
    annual = sorted(enterprise.annual_figures.all(), key=lambda f: f.year)
    quarterly = sorted(
        enterprise.quarterly_figures.all(), key=lambda f: (f.period.year, f.period.quarter)
    )

    def wan(value) -> float:
        return float(value or 0) / 10000

    return [
        ("营业收入（年度，万元）", [(str(f.year), wan(f.revenue)) for f in annual]),
        ("研发费用（年度，万元）", [(str(f.year), wan(f.rd_expense)) for f in annual]),
        (
            "营业收入（季度累计，万元）",
            [(f"{f.period.year}Q{f.period.quarter}", wan(f.revenue_ytd)) for f in quarterly],
        ),
    ]


def staff_reminders(day: datetime.date) -> list[tuple[str, str]]:
    """Titles expiring within 180 days and last year's 科小 not yet renewed (2 queries)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    lists = reminders(day)
    expiring, not_renewed = lists["expiring"].count(), lists["not_renewed"].count()
    url = reverse("enterprises:reminders")
    items = []
    if expiring:
        items.append((_("%(n)d 项企业资质将在180天内到期") % {"n": expiring}, url))
    if not_renewed:
        items.append(
            (_("%(n)d 家去年入库的科技型中小企业今年尚未重新入库") % {"n": not_renewed}, url)
        )
    return items


def portal_items(user) -> list:
    """我的事项: the user's enterprise's applications on the tier ladder (资质申报) and the
    quarterly and annual figures it filed (3 queries)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from bureau.casework import PortalItem
    from bureau.models import ApplicationStatus, PeriodStatus

    from .models import AnnualFigures, QuarterlyFigures

    items = []
    for q in qualification_list_for_user(user=user):
        items.append(
            PortalItem(
                kind=_("资质申报"),
                title=str(q.kind),
                submitted=q.created_at.date() if q.created_at else None,
                status=q.get_status_display(),
                changed=q.status_changed_at,
                url=reverse("enterprises:portal_qualification", args=[q.pk]),
                open=q.status
                not in (
                    ApplicationStatus.APPROVED,
                    ApplicationStatus.REJECTED,
                    ApplicationStatus.WITHDRAWN,
                ),
            )
        )
    if user.role is not Role.ENTERPRISE_USER:
        return items
    own = {"enterprise__accounts__user": user}
    for f in QuarterlyFigures.objects.filter(**own).select_related("period"):
        locked = f.period.status == PeriodStatus.LOCKED
        items.append(
            PortalItem(
                kind=_("季度数据"),
                title=str(f.period),
                submitted=f.updated_at.date(),
                status=_("已填报，已锁定") if locked else _("已填报，可修改"),
                changed=f.updated_at,
                url=reverse("enterprises:portal_quarterly_edit", args=[f.period_id]),
                receipt_url=reverse("enterprises:portal_quarterly_receipt", args=[f.period_id]),
            )
        )
    for f in AnnualFigures.objects.filter(**own):
        items.append(
            PortalItem(
                kind=_("年度数据"),
                title=_("%(y)s年度") % {"y": f.year},
                submitted=f.updated_at.date(),
                status=_("已填报"),
                changed=f.updated_at,
                url=reverse("enterprises:portal_annual_edit", args=[f.year]),
                receipt_url=reverse("enterprises:portal_annual_receipt", args=[f.year]),
            )
        )
    return items


# --- Pre-screening results (enterprises.prescreening keeps them) ------------------------------

# The list's ranking: outcome, score (higher first; unknown as 0), fewer failed rules, name.
PRESCREEN_ORDER = (
    "outcome_rank",
    "-sort_score",
    "failed_count",
    "enterprise_name",
    "enterprise_id",
)
PRESCREEN_SORTS = {
    "": PRESCREEN_ORDER,
    "name": ("enterprise_name", "enterprise_id"),
    "-score": ("-sort_score", "outcome_rank", "failed_count", "enterprise_name", "enterprise_id"),
}


def prescreen_results_for_user(
    *,
    user,
    kind: QualificationKind,
    rule_set: str,
    tier: str = "",
    outcome: str = "",
    sort: str = "",
) -> QuerySet:
    """The kept pre-screening results of `kind` under `rule_set` for the enterprises not
    holding it, ranked (or sorted by `sort`, a key of PRESCREEN_SORTS), filtered by current
    tier ("none" for no ladder title) and outcome: one query, in SQL. Bureau roles only."""
    from .models import PrescreenResult

    if user.role is None or user.role is Role.ENTERPRISE_USER:
        return PrescreenResult.objects.none()
    qs = PrescreenResult.objects.filter(kind=kind, rule_set=rule_set, holds_kind=False)
    if tier:
        qs = qs.filter(tier_code="" if tier == "none" else tier)
    if outcome:
        qs = qs.filter(outcome=outcome)
    return qs.order_by(*PRESCREEN_SORTS.get(sort, PRESCREEN_ORDER))


def prescreen_page_rows(qs: QuerySet) -> QuerySet:
    """What a page or export row shows of each result: the enterprise's code and zone."""
    return qs.select_related("enterprise", "zone").only(
        *(f.name for f in qs.model._meta.concrete_fields if f.name not in ("conditions",)),
        "enterprise__credit_code",
        "enterprise__name",
        "enterprise__size_class",
        "zone__name",
    )


def prescreen_stats(kind: QualificationKind, rule_set: str) -> dict:
    """When the kind's kept results were computed (oldest, newest) and how many: one query."""
    from django.db.models import Max, Min

    from .models import PrescreenResult

    return PrescreenResult.objects.filter(kind=kind, rule_set=rule_set).aggregate(
        oldest=Min("computed_at"), newest=Max("computed_at")
    )
