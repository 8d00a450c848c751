"""Drafted paragraphs and staff edits: staff's words win, re-drafting offers the new draft
beside them, the history keeps every version with its differences and can restore one."""

import re

import pytest
from django.urls import reverse

from bureau.figures import Figure
from reports import services
from reports.document import build
from reports.models import NarrativeParagraph
from reports.selectors import summary_get
from reports.views import text_diff
from tests.concurrency import token

pytestmark = pytest.mark.django_db

STATE = {"hitech": 23, "seminars": 12}


def ladder_source(year: int, quarter: int | None = None) -> list[Figure]:
    """Two figures whose values the test sets (STATE), the year before a little lower."""
    drop = 0 if year == 2024 else 3
    return [
        Figure("enterprises.hitech_new", "新培育高新技术企业", "家", STATE["hitech"] - drop, year),
        Figure(
            "bureau.activities.policy_seminar", "政策宣讲会", "次", STATE["seminars"] - drop, year
        ),
    ]


@pytest.fixture
def summary(figure_sources, settings):
    settings.FIGURE_CACHE_SECONDS = 0  # the fake source changes without a model change
    STATE.update(hitech=23, seminars=12)
    figure_sources(enterprises=ladder_source)
    summary = services.ensure_summary(2024)
    services.regenerate(summary)
    return summary


def ladder(summary) -> NarrativeParagraph:
    return NarrativeParagraph.objects.get(section__summary=summary, slot="work.tiers.ladder")


def test_an_untouched_drafted_paragraph_follows_the_data(summary):
    paragraph = ladder(summary)
    assert "新培育高企23家" in paragraph.text and not paragraph.is_edited
    STATE["hitech"] = 25
    services.regenerate(summary)
    paragraph.refresh_from_db()
    assert "新培育高企25家" in paragraph.text and paragraph.pending == ""
    assert paragraph.history.count() == 2  # drafted, re-drafted


def test_staff_edit_wins_and_the_new_draft_is_offered_beside_it(summary, staff_client):
    paragraph = ladder(summary)
    staff_text = "加强企业梯次培育。今年以来，新培育高企23家，成效明显。"
    response = staff_client.post(
        reverse("reports:paragraph_edit", args=[paragraph.pk]),
        {"text": staff_text, "order": paragraph.order, **token(paragraph)},
    )
    assert response.status_code == 302
    STATE["hitech"] = 25
    staff_client.post(reverse("reports:summary_regenerate", args=[2024]))
    paragraph.refresh_from_db()
    assert paragraph.text == staff_text and paragraph.is_edited
    assert "新培育高企25家" in paragraph.pending

    edit = staff_client.get(reverse("reports:summary_edit", args=[2024])).content.decode()
    assert "工作人员已修改" in edit and "新培育高企25家" in edit and "采用新稿" in edit
    preview = staff_client.get(reverse("reports:summary_preview", args=[2024])).content.decode()
    assert staff_text in preview and 'class="edited"' in preview

    # Taking the new draft: the text follows the data again; staff's version stays in history.
    staff_client.post(
        reverse("reports:paragraph_edit", args=[paragraph.pk]),
        {"accept_draft": "1", **token(paragraph)},
    )
    paragraph.refresh_from_db()
    assert "新培育高企25家" in paragraph.text and not paragraph.is_edited
    assert paragraph.pending == ""
    assert staff_text in {v.text for v in paragraph.history.all()}


def test_keeping_staff_text_drops_the_offer(summary, staff_client):
    paragraph = ladder(summary)
    services.save_paragraph(paragraph, text="工作人员的版本。", by=None)
    STATE["hitech"] = 30
    services.regenerate(summary)
    staff_client.post(
        reverse("reports:paragraph_edit", args=[paragraph.pk]),
        {"dismiss_draft": "1", **token(paragraph)},
    )
    paragraph.refresh_from_db()
    assert paragraph.text == "工作人员的版本。" and paragraph.pending == ""
    services.regenerate(summary)  # the same figures: the dismissed draft is not offered again
    paragraph.refresh_from_db()
    assert paragraph.text == "工作人员的版本。" and paragraph.pending == ""


def test_history_keeps_the_first_version_shows_differences_and_restores(summary, staff_client):
    paragraph = ladder(summary)
    first = paragraph.text
    services.save_paragraph(paragraph, text=first.replace("23家", "二十三家"), by=None)
    page = staff_client.get(reverse("reports:paragraph_edit", args=[paragraph.pk])).content.decode()
    assert "<ins>二十三</ins>" in page and "<del>23</del>" in page
    assert "恢复此版本" in page

    oldest = paragraph.history.order_by("history_date", "history_id").first()
    assert oldest.text == first
    response = staff_client.post(
        reverse("reports:paragraph_edit", args=[paragraph.pk]),
        {"restore": str(oldest.history_id), **token(paragraph)},
    )
    assert response.status_code == 302
    paragraph.refresh_from_db()
    assert paragraph.text == first and not paragraph.is_edited
    assert paragraph.history.count() == 3  # drafted, edited, restored


def test_restoring_an_unknown_version_is_404(summary, staff_client):
    paragraph = ladder(summary)
    response = staff_client.post(
        reverse("reports:paragraph_edit", args=[paragraph.pk]),
        {"restore": "999999", **token(paragraph)},
    )
    assert response.status_code == 404


def test_a_paragraph_staff_wrote_is_never_touched_by_drafting(summary):
    section = summary.sections.get(code="work.tiers")
    own = NarrativeParagraph.objects.create(section=section, order=9, text="工作人员写的段落。")
    STATE["hitech"] = 40
    services.regenerate(summary)
    own.refresh_from_db()
    assert own.text == "工作人员写的段落。" and own.pending == "" and own.is_edited


def test_rounding_chosen_by_staff_changes_the_drafted_count(summary, staff_client):
    assert "政策宣讲会12次" in NarrativeParagraph.objects.get(slot="work.tiers.policy").text
    response = staff_client.post(
        reverse("reports:summary_rounding", args=[2024]),
        {"bureau.activities.policy_seminar": "about", **token(summary)},
    )
    assert response.status_code == 302
    summary.refresh_from_db()
    assert summary.rounding == {"bureau.activities.policy_seminar": "about"}
    assert "政策宣讲会10余次" in NarrativeParagraph.objects.get(slot="work.tiers.policy").text


def test_leadership_cannot_change_rounding_or_paragraphs(summary, leader_client):
    paragraph = ladder(summary)
    assert (
        leader_client.post(
            reverse("reports:summary_rounding", args=[2024]),
            {"bureau.activities.policy_seminar": "about", **token(summary)},
        ).status_code
        == 403
    )
    assert (
        leader_client.post(
            reverse("reports:paragraph_edit", args=[paragraph.pk]), {"accept_draft": "1"}
        ).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "新培育高企23家",
            "新培育高企25家",
            [("=", "新培育高企2"), ("-", "3"), ("+", "5"), ("=", "家")],
        ),
        ("", "首版", [("+", "首版")]),
        ("相同", "相同", [("=", "相同")]),
    ],
)
def test_text_diff_is_by_character(old, new, expected):
    assert text_diff(old, new) == expected


# --- Deleting a drafted paragraph sticks ------------------------------------------------------


def preview_text(client) -> str:
    """The preview's text without markup (each drafted number is a link to its records)."""
    html = client.get(reverse("reports:summary_preview", args=[2024])).content.decode()
    return re.sub(r"<[^>]+>", "", html)


def test_a_deleted_drafted_paragraph_stays_deleted_on_redraft_and_can_be_restored(
    summary, staff_client
):
    paragraph = ladder(summary)
    drafted = paragraph.text
    response = staff_client.post(
        reverse("reports:paragraph_edit", args=[paragraph.pk]), {"delete": "1", **token(paragraph)}
    )
    assert response.status_code == 302
    assert "新培育高企23家" not in preview_text(staff_client)

    # Re-drafting with the same figures does not bring it back, in the preview or the export.
    staff_client.post(reverse("reports:summary_regenerate", args=[2024]))
    assert (
        NarrativeParagraph.objects.filter(section__summary=summary, slot=paragraph.slot).count()
        == 1
    )
    paragraph.refresh_from_db()
    assert paragraph.deleted_at is not None and paragraph.pending == ""
    assert "新培育高企23家" not in preview_text(staff_client)
    document = build(summary_get(year=2024), {})
    assert all("新培育高企23家" not in b.plain for b in document.blocks)

    # The deletion is a version in the paragraph's history, by whom it was done.
    latest = paragraph.history.order_by("-history_date", "-history_id").first()
    assert latest.deleted_at is not None and latest.history_user is not None
    edit = staff_client.get(reverse("reports:summary_edit", args=[2024])).content.decode()
    assert "已删除" in edit and "恢复段落" in edit

    # Restoring brings the drafted text back, following the data again.
    staff_client.post(
        reverse("reports:paragraph_edit", args=[paragraph.pk]),
        {"undelete": "1", **token(paragraph)},
    )
    paragraph.refresh_from_db()
    assert paragraph.deleted_at is None and paragraph.text == drafted and not paragraph.is_edited
    assert "新培育高企23家" in preview_text(staff_client)


def test_a_deleted_paragraph_is_offered_again_only_when_its_figures_changed(summary, staff_client):
    paragraph = ladder(summary)
    staff_client.post(
        reverse("reports:paragraph_edit", args=[paragraph.pk]), {"delete": "1", **token(paragraph)}
    )
    # Figures of another paragraph change: this one's numbers do not, nothing is offered.
    STATE["seminars"] = 15
    services.regenerate(summary)
    paragraph.refresh_from_db()
    assert paragraph.deleted_at is not None and paragraph.pending == ""

    # Its own figure changes: the new draft waits beside the deleted paragraph, not in the text.
    STATE["hitech"] = 31
    response = staff_client.post(reverse("reports:summary_regenerate", args=[2024]), follow=True)
    assert "1段已删除的段落数据有变化，仍保持删除" in response.content.decode()
    paragraph.refresh_from_db()
    assert paragraph.deleted_at is not None and "新培育高企31家" in paragraph.pending
    assert "新培育高企31家" not in preview_text(staff_client)
    edit = staff_client.get(reverse("reports:summary_edit", args=[2024])).content.decode()
    assert "新培育高企31家" in edit and "采用新稿并恢复" in edit

    # Keeping it deleted answers the offer: the same figures do not offer it again.
    staff_client.post(
        reverse("reports:paragraph_edit", args=[paragraph.pk]),
        {"dismiss_draft": "1", **token(paragraph)},
    )
    services.regenerate(summary)
    paragraph.refresh_from_db()
    assert paragraph.deleted_at is not None and paragraph.pending == ""

    # A later change offers it again; taking it restores the paragraph with the new text.
    STATE["hitech"] = 35
    services.regenerate(summary)
    staff_client.post(
        reverse("reports:paragraph_edit", args=[paragraph.pk]),
        {"accept_draft": "1", **token(paragraph)},
    )
    paragraph.refresh_from_db()
    assert paragraph.deleted_at is None and "新培育高企35家" in paragraph.text
    assert not paragraph.is_edited and "新培育高企35家" in preview_text(staff_client)


def test_deleting_a_drafted_paragraph_in_the_admin_sticks_as_well(summary, sysadmin_client):
    paragraph = ladder(summary)
    url = reverse("admin:reports_narrativeparagraph_delete", args=[paragraph.pk])
    assert sysadmin_client.post(url, {"post": "yes"}).status_code == 302
    services.regenerate(summary)
    paragraph.refresh_from_db()  # still there, marked: re-drafting did not add it back
    assert paragraph.deleted_at is not None
    assert not NarrativeParagraph.objects.filter(
        section__summary=summary, slot=paragraph.slot, deleted_at=None
    ).exists()


def test_plan_items_of_one_area_share_one_heading_which_outlives_its_first_item(
    summary, staff_client
):
    from tests.factories import TargetFactory

    TargetFactory(
        year=2025,
        figure_key="enterprises.hitech_new",
        label="新培育高新技术企业",
        target_value=30,
        unit="家",
    )
    TargetFactory(year=2025, target_value=15)
    services.regenerate(summary)

    def plan_blocks():
        blocks = build(summary_get(year=2024), {}).blocks
        return [b for b in blocks if b.section == "plan"]

    blocks = plan_blocks()
    headings = [b.plain for b in blocks if b.kind == "heading" and b.level == 2]
    assert headings == ["（一）持续做好梯次培育"]
    items = [b for b in blocks if b.kind == "drafted"]
    assert len(items) == 2  # one per 2025 target
    first = NarrativeParagraph.objects.get(pk=items[0].paragraph_id)
    staff_client.post(
        reverse("reports:paragraph_edit", args=[first.pk]), {"delete": "1", **token(first)}
    )
    blocks = plan_blocks()
    assert [b.plain for b in blocks if b.kind == "heading" and b.level == 2] == headings
    assert [b.paragraph_id for b in blocks if b.kind == "drafted"] == [items[1].paragraph_id]
