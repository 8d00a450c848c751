"""The apps' indicator labels follow the reader's language on the dashboard (Chinese by
default, unchanged), while the annual summary and its exports stay Chinese whatever the
language of the user who asks for them. Real apps' figures over a small factory data set."""

import datetime
import io
import re

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from docx import Document

from bureau.models import ActivityKind, ApplicationStatus, Level
from digital.models import AssessmentSource
from incubation.models import RecognitionKind
from reports import services
from reports.models import AnnualSummary, ExportJob
from reports.selectors import COUNT_UNITS, collect
from talent.models import Education, TalentCategory, TitleLevel
from tests.bureau.test_i18n import compiled_catalogue  # noqa: F401  (builds the .mo)
from tests.digital.factories import AssessmentFactory
from tests.enterprises.factories import ApprovedQualificationFactory
from tests.factories import ActivityFactory, EnterpriseFactory
from tests.finance.factories import SigningFactory
from tests.incubation.factories import IncubatorFactory, RDPlatformFactory, RecognitionFactory
from tests.talent.factories import TalentFactory

pytestmark = pytest.mark.django_db

YEAR = 2024
DASHBOARD = reverse("reports:dashboard")

# A few figures of each app: (key, Chinese label as published before, English label).
LABELS = [
    ("enterprises.hitech_new", "新培育高新技术企业", "Newly recognised high-tech enterprises"),
    ("enterprises.tech_sme_registered", "科技型中小企业入库", "Registered tech-based SMEs"),
    (
        "enterprises.little_giant_new_provincial",
        "新培育省级专精特新“小巨人”企业",
        'Newly recognised "little giant" enterprises (Provincial)',
    ),
    ("enterprises.registered", "在册企业", "Registered enterprises"),
    (
        "incubation.rd_platforms_new.provincial",
        "新增省级研发中心",
        "New R&D centres (Provincial)",
    ),
    (
        "incubation.recognitions_new.digital_workshop.provincial",
        "新增省级数字化车间",
        "New recognitions: Digital workshop (Provincial)",
    ),
    (
        "incubation.recognitions_applying.smart_factory.municipal",
        "正在申报的市级智能工厂",
        "In application: Smart factory (Municipal)",
    ),
    ("incubation.incubators.provincial", "省级孵化载体", "Incubation platforms (Provincial)"),
    ("incubation.platforms.national", "国家级研发平台", "R&D platforms (National)"),
    (
        "digital.assessed_enterprises",
        "开展数字化测评的企业",
        "Enterprises with a digital assessment",
    ),
    (
        "digital.assessed_enterprises.external",
        "开展数字化测评的企业（外部评测平台导入）",
        "Enterprises with a digital assessment (Imported from external assessment platform)",
    ),
    ("digital.meetings", "召开数字化转型相关会议", "Meetings held on digital transformation"),
    ("digital.levels.2", "二级", "Level 2"),
    ("talent.executives", "企业高管", "Senior executive"),
    (
        "talent.deputy_senior_and_above",
        "副高级职称以上人才",
        "Talent with an associate senior title or above",
    ),
    ("talent.master_and_above", "硕士学历以上人才", "Talent with a master's degree or above"),
    ("finance.signed_on_site", "银企对接会现场签约金额", "Amount signed at matchmaking events"),
    ("finance.enterprises_financed", "获得融资签约的企业", "Enterprises with signed financing"),
]

# Figures whose label is reference data or a record's name (kept as entered, in any language).
DATA_LABELLED = ("bureau.activities.", "enterprises.tiers.", "finance.by_bank.")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def zone(settings, tmp_path):
    """One record or two behind each app's figures of 2024."""
    settings.MEDIA_ROOT = tmp_path
    enterprise = EnterpriseFactory()
    ApprovedQualificationFactory(enterprise=enterprise)  # 新培育高企 1
    RDPlatformFactory(
        enterprise=enterprise,
        level=Level.PROVINCIAL,
        status=ApplicationStatus.APPROVED,
        approved_on=datetime.date(YEAR, 6, 1),
    )
    RecognitionFactory(
        enterprise=enterprise,
        kind=RecognitionKind.DIGITAL_WORKSHOP,
        level=Level.PROVINCIAL,
        status=ApplicationStatus.APPROVED,
        approved_on=datetime.date(YEAR, 6, 1),
    )
    IncubatorFactory(level=Level.PROVINCIAL)
    AssessmentFactory(enterprise=enterprise, source=AssessmentSource.EXTERNAL)
    TalentFactory(
        enterprise=enterprise,
        category=TalentCategory.EXECUTIVE,
        title_level=TitleLevel.DEPUTY_SENIOR,
        education=Education.MASTER,
    )
    signing = SigningFactory(enterprise=enterprise)
    ActivityFactory(kind=ActivityKind.objects.get(code="policy_seminar"))
    return signing


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_figures_are_published_in_the_active_language_with_units_unchanged(zone):
    chinese = collect(YEAR)
    with translation.override("en"):
        english = collect(YEAR)
    assert chinese.keys() == english.keys()
    for key, zh, en in LABELS:
        assert (chinese[key].label, english[key].label) == (zh, en), key
    for key, figure in english.items():
        if chinese[key].unit in COUNT_UNITS | {"元"}:  # reports/ compares these as literals
            assert figure.unit == chinese[key].unit, key
        assert figure.value == chinese[key].value, key
        if not key.startswith(DATA_LABELLED) and key != "finance.scheme_stage":
            assert not CJK.search(figure.label), (key, figure.label)
    # Reference data and records' names are shown as entered.
    policy = ActivityKind.objects.get(code="policy_seminar").name
    assert english["bureau.activities.policy_seminar"].label == policy
    assert english[f"finance.by_bank.{zone.bank_id}"].label == zone.bank.name


def test_english_dashboard_shows_english_labels_of_every_app(zone, leader_client):
    response = in_english(leader_client).get(DASHBOARD, {"year": YEAR})
    assert response.status_code == 200
    data = response.context["data"]
    tiles = {t.key: t for t in data.tiles}
    assert tiles["enterprises.hitech_new"].label == "Newly recognised high-tech enterprises"
    assert (
        tiles["enterprises.hitech_new"].value == 1 and tiles["enterprises.hitech_new"].unit == "家"
    )
    assert tiles["incubation.rd_platforms_new.provincial"].label == "New R&D centres (Provincial)"
    assert tiles["digital.assessed_enterprises"].label == "Enterprises with a digital assessment"
    assert tiles["talent.master_and_above"].label == "Talent with a master's degree or above"
    assert tiles["finance.signed_on_site"].is_money  # 元 untouched: shown in 万元
    trends = {s["key"]: s["name"] for s in data.trends["series"]}
    assert trends["enterprises.tech_sme_registered"] == "Registered tech-based SMEs"
    assert trends["digital.assessed_enterprises"] == "Enterprises with a digital assessment"
    distributions = {d["code"]: [i["name"] for i in d["items"]] for d in data.distributions}
    assert "R&D platforms (Provincial)" in distributions["platforms"]
    assert "Level 2" in distributions["digital_levels"]
    assert zone.bank.name in distributions["financing"]  # a bank's name stays as entered
    body = response.content.decode()
    assert "Newly recognised high-tech enterprises" in body
    assert "New R&amp;D centres (Provincial)" in body
    assert "新培育高新技术企业" not in body and "新增省级研发中心" not in body
    titles = {d["code"]: d["title"] for d in data.distributions}
    assert titles["tiers"] == "Tiered enterprises (by type and level)"
    assert data.trends["quarters"] == ["Q1", "Q2", "Q3", "Q4"]
    labels = response.context["chart_data"]["labels"]
    assert (labels["count"], labels["money"]) == ("Count", "×10k yuan")
    money = [s for s in data.trends["series"] if s["money"]]
    assert [s["key"] for s in money] == ["finance.signed_on_site"]
    assert "梯次企业（按类型与级别）" not in body


def test_chinese_dashboard_labels_are_as_before(zone, leader_client):
    response = leader_client.get(DASHBOARD, {"year": YEAR})
    data = response.context["data"]
    tiles = {t.key: t.label for t in data.tiles}
    shown = {**tiles, **{s["key"]: s["name"] for s in data.trends["series"]}}
    for key, zh, _en in LABELS:
        if key in shown:
            assert shown[key] == zh
    assert tiles["incubation.recognitions_new.digital_workshop.provincial"] == "新增省级数字化车间"
    distributions = {d["code"]: [i["name"] for i in d["items"]] for d in data.distributions}
    assert distributions["platforms"] == [
        "县级研发平台",
        "市级研发平台",
        "国家级研发平台",
        "省级研发平台",
    ]
    body = response.content.decode()
    assert "新培育高新技术企业" in body and "Newly recognised" not in body


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_summary_regenerated_and_exported_by_an_english_user_is_chinese(
    zone, staff_client, django_capture_on_commit_callbacks
):
    services.ensure_summary(YEAR)
    client = in_english(staff_client)
    client.post(reverse("reports:summary_regenerate", args=[YEAR]))
    snapshot = AnnualSummary.objects.get(year=YEAR).figures_snapshot["current"]
    assert snapshot["enterprises.hitech_new"]["label"] == "新培育高新技术企业"
    assert snapshot["incubation.rd_platforms_new.provincial"]["label"] == "新增省级研发中心"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:export_request", args=[YEAR]), {"fmt": "docx"})
    job = ExportJob.objects.get(fmt="docx")
    text = docx_text(job.file.read())
    assert "新培育高企1家" in text  # the drafted sentence
    assert "新培育高新技术企业" in text and "新增省级研发中心" in text  # appendix tables
    assert "主要指标及同比情况" in text
    assert "Newly recognised" not in text and "R&D centres" not in text


def test_excel_export_requested_in_english_is_chinese(
    zone, leader_client, django_capture_on_commit_callbacks
):
    services.regenerate(services.ensure_summary(YEAR))
    with django_capture_on_commit_callbacks(execute=True):
        in_english(leader_client).post(
            reverse("reports:export_request", args=[YEAR]), {"fmt": "xlsx"}
        )
    job = ExportJob.objects.get(fmt="xlsx")
    book = openpyxl.load_workbook(io.BytesIO(job.file.read()))
    labels = [row[2] for row in book["指标"].iter_rows(values_only=True)]
    assert "新培育高新技术企业" in labels and "开展数字化测评的企业" in labels
    assert "Newly recognised high-tech enterprises" not in labels


def test_summary_preview_for_an_english_reader_keeps_the_chinese_document(zone, staff_client):
    client = in_english(staff_client)
    services.ensure_summary(YEAR)
    client.post(reverse("reports:summary_regenerate", args=[YEAR]))
    # A figure changes after the draft: the preview lists it by its (Chinese) label.
    ApprovedQualificationFactory(enterprise=EnterpriseFactory())
    body = client.get(reverse("reports:summary_preview", args=[YEAR])).content.decode()
    assert "新培育高企<a" in body  # the drafted sentence, its number a link
    assert "新培育高新技术企业（1 → 2）" in body
    assert "Newly recognised" not in body


def test_export_summary_command_writes_chinese_in_an_english_shell(zone, tmp_path):
    services.ensure_summary(YEAR)
    output = tmp_path / "summary.docx"
    with translation.override("en"):
        call_command("export_summary", year=YEAR, fmt="docx", output=str(output), regenerate=True)
    text = docx_text(output.read_bytes())
    assert "新培育高新技术企业" in text and "Newly recognised" not in text
