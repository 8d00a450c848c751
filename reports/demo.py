"""Demo data of the reports app: the 2024 summary, drafted from the records, and targets.

No prose is stored here: every paragraph of the 2024 summary, in every section, is drafted by
the rules in reports.drafting from the records the other apps seed. What lives here is data
staff would enter: the 2024 and 2025 targets (section 四 of the seed as numbers) and the
rounding style staff chose for the seed's "10余次 / 10次以上 / 60余次".
"""

from decimal import Decimal

from bureau.models import Target

from .models import AnnualSummary, NarrativeParagraph

DEMO_YEAR = 2024

# Section 四 of the seed as the 2025 targets the dashboard tracks: (figure key, label, value,
# unit). The plan's sentences are drafted from them (reports.drafting.plan).
TARGETS_2025 = [
    ("enterprises.hitech_new", "新培育高新技术企业", "25", "家"),
    ("enterprises.tech_sme_registered", "科技型中小企业入库", "190", "家"),
    ("bureau.activities.policy_seminar", "政策宣讲会", "12", "次"),
    ("incubation.rd_platforms_new.provincial", "新增省级研发中心", "4", "个"),
    ("digital.assessed_enterprises", "数字化测评企业", "100", "家"),
    ("finance.signed_on_site", "银企对接现场签约金额", "200000000", "元"),
]

# How the seed writes its activity counts ("10余次", "10次以上", "60余次"): the rounding the
# demo's staff chose for those figures.
ROUNDING_2024 = {
    "digital.meetings": "about",
    "bureau.activities.policy_seminar": "above",
    "bureau.activities.door_to_door": "about",
}

# The seed's "创小申报工作正在进行，预计申报30家": a 2024 target the sentence reads.
TARGETS_2024 = [("enterprises.innovative_sme_applications", "创新型中小企业申报", "30", "家")]


def _target(year: int, key: str, label: str, value: str, unit: str) -> tuple[Target, bool]:
    return Target.objects.get_or_create(
        year=year,
        figure_key=key,
        defaults={"label": label, "target_value": Decimal(value), "unit": unit},
    )


def seed_summary(scale: int = 0) -> str:
    """The 2024 summary drafted from the records, with the 2024 and 2025 targets."""
    from .services import ensure_summary, is_stale, regenerate

    created_targets = sum(_target(DEMO_YEAR, *t)[1] for t in TARGETS_2024)
    created_targets += sum(_target(DEMO_YEAR + 1, *t)[1] for t in TARGETS_2025)
    new_summary = not AnnualSummary.objects.filter(year=DEMO_YEAR).exists()
    summary = ensure_summary(DEMO_YEAR)
    if new_summary:
        AnnualSummary.objects.filter(pk=summary.pk).update(rounding=ROUNDING_2024)
        summary.rounding = ROUNDING_2024
    redrafted = new_summary or is_stale(summary)
    if redrafted:
        regenerate(summary)
    if not (new_summary or created_targets or redrafted):
        return ""
    paragraphs = NarrativeParagraph.objects.filter(section__summary=summary).count()
    return f"{DEMO_YEAR}年度工作总结：起草 {paragraphs} 段，{created_targets} 项目标"


STEPS = [(850, seed_summary)]
