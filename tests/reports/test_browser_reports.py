"""Chromium: leadership logs in, sees the dashboard's charts drawn, downloads the Word file;
staff edit a paragraph and the preview shows it."""

import pytest
from docx import Document

from bureau.metrics import figures as bureau_figures
from reports import services
from tests.factories import ActivityFactory, ActivityKindFactory, EnterpriseFactory, TargetFactory

from .conftest import enterprise_source, finance_source
from .factories import NarrativeParagraphFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def zone_year(figure_sources, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    EnterpriseFactory.create_batch(6)
    seminar = ActivityKindFactory()
    ActivityFactory.create_batch(4, kind=seminar)
    TargetFactory(year=2024, figure_key="bureau.activities.policy_seminar", target_value=10)
    figure_sources(enterprises=enterprise_source, finance=finance_source, bureau=bureau_figures)
    summary = services.ensure_summary(2024)
    services.regenerate(summary)
    NarrativeParagraphFactory(
        section=summary.sections.get(code="work.tiers"), text="持续做好政策宣传和解读。"
    )
    return summary


def test_leadership_sees_charts_and_downloads_the_word_file(
    browser_page, leader_user, zone_year, tmp_path
):
    page = browser_page
    page.login(leader_user)
    page.goto(f"{page.base_url}/dashboard/?year=2024")
    page.wait_for_selector("#chart-trends[data-rendered=true] canvas")
    page.wait_for_selector("#chart-tiers[data-rendered=true] canvas")
    assert page.locator(".chart[data-rendered=true] canvas").count() >= 3
    box = page.locator("#chart-trends canvas").first.bounding_box()
    assert box["width"] > 200 and box["height"] > 200
    assert "暂无数据" in page.content()  # talent, digital, incubation not published here
    page.screenshot_as("reports-dashboard-leader")

    page.goto(f"{page.base_url}/summaries/2024/")
    assert "一、工作开展情况" in page.locator("#summary-document").inner_text()
    assert page.locator("#summary-document a.fig").count() >= 4
    assert page.locator("a[href*='summaries/2024/edit']").count() == 0  # read-only
    page.screenshot_as("reports-summary-preview-leader")
    page.click("#export-docx")
    page.wait_for_selector("#job-download:not([hidden])")
    page.screenshot_as("reports-export-leader")
    with page.expect_download() as info:
        page.click("#job-download")
    path = tmp_path / "summary.docx"
    info.value.save_as(path)
    doc = Document(str(path))
    assert doc.paragraphs[0].text == "科技金融局2024年度工作总结"
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "组织开展政策宣讲会4次" in text


def test_staff_edit_a_paragraph_and_the_preview_shows_it(browser_page, staff_user, zone_year):
    page = browser_page
    page.login(staff_user)
    page.goto(f"{page.base_url}/summaries/2024/edit/")
    section = page.locator("#section-work\\.platforms")
    section.locator("textarea").fill("全力打造科技企业孵化器。")
    section.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    page.screenshot_as("reports-summary-edit-staff")
    page.goto(f"{page.base_url}/summaries/2024/")
    assert "全力打造科技企业孵化器。" in page.locator("#summary-document").inner_text()
