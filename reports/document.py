"""The summary as an ordered list of blocks, the one shape the preview, Word and Excel share."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from . import summary as spec
from .models import AnnualSummary


@dataclass
class Block:
    """A heading (level 1/2) or a paragraph; a paragraph's segments may carry figure keys.

    kind "drafted": text the rules wrote (segments keyed); "narrative": text staff wrote or
    changed (`edited`), with `pending` a newer draft offered beside it; "plan_targets": a
    plan item's targets; "data_note": the "数据截至" line that dates the document's figures.
    """

    kind: str  # "heading" | "drafted" | "narrative" | "plan_targets" | "data_note"
    level: int = 0
    text: str = ""
    segments: list[spec.Segment] = field(default_factory=list)
    section: str = ""
    edited: bool = False
    pending: str = ""
    rule: str = ""
    paragraph_id: int | None = None

    @property
    def plain(self) -> str:
        return self.text or spec.as_text(self.segments)


@dataclass
class SummaryDocument:
    title: str
    year: int
    blocks: list[Block]
    figure_keys: list[str]
    missing: list[str]
    # When the figures of the document were taken (the summary's last drafting).
    drafted_at: datetime.datetime | None = None


def data_note(drafted_at: datetime.datetime | None) -> str:
    """'数据截至2024年12月18日15:36' in the local time zone ('' before any drafting)."""
    if drafted_at is None:
        return ""
    local = timezone.localtime(drafted_at)
    return f"数据截至{local.year}年{local.month}月{local.day}日{local:%H:%M}"


def _segments(data: list) -> list[spec.Segment]:
    return [spec.Segment(text, key or "") for text, key in data]


def build(summary: AnnualSummary, values: dict[str, spec.FigureValue]) -> SummaryDocument:
    """Lay out the summary: headings numbered, then each section's paragraphs (drafted ones with
    their figure keys, staff-changed ones as written), plan items, and the data note.

    A subsection with no paragraph is left out (no empty heading). Expects `summary` with
    sections (and their paragraphs) and plan items prefetched; `values` is kept for callers.
    """
    blocks: list[Block] = []
    counters = {1: 0, 2: 0}
    used: dict[str, None] = {}
    for section in summary.sections.all():
        paragraphs = [p for p in section.paragraphs.all() if p.deleted_at is None]
        title = section.display_title
        if section.level == 1:
            counters[1] += 1
            counters[2] = 0
            blocks.append(
                Block(
                    "heading", 1, spec.numbered_heading(1, counters[1], title), section=section.code
                )
            )
        elif section.level == 2:
            if not paragraphs:
                continue
            counters[2] += 1
            blocks.append(
                Block(
                    "heading", 2, spec.numbered_heading(2, counters[2], title), section=section.code
                )
            )
        shown_heading = ""
        for paragraph in paragraphs:
            # Items of one area carry its heading; it is printed where it changes, so that
            # deleting an area's first item keeps the heading over the rest.
            if paragraph.heading and paragraph.heading != shown_heading:
                shown_heading = paragraph.heading
                counters[2] += 1
                blocks.append(
                    Block(
                        "heading",
                        2,
                        spec.numbered_heading(2, counters[2], paragraph.heading),
                        section=section.code,
                    )
                )
            if paragraph.slot and not paragraph.is_edited and paragraph.segments:
                segments = _segments(paragraph.segments)
                for seg in segments:
                    if seg.key:
                        used.setdefault(seg.key, None)
                blocks.append(
                    Block(
                        "drafted",
                        segments=segments,
                        section=section.code,
                        rule=paragraph.rule,
                        paragraph_id=paragraph.pk,
                    )
                )
            else:
                blocks.append(
                    Block(
                        "narrative",
                        text=paragraph.text,
                        section=section.code,
                        edited=True,
                        pending=paragraph.pending,
                        rule=paragraph.rule,
                        paragraph_id=paragraph.pk,
                    )
                )
        if section.code == "plan":
            for item in summary.plan_items.all():
                counters[2] += 1
                blocks.append(
                    Block(
                        "heading",
                        2,
                        spec.numbered_heading(2, counters[2], item.title),
                        section="plan",
                    )
                )
                if item.text:
                    blocks.append(Block("narrative", text=item.text, section="plan"))
                targets = list(item.targets.all())
                if targets:
                    parts = "；".join(
                        f"{t.label}{spec.format_amount(t.target_value, t.unit)}" for t in targets
                    )
                    blocks.append(
                        Block("plan_targets", text=f"年度目标：{parts}。", section="plan")
                    )
    note = data_note(summary.drafted_at)
    if note:
        blocks.append(Block("data_note", text=f"（{note}）"))
    return SummaryDocument(
        title=summary.title,
        year=summary.year,
        blocks=blocks,
        figure_keys=list(used),
        missing=[],
        drafted_at=summary.drafted_at,
    )
