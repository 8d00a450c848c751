"""The summary as an ordered list of blocks, the one shape the preview, Word and Excel share."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import summary as spec
from .models import AnnualSummary


@dataclass
class Block:
    """A heading (level 1/2) or a paragraph; a paragraph's segments may carry figure keys."""

    kind: str  # "heading" | "drafted" | "narrative" | "plan_targets"
    level: int = 0
    text: str = ""
    segments: list[spec.Segment] = field(default_factory=list)
    section: str = ""

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


def build(summary: AnnualSummary, values: dict[str, spec.FigureValue]) -> SummaryDocument:
    """Lay out the summary: headings numbered, drafted sentences first, then staff paragraphs.

    Expects `summary` with sections (and their paragraphs) and plan items prefetched.
    """
    blocks: list[Block] = []
    counters = {1: 0, 2: 0}
    used: dict[str, None] = {}
    missing: dict[str, None] = {}
    sections = list(summary.sections.all())
    for section in sections:
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
            counters[2] += 1
            blocks.append(
                Block(
                    "heading", 2, spec.numbered_heading(2, counters[2], title), section=section.code
                )
            )
        for segments in spec.draft_section(section.code, values):
            for seg in segments:
                if seg.key:
                    used.setdefault(seg.key, None)
                if seg.missing:
                    missing.setdefault(seg.text, None)
            blocks.append(Block("drafted", segments=segments, section=section.code))
        for paragraph in section.paragraphs.all():
            blocks.append(Block("narrative", text=paragraph.text, section=section.code))
        if section.code == "plan":
            for i, item in enumerate(summary.plan_items.all(), start=1):
                blocks.append(
                    Block("heading", 2, spec.numbered_heading(2, i, item.title), section="plan")
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
    return SummaryDocument(
        title=summary.title,
        year=summary.year,
        blocks=blocks,
        figure_keys=list(used),
        missing=list(missing),
    )
