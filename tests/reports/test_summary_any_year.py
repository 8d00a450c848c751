"""A made-up year (2031, with 2030 before it), built from scratch with factories — none of the
demo's records — drafted and exported: every section reads from its data."""

import datetime
import io
import os
import re
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone

from bureau.models import Activity, ActivityKind, ApplicationStatus, Level, Target
from digital.models import DemoGroup, DemonstrationEnterprise, Milestone, MilestoneStage
from reports import services
from reports.document import build
from reports.models import AnnualSummary
from reports.selectors import snapshot_values, summary_get
from reports.summary import STRUCTURE, figure_keys, format_number
from talent.models import TalentActivity, TalentActivityStatus, TalentCategory, TitleLevel
from tests.digital.factories import (
    AssessmentFactory,
    DemoParkProjectFactory,
    DiagnosticVisitFactory,
    ServiceDeliveryFactory,
)
from tests.enterprises.factories import ApprovedQualificationFactory, QualificationFactory, kind
from tests.factories import EnterpriseFactory
from tests.finance.factories import FinanceEventFactory, ProductFactory, SigningFactory
from tests.incubation.factories import (
    IncubatorApplicationFactory,
    IncubatorFactory,
    RDPlatformFactory,
    RecognitionFactory,
    TenancyFactory,
)
from tests.talent.factories import AgreementFactory, DemandFactory, TalentFactory
from tests.talent.factories import InstitutionFactory as UniversityFactory

pytestmark = pytest.mark.django_db

YEAR = 2031
FORBIDDEN = re.compile(r"(?<![0-9.])0[个家次人项]|暂无数据")
INTERNAL_KEY = re.compile(r"[a-z_]+\.[a-z_]+")
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def day(month: int, d: int = 1, year: int = YEAR) -> datetime.date:
    return datetime.date(year, month, d)


def activity(code: str, when: datetime.date, topic: str) -> Activity:
    return Activity.objects.create(kind=ActivityKind.objects.get(code=code), date=when, topic=topic)


def approved(code: str, n: int, year: int, **extra) -> None:
    for _ in range(n):
        ApprovedQualificationFactory(
            kind=kind(code),
            batch_year=year,
            approved_on=datetime.date(year, 6, 1),
            valid_from=datetime.date(year, 6, 1),
            valid_to=datetime.date(year + 3, 5, 31),
            **extra,
        )


@pytest.fixture
def made_up_year(db):
    """2031 and, for the comparison, 2030: a zone of its own, nothing from seed_demo."""
    # (四) the ladder: 2030 then 2031.
    approved("hitech", 3, YEAR - 1)
    approved("tech_sme", 11, YEAR - 1, level="")
    approved("hitech", 5, YEAR)
    approved("tech_sme", 14, YEAR, level="")
    approved("little_giant", 1, YEAR, level=Level.PROVINCIAL)
    for _ in range(4):
        QualificationFactory(
            kind=kind("specialised_sme"),
            batch_year=YEAR,
            level=Level.PROVINCIAL,
            status=ApplicationStatus.UNDER_REVIEW,
            status_changed_at=timezone.make_aware(datetime.datetime(YEAR, 11, 20)),
        )
    # Submitted in March, no decision by the year's end: stalled.
    QualificationFactory(
        kind=kind("hitech"),
        batch_year=YEAR,
        status=ApplicationStatus.SUBMITTED,
        status_changed_at=timezone.make_aware(datetime.datetime(YEAR, 3, 1)),
    )
    # A hitech title that ran out in August and was not renewed.
    ApprovedQualificationFactory(
        kind=kind("hitech"),
        batch_year=YEAR - 3,
        approved_on=datetime.date(YEAR - 3, 9, 1),
        valid_from=datetime.date(YEAR - 3, 9, 1),
        valid_to=day(8, 31),
    )
    for i in range(13):
        activity("policy_seminar", day(1 + i % 12, 10), f"江淮研发费用加计扣除政策宣讲{i}")
    for i in range(8):
        activity("policy_seminar", day(1 + i, 10, YEAR - 1), f"上年政策宣讲{i}")
    for i in range(7):
        activity("door_to_door", day(3 + i % 9, 12), f"上门宣讲{i}")
    Target.objects.create(
        year=YEAR,
        figure_key="enterprises.hitech_new",
        label="新培育高新技术企业",
        target_value=4,
        unit="家",
    )
    Target.objects.create(
        year=YEAR,
        figure_key="enterprises.tech_sme_registered",
        label="科技型中小企业入库",
        target_value=20,
        unit="家",
    )
    Target.objects.create(
        year=YEAR + 1,
        figure_key="enterprises.hitech_new",
        label="新培育高新技术企业",
        target_value=7,
        unit="家",
    )
    Target.objects.create(
        year=YEAR + 1,
        figure_key="digital.assessed_enterprises",
        label="数字化测评企业",
        target_value=20,
        unit="家",
    )

    # (一) carriers and platforms.
    incubator = IncubatorFactory(
        name="江淮未来科创孵化器", established_on=datetime.date(2025, 1, 1)
    )
    IncubatorApplicationFactory(incubator=incubator, level=Level.NATIONAL)
    for _ in range(3):
        TenancyFactory(incubator=incubator, entered_on=day(2))
    for _ in range(2):
        RDPlatformFactory(
            status=ApplicationStatus.APPROVED,
            approved_on=day(4),
            valid_from=day(4),
            level=Level.PROVINCIAL,
        )
    for _ in range(2):
        RecognitionFactory(status=ApplicationStatus.SUBMITTED)

    # (二) digital.
    for level in (0, 0, 1, 1, 1, 2, 3, 1):
        AssessmentFactory(level=level, assessed_on=day(5))
    for _ in range(4):
        DiagnosticVisitFactory(date=day(6))
    for _ in range(5):
        ServiceDeliveryFactory(delivered_on=day(4))
    for i in range(3):
        activity("meeting", day(2 + i), f"数字化转型推进会{i}")
    project = DemoParkProjectFactory(
        name="江淮智能装备产业数字化转型示范园区", approved_year=YEAR, budget=Decimal("6000000")
    )
    for stage, status, actual, planned in (
        (MilestoneStage.CONTRACTOR, "done", day(3), day(3)),
        (MilestoneStage.SURVEY, "done", day(7), day(6)),
        (MilestoneStage.PLATFORM_PLAN, "in_progress", None, day(12, 31)),
        (MilestoneStage.SELF_REVIEW, "planned", None, day(2, 28, YEAR + 1)),
    ):
        Milestone.objects.create(
            project=project, stage=stage, status=status, actual_date=actual, planned_date=planned
        )
    for group, n in (
        (DemoGroup.OUTSTANDING, 2),
        (DemoGroup.CASE, 2),
        (DemoGroup.TRANSFORMATION, 4),
    ):
        for _ in range(n):
            DemonstrationEnterprise.objects.create(
                enterprise=EnterpriseFactory(), group=group, year=YEAR, project=project
            )

    # (三) talent and cooperation.
    for _ in range(6):
        TalentFactory(category=TalentCategory.EXECUTIVE, registered_on=day(2))
    for _ in range(3):
        TalentFactory(title_level=TitleLevel.SENIOR, registered_on=day(2))
    university = UniversityFactory(name="江淮理工大学", short_name="江理工")
    for _ in range(3):
        AgreementFactory(institution=university, signed_on=day(5))
    for _ in range(2):
        DemandFactory(raised_on=day(6))
    planned = activity("exchange", day(12, 20), "邀请江淮理工大学来区交流座谈")
    detail = TalentActivity.objects.create(
        activity=planned, status=TalentActivityStatus.PLANNED, planned_on=day(11)
    )
    detail.institutions.add(university)

    # (五) finance.
    event = FinanceEventFactory(
        activity=activity("bank_enterprise_matchmaking", day(6, 27), "江淮银企对接会")
    )
    for _ in range(3):
        SigningFactory(event=event, amount=Decimal("40000000"), signed_on=day(6, 27))
    last_year = FinanceEventFactory(
        activity=activity("bank_enterprise_matchmaking", day(6, 27, YEAR - 1), "上年银企对接会")
    )
    SigningFactory(event=last_year, amount=Decimal("50000000"), signed_on=day(6, 27, YEAR - 1))
    ProductFactory(name="江淮科创贷", launched_on=day(4, 8))


def shown(value, unit: str) -> str:
    if unit == "元":
        return format_number(value, "yi" if value >= 100_000_000 else "wan")
    return format_number(value)


def section_texts(document) -> dict[str, list[str]]:
    """Paragraph text under each level-1 section (its subsections' paragraphs included)."""
    parents = {s.code: (s.parent or s.code) for s in STRUCTURE}
    result: dict[str, list[str]] = {}
    for block in document.blocks:
        if block.kind in ("drafted", "narrative") and block.section:
            result.setdefault(parents.get(block.section, block.section), []).append(block.plain)
    return result


def test_a_made_up_year_is_drafted_in_every_section_with_every_figure(made_up_year):
    summary = services.ensure_summary(YEAR)
    services.regenerate(summary)
    summary = summary_get(year=YEAR)
    values = snapshot_values(summary)
    document = build(summary, values)

    texts = section_texts(document)
    for code in ("work", "highlights", "problems", "plan"):
        assert texts.get(code), f"section {code} has no drafted text"

    # Every key figure of the year above zero is in the text, with its value.
    keyed: dict[str, set[str]] = {}
    for block in document.blocks:
        for seg in block.segments:
            if seg.key:
                keyed.setdefault(seg.key, set()).add(seg.text)
    published = [
        k
        for k in figure_keys()
        if not k.startswith("target:") and values.get(k) and values[k].value
    ]
    assert len(published) >= 15
    for key in published:
        assert shown(values[key].value, values[key].unit) in keyed.get(key, set()), key

    body = "\n".join(b.plain for b in document.blocks)
    if os.environ.get("SHOW_DRAFT"):
        print("\n".join(f"[{b.rule or b.kind}] {b.plain}" for b in document.blocks))
    assert not FORBIDDEN.findall(body)
    assert not INTERNAL_KEY.findall(body)
    assert not PHONE.findall(body) and "@" not in body

    # What is in progress and the work done, by name, from the records.
    for words in (
        "江淮未来科创孵化器研究制定申报方案争创国家级孵化器",
        "已经完成了总包商遴选、企业调研与遴选",
        "预计2032年2月份完成自评",
        "拟于近期邀请江淮理工大学（江理工）"
        if "拟于近期邀请" in body
        else "计划邀请江淮理工大学（江理工）",
        "“江淮科创贷”",
        "“2+2+4”",
        "“江淮研发费用加计扣除政策宣讲0”",
        "今年累计现场签约1.2亿元（同比增长140%）",
        "新培育高企5家",
        "科小入库14家（较上年增加3家）",  # the phrasing the key's hash picks
    ):
        assert words in body, words
    # Highlights, problems and plan from what stood out and what fell short.
    assert "“新培育高新技术企业”年度目标4家，实际完成5家，完成率125%" in body
    assert "“科技型中小企业入库”年度目标20家，实际完成14家，尚差6家，完成率70%" in body
    assert "培育出园区首批专精特新“小巨人”企业" in body
    assert "处于未达级的企业2家、处于一级的企业4家，合计占测评企业的75%" in body
    assert "有1项申请（高新技术企业1项）" in body
    assert "今年有1项企业资质（高新技术企业1项）到期后未见续期申报" in body
    # Section 四: one item per 2032 target, with its value and the 2031 standing it starts
    # from, and one per pipeline open at the end of 2031 with its count and next step.
    plan = {b.paragraph_id: b for b in document.blocks if b.section == "plan" and b.plain}
    slots = dict(
        summary.sections.get(code="plan").paragraphs.filter(pk__in=plan).values_list("slot", "pk")
    )
    for key, value, standing in (
        ("enterprises.hitech_new", "7家", "2031年"),
        ("digital.assessed_enterprises", "20家", "8家"),
    ):
        item = plan[slots[f"plan.target.{key}"]].plain
        assert value in item and standing in item, item
        assert f"target:{key}" in {s.key for s in plan[slots[f"plan.target.{key}"]].segments}
    for slot, words in (
        ("plan.pipeline.enterprises.applications_pending.specialised_sme", ("4家", "审核中")),
        ("plan.pipeline.enterprises.applications_pending.hitech", ("1家", "已提交申报")),
        ("plan.pipeline.enterprises.expired_not_renewed", ("1项",)),
        ("plan.pipeline.incubation.incubators_applying", ("江淮未来科创孵化器争创国家级",)),
        ("plan.pipeline.digital.demo_park", ("江淮智能装备产业", "2032年2月份完成自评")),
        ("plan.pipeline.talent.planned_exchanges", ("江淮理工大学",)),
    ):
        item = plan[slots[slot]].plain
        assert all(w in item for w in words), item
    assert len(slots) == sum(1 for s in slots if s.startswith(("plan.target.", "plan.pipeline.")))


def test_export_summary_drafts_a_year_that_has_no_summary(made_up_year, tmp_path, capsys):
    assert not AnnualSummary.objects.filter(year=YEAR).exists()
    out = tmp_path / "2031.docx"
    call_command("export_summary", year=YEAR, fmt="docx", output=str(out))
    stdout = capsys.readouterr().out
    assert "2031年度工作总结不存在，已按当前数据起草" in stdout
    assert "数据截至" in stdout
    summary = AnnualSummary.objects.get(year=YEAR)
    assert summary.drafted_at is not None

    document = docx.Document(io.BytesIO(out.read_bytes()))
    paragraphs = [p.text.strip() for p in document.paragraphs]
    text = "\n".join(paragraphs)
    body = text.split("附件：")[0]
    assert "三、工作存在的问题与建议" in body and "四、2032年度工作安排" in body
    assert "新培育高企5家" in body and "数据截至" in body
    # Each of sections 一 to 四 has drafted text under its heading in the Word file.
    headings = (
        "一、工作开展情况",
        "二、工作的特色与亮点",
        "三、工作存在的问题与建议",
        "四、2032年度工作安排",
    )
    starts = [paragraphs.index(h) for h in headings]
    ends = [*starts[1:], next(i for i, p in enumerate(paragraphs) if p.startswith("（数据截至"))]
    for heading, start, end in zip(headings, starts, ends, strict=True):
        prose = [p for p in paragraphs[start + 1 : end] if len(p) > 30]
        assert prose, f"{heading} has no drafted text in the Word file"
    # The whole file — body, key-figures table, headers and footers — is free of zeros,
    # internal keys and personal data.
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    margins = [
        p.text
        for section in document.sections
        for part in (section.header, section.footer, section.even_page_footer)
        for p in part.paragraphs
    ]
    everything = "\n".join([text, *cells, *margins])
    assert cells, "the key-figures table is in the file"
    assert not FORBIDDEN.findall(everything)
    assert not INTERNAL_KEY.findall(everything), INTERNAL_KEY.findall(everything)
    assert not PHONE.findall(everything) and "@" not in everything


def test_export_uses_the_snapshot_and_warns_when_the_data_moved_on(made_up_year, tmp_path, capsys):
    summary = services.ensure_summary(YEAR)
    services.regenerate(summary)
    # A record changes after drafting: one more new hitech enterprise.
    approved("hitech", 1, YEAR)
    out = tmp_path / "2031.xlsx"
    call_command("export_summary", year=YEAR, fmt="xlsx", output=str(out))
    stdout = capsys.readouterr().out
    assert "此后数据已有变化" in stdout
    sheet = openpyxl.load_workbook(out, read_only=True)["指标"]
    rows = {r[1]: r for r in sheet.iter_rows(values_only=True) if r and len(r) > 4 and r[1]}
    # The table shows the value the text was drafted from (5), not the live one (6).
    assert rows["enterprises.hitech_new"][4] == 5
    document = build(summary_get(year=YEAR), snapshot_values(summary))
    assert "新培育高企5家" in "\n".join(b.plain for b in document.blocks)


def test_export_summary_refuses_a_year_out_of_range(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="年度应在2000至2100之间"):
        call_command("export_summary", year=1999, fmt="docx", output=str(tmp_path / "x.docx"))
