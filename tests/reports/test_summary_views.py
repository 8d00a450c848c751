"""The annual summary pages: who may see and edit, history kept, regeneration leaves staff text."""

import pytest
from django.urls import reverse

from bureau.models import Target
from reports import services
from reports.models import AnnualSummary, ExportJob, NarrativeParagraph, PlanItem
from tests.concurrency import token
from tests.factories import ActivityFactory, ActivityKindFactory, EnterpriseFactory

from .conftest import enterprise_source, finance_source
from .factories import NarrativeParagraphFactory, PlanItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def summary(figure_sources):
    figure_sources(enterprises=enterprise_source, finance=finance_source)
    summary = services.ensure_summary(2024)
    services.regenerate(summary)
    return summary


@pytest.fixture
def paragraph(summary):
    section = summary.sections.get(code="work.tiers")
    return NarrativeParagraphFactory(section=section, text="持续做好政策宣传和解读。")


@pytest.fixture
def done_job(summary, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        job, _started = services.request_export(summary, "xlsx")
    job.refresh_from_db()
    return job


def _views(summary, paragraph, done_job):
    """Every reports view: (method, url, editors only)."""
    section = summary.sections.get(code="work.tiers")
    item = PlanItemFactory(summary=summary)
    y = summary.year
    return [
        ("get", reverse("reports:dashboard"), False),
        (
            "get",
            reverse("reports:figure_records", args=["enterprises.hitech_new"]) + "?year=2024",
            False,
        ),
        ("get", reverse("reports:summary_list"), False),
        ("get", reverse("reports:summary_preview", args=[y]), False),
        ("get", reverse("reports:export_status", args=[done_job.pk]), False),
        ("get", reverse("reports:export_download", args=[done_job.pk]), False),
        ("get", reverse("reports:template_default"), False),
        ("post", reverse("reports:export_request", args=[y]), False),
        ("get", reverse("reports:summary_edit", args=[y]), True),
        ("post", reverse("reports:summary_create"), True),
        ("post", reverse("reports:summary_regenerate", args=[y]), True),
        ("post", reverse("reports:paragraph_add", args=[section.pk]), True),
        ("get", reverse("reports:paragraph_edit", args=[paragraph.pk]), True),
        ("post", reverse("reports:paragraph_edit", args=[paragraph.pk]), True),
        ("get", reverse("reports:plan_item_add", args=[y]), True),
        ("get", reverse("reports:plan_item_edit", args=[y, item.pk]), True),
        ("get", reverse("reports:template_upload"), True),
    ]


def test_enterprise_users_cannot_reach_any_report_view_or_download(
    summary, paragraph, done_job, enterprise_client, outsider_client
):
    for method, url, _editors in _views(summary, paragraph, done_job):
        for client in (enterprise_client, outsider_client):
            response = getattr(client, method)(
                url, {"fmt": "docx", "text": "x"} if method == "post" else None
            )
            assert response.status_code == 403, url
    assert ExportJob.objects.count() == 1


def test_anonymous_users_are_sent_to_login(summary, paragraph, done_job, client):
    for method, url, _editors in _views(summary, paragraph, done_job):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_leadership_reads_but_cannot_edit(summary, paragraph, done_job, leader_client):
    for method, url, editors in _views(summary, paragraph, done_job):
        data = {"text": "领导改写的段落", "fmt": "docx", "year": 2023} if method == "post" else None
        response = getattr(leader_client, method)(url, data)
        if editors:
            assert response.status_code == 403, url
        else:
            assert response.status_code in (200, 302), url
    paragraph.refresh_from_db()
    assert paragraph.text == "持续做好政策宣传和解读。"
    assert not AnnualSummary.objects.filter(year=2023).exists()


def test_staff_create_a_summary_with_the_seed_structure(figure_sources, staff_client):
    figure_sources()
    response = staff_client.post(reverse("reports:summary_create"), {"year": 2024})
    assert response.status_code == 302
    summary = AnnualSummary.objects.get(year=2024)
    assert summary.title == "科技金融局2024年度工作总结"
    assert summary.sections.count() == 13
    assert summary.drafted_at is not None
    again = staff_client.post(reverse("reports:summary_create"), {"year": 2024}, follow=True)
    assert "该年度的工作总结已存在" in again.content.decode()


def test_paragraph_edits_are_kept_in_history(paragraph, staff_client, staff_user):
    url = reverse("reports:paragraph_edit", args=[paragraph.pk])
    staff_client.post(url, {"text": "第二稿。", "order": 0, **token(paragraph)})
    staff_client.post(url, {"text": "第三稿。", "order": 0, **token(paragraph)})
    paragraph.refresh_from_db()
    assert paragraph.text == "第三稿。" and paragraph.updated_by == staff_user
    texts = list(paragraph.history.order_by("history_date").values_list("text", flat=True))
    assert texts == ["持续做好政策宣传和解读。", "第二稿。", "第三稿。"]
    page = staff_client.get(url).content.decode()
    # Each version is shown by its differences from the one before, the first one whole.
    assert "<ins>持续做好政策宣传和解读。</ins>" in page
    assert "第<del>二</del><ins>三</ins>稿。" in page


def test_empty_paragraph_is_refused_with_a_chinese_error(paragraph, staff_client):
    url = reverse("reports:paragraph_edit", args=[paragraph.pk])
    response = staff_client.post(url, {"text": "   ", "order": 0})
    assert response.status_code == 200
    assert "段落内容" in response.content.decode()
    paragraph.refresh_from_db()
    assert paragraph.text == "持续做好政策宣传和解读。"


def test_regenerating_updates_figures_and_never_overwrites_staff_paragraphs(
    figure_sources, staff_client
):
    kind = ActivityKindFactory()
    ActivityFactory.create_batch(3, kind=kind)
    from bureau.metrics import figures as bureau_figures

    figure_sources(bureau=bureau_figures)
    summary = services.ensure_summary(2024)
    services.regenerate(summary)
    section = summary.sections.get(code="work.tiers")
    NarrativeParagraphFactory(section=section, text="工作人员写的段落。")
    preview = staff_client.get(reverse("reports:summary_preview", args=[2024])).content.decode()
    assert "组织开展政策宣讲会<a" in preview and ">3</a>次" in preview

    ActivityFactory(kind=kind)  # a fourth seminar: the figure changes
    preview = staff_client.get(reverse("reports:summary_preview", args=[2024])).content.decode()
    assert "自生成后已有变化" in preview
    staff_client.post(reverse("reports:summary_regenerate", args=[2024]))
    preview = staff_client.get(reverse("reports:summary_preview", args=[2024])).content.decode()
    assert ">4</a>次" in preview
    assert NarrativeParagraph.objects.get(section=section, slot="").text == "工作人员写的段落。"


def test_preview_links_every_figure_to_its_records_and_marks_missing(summary, leader_client):
    response = leader_client.get(reverse("reports:summary_preview", args=[2024]))
    body = response.content.decode()
    document = response.context["document"]
    assert document.figure_keys
    for key in document.figure_keys:
        if not key.startswith("target:"):
            assert reverse("reports:figure_records", args=[key]) in body
    # Talent has not published: its figures are left out of the text, not shown as missing.
    document_html = body.split('id="summary-document"')[1].split("</article>")[0]
    assert "企业高管" not in document_html and "暂无数据" not in document_html
    assert "今年累计现场签约" in body and ">2</a>亿元" in body


def test_plan_item_ties_a_new_target_of_next_year(summary, staff_client):
    response = staff_client.post(
        reverse("reports:plan_item_add", args=[2024]),
        {
            "item-title": "持续做好梯次培育",
            "item-text": "梯度培育创新型中小企业。",
            "item-order": 0,
            "new_target-figure_key": "enterprises.innovative_sme_applications",
            "new_target-label": "创新型中小企业申报",
            "new_target-target_value": "30",
            "new_target-unit": "家",
        },
    )
    assert response.status_code == 302
    item = PlanItem.objects.get(summary=summary)
    (target,) = item.targets.all()
    assert (target.year, target.figure_key, target.target_value) == (
        2025,
        "enterprises.innovative_sme_applications",
        30,
    )
    preview = staff_client.get(reverse("reports:summary_preview", args=[2024])).content.decode()
    assert "四、2025年度工作安排" in preview and "年度目标：创新型中小企业申报30家。" in preview


def test_plan_item_offers_only_next_years_targets(summary, staff_client):
    Target.objects.create(year=2024, figure_key="a.b", label="今年的", target_value=1)
    Target.objects.create(year=2025, figure_key="a.b", label="明年的", target_value=1)
    page = staff_client.get(reverse("reports:plan_item_add", args=[2024])).content.decode()
    assert "明年的" in page and "今年的" not in page


@pytest.mark.parametrize("n", [3, 30])
def test_preview_query_count_does_not_grow_with_records(
    figure_sources, leader_client, django_assert_num_queries, n
):
    EnterpriseFactory.create_batch(n)
    figure_sources(enterprises=enterprise_source)
    summary = services.ensure_summary(2024)
    services.regenerate(summary)
    for section in summary.sections.all()[:4]:
        NarrativeParagraphFactory.create_batch(2, section=section)
    PlanItemFactory.create_batch(2, summary=summary)
    # session, user, groups = 3; summary + sections + paragraphs + plan items + targets = 5;
    # live values for the "changed" notice, as a snapshot would take them: collects for the
    # year, the year before and four quarters (1 count each) + this and next year's targets = 8;
    # export list = 1; session save = 3.
    with django_assert_num_queries(20):
        response = leader_client.get(reverse("reports:summary_preview", args=[2024]))
    assert response.status_code == 200
