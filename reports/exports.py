"""The summary's Word and Excel exports: read figures and records, hand rows to the writers.

Queries do not grow with the number of enterprises: a fixed number of `collect` calls, then
one query per figure's record table (its foreign keys joined).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from bureau.figures import Figure
from bureau.models import Target

from . import charts as chart_images
from . import document as doc_layout
from . import excel, records, word
from . import summary as spec
from .models import AnnualSummary, ExportAppendix, WordTemplate
from .selectors import (
    collect,
    snapshot_dashboard,
    snapshot_figures,
    snapshot_values,
    summary_get,
)

APPENDIX_ROW_LIMIT = 200

SECTION_SHEETS = {
    "work.platforms": "（一）研发平台",
    "work.digital": "（二）数字化赋能",
    "work.talent": "（三）人才与产学研",
    "work.tiers": "（四）梯次培育",
    "work.finance": "（五）科技金融",
    "highlights.digital_demo": "亮点·数字化示范",
}

Progress = Callable[[int], None]


def _noop(_n: int) -> None:
    return None


def keys_by_section() -> dict[str, list[str]]:
    """The figure keys of each section's sentences, targets left out, in document order."""
    result: dict[str, list[str]] = {}
    for sentence in spec.SENTENCES:
        for key in sentence.keys:
            if key.startswith("target:"):
                continue
            bucket = result.setdefault(sentence.section, [])
            if key not in bucket:
                bucket.append(key)
    return result


def _section_of(key: str) -> str:
    for section, keys in keys_by_section().items():
        if key in keys:
            return SECTION_SHEETS.get(section, section)
    return ""


def _display(value, unit: str) -> tuple[Decimal | int | None, str]:
    """Money in 元 is shown in 万元, everything else as published."""
    if value is None:
        return None, unit
    if unit == "元":
        return (Decimal(value) / 10_000).quantize(Decimal("0.01")), "万元"
    return value, unit


def _caption_value(fig: Figure) -> str:
    """A figure's value with its unit for a table caption; a figure without a value (no target
    set, no stage reached) says so instead of failing the export."""
    value, unit = _display(fig.value, fig.unit)
    if value is None:
        return spec.MISSING
    return f"{spec.format_number(value)}{unit}"


def figure_table_rows(current: dict[str, Figure], previous: dict[str, Figure]) -> list[list]:
    """One row per figure: section, key, label, unit, value, last year, change, change %."""
    summary_keys = [k for k in spec.figure_keys() if not k.startswith("target:")]
    others = sorted(k for k in current if k not in summary_keys)
    rows = []
    for key in summary_keys + others:
        fig, prev = current.get(key), previous.get(key)
        label = fig.label if fig else spec_label(key)
        unit = fig.unit if fig else (prev.unit if prev else "")
        value, shown_unit = _display(fig.value if fig else None, unit)
        last, _u = _display(prev.value if prev else None, unit)
        change = pct = None
        if value is not None and last is not None:
            change = Decimal(value) - Decimal(last)
            if last:
                pct = (change * 100 / Decimal(last)).quantize(Decimal("0.1"))
        rows.append(
            [
                _section_of(key),
                key,
                label,
                shown_unit,
                value if value is not None else spec.MISSING,
                last if last is not None else spec.MISSING,
                change,
                pct,
            ]
        )
    return rows


def spec_label(key: str) -> str:
    from .selectors import FIGURE_LABELS

    return FIGURE_LABELS.get(key, (key, ""))[0]


def _ensure_drafted(summary: AnnualSummary) -> None:
    if not summary.figures_snapshot:
        from .services import regenerate

        regenerate(summary)


def build_document(summary: AnnualSummary) -> doc_layout.SummaryDocument:
    return doc_layout.build(summary, snapshot_values(summary))


def document_date(summary: AnnualSummary) -> datetime.date:
    """The date the document is signed: the summary's own, staff set; until then today."""
    return summary.document_date or timezone.localdate()


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass
class Reader:
    """Who an export is made for: whether personal data goes in unmasked, and where its
    disclosure is logged (talent.PersonalDataAccess, as an unmasked view is)."""

    user: object | None = None
    unmask: bool = False
    path: str = ""
    disclosure: records.Disclosure = field(default_factory=records.Disclosure)

    def log(self, fmt: str) -> int:
        """Log the personal data the file carries unmasked: one entry per talent, and one
        without a talent when it carries other people's data (legal representatives,
        contacts). Returns the number of entries."""
        if not self.unmask or not self.disclosure:
            return 0
        from talent.models import Talent
        from talent.selectors import log_personal_data_access

        disclosed = self.disclosure.records
        talents: list = [Talent(pk=pk) for pk in sorted(disclosed.get("talent.talent", ()))]
        if any(pks for label, pks in disclosed.items() if label != "talent.talent"):
            talents.append(None)
        return log_personal_data_access(
            user=self.user, talents=talents, context=f"summary_export_{fmt}", path=self.path
        )


def reader_for(user_id: int | None, *, path: str = "") -> Reader:
    """The export's reader: unmasked only for a user who sees personal data unmasked on
    screen (talent.view_personal_data); no user (a shell) means masked."""
    if user_id is None:
        return Reader(path=path)
    from django.contrib.auth import get_user_model

    from talent.selectors import can_view_personal_data

    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return Reader(path=path)
    return Reader(user=user, unmask=can_view_personal_data(user), path=path)


def _amount(value, unit: str) -> str:
    """A table cell: money in 万元, counts as published; '—' when there is no value."""
    if value is None:
        return "—"
    return spec.format_number(value, "wan" if unit == "元" else None)


def _change(value, last, unit: str) -> str:
    if value is None or last is None:
        return "—"
    diff = Decimal(value) - Decimal(last)
    text = spec.format_number(diff, "wan" if unit == "元" else None)
    if diff > 0:
        text = "+" + text
    if last and diff:
        pct = (diff * 100 / Decimal(last)).quantize(Decimal("0.1"))
        text += f"（{'+' if pct > 0 else ''}{pct}%）"
    return text


def key_figure_rows(
    values: dict[str, spec.FigureValue],
    previous: dict[str, Figure],
    targets: dict[str, Target],
) -> list[list[str]]:
    """The Word file's table of key figures: label (unit), this year, last year, change,
    target. This year's values are the document's own (its snapshot); a figure with neither
    this year's nor last year's value is left out."""
    keys = [k for k in values if not k.startswith("target:")]
    keys += [k for k in targets if k not in values]
    rows = []
    for key in keys:
        fig, prev, target = values.get(key), previous.get(key), targets.get(key)
        value = fig.value if fig else None
        last = prev.value if prev else None
        if value is None and last is None:
            continue
        label = (fig.label if fig and fig.label else "") or (prev.label if prev else "")
        label = label or (target.label if target else spec_label(key))
        unit = (fig.unit if fig and fig.unit else "") or (prev.unit if prev else "")
        unit = unit or (target.unit if target else "")
        shown_unit = "万元" if unit == "元" else unit
        rows.append(
            [
                f"{label}（{shown_unit}）" if shown_unit else label,
                _amount(value, unit),
                _amount(last, unit),
                _change(value, last, unit),
                _amount(target.target_value, target.unit) if target else "—",
            ]
        )
    return rows


def without_empty_columns(headers: list[str], rows: list[list]) -> tuple[list[str], list[list]]:
    """The columns with a value in some row (a page's width is too dear for empty ones)."""
    keep = [i for i in range(len(headers)) if any(row[i] not in (None, "") for row in rows)]
    if not rows or len(keep) == len(headers):
        return headers, rows
    return [headers[i] for i in keep], [[row[i] for i in keep] for row in rows]


def _template_file() -> io.BytesIO | None:
    template = WordTemplate.objects.filter(is_active=True).first()
    if template is None:
        return None
    template.file.open("rb")
    try:
        return io.BytesIO(template.file.read())
    finally:
        template.file.close()


def build_docx(
    summary_id: int,
    *,
    appendix: str = ExportAppendix.FIGURES,
    reader: Reader | None = None,
    progress: Progress = _noop,
) -> bytes:
    """The summary as a GB/T 9704 Word document: the text, the charts and one table of key
    figures; with `appendix="full"` also the records behind each figure (landscape, the
    first 200 of each; every record is in the Excel file). Personal data masked unless the
    reader may see it."""
    reader = reader or Reader()
    summary = AnnualSummary.objects.get(pk=summary_id)
    _ensure_drafted(summary)
    summary = summary_get(year=summary.year)
    document = build_document(summary)
    progress(10)
    year = summary.year
    values = snapshot_values(summary)
    # One set of figures per document: the table and the charts show the snapshot the text
    # was drafted from; only the records of the optional appendix are read now.
    _current, previous = snapshot_figures(summary)
    targets = {t.figure_key: t for t in Target.objects.filter(year=year).order_by("figure_key")}
    key_rows = key_figure_rows(values, previous, targets)
    figures_table = word.AppendixTable(
        caption=f"表1  {year}年主要指标及同比情况",
        headers=["指标", f"{year}年", f"{year - 1}年", "增减（增幅）", "年度目标"],
        rows=key_rows,
        total=0,
        widths=[40, 12, 12, 25, 11],
    )
    if not key_rows:
        figures_table = None  # a year with no figure at all: no empty table
    progress(30)
    tables = []
    if appendix == ExportAppendix.FULL:
        current = collect(year)
        n = 2
        for section, keys in keys_by_section().items():
            for key in keys:
                fig = current.get(key)
                if fig is None or fig.records is None:
                    continue
                cols, row_iter = records.rows(
                    fig.records,
                    limit=APPENDIX_ROW_LIMIT,
                    unmask=reader.unmask,
                    disclosure=reader.disclosure,
                )
                rows = list(row_iter)
                total = len(rows) if len(rows) < APPENDIX_ROW_LIMIT else fig.records.count()
                headers, rows = without_empty_columns([c.header for c in cols], rows)
                tables.append(
                    word.AppendixTable(
                        caption=f"表{n}  {SECTION_SHEETS.get(section, '')}·{fig.label}（{_caption_value(fig)}）",
                        headers=headers,
                        rows=rows,
                        total=total,
                    )
                )
                n += 1
    progress(60)
    charts = chart_images.dashboard_charts(snapshot_dashboard(summary))
    progress(80)
    data = word.render(
        document,
        organisation=summary.organisation,
        date=chinese_date(document_date(summary)),
        appendix=tables,
        charts=charts,
        template=_template_file(),
        figures_table=figures_table,
    )
    reader.log("docx")
    progress(100)
    return data


def build_xlsx(
    summary_id: int, *, reader: Reader | None = None, progress: Progress = _noop
) -> bytes:
    """Figures with year-on-year columns, a sheet of records per section, native charts.
    Personal data masked unless the reader may see it."""
    reader = reader or Reader()
    summary = AnnualSummary.objects.get(pk=summary_id)
    _ensure_drafted(summary)
    year = summary.year
    # The figures sheet and the charts show the snapshot the text was drafted from; the
    # per-section sheets list the records behind each figure as they are now.
    current, previous = snapshot_figures(summary)
    live = collect(year)
    progress(10)
    sheets = [
        excel.Sheet(
            name="指标",
            heading=f"{summary.title}·主要指标（{year}年与{year - 1}年）",
            tables=[
                excel.Table(
                    title="",
                    headers=[
                        "章节",
                        "指标代码",
                        "指标",
                        "单位",
                        f"{year}年",
                        f"{year - 1}年",
                        "增减",
                        "增幅（%）",
                    ],
                    rows=figure_table_rows(current, previous),
                )
            ],
            widths=[18, 40, 36, 8, 14, 14, 12, 12],
        )
    ]
    for section, keys in keys_by_section().items():
        tables = []
        for key in keys:
            fig = current.get(key)
            if fig is None:
                tables.append(
                    excel.Table(
                        title=f"{spec_label(key)}：{spec.MISSING}",
                        headers=["说明"],
                        rows=[["该指标所属模块尚未发布数据。"]],
                    )
                )
                continue
            value, unit = _display(fig.value, fig.unit)
            title = f"{fig.label}：{spec.format_number(value) if value is not None else spec.MISSING}{unit}（{key}）"
            behind = live.get(key)
            if behind is None or behind.records is None:
                tables.append(
                    excel.Table(title=title, headers=["说明"], rows=[["该指标未提供明细记录。"]])
                )
                continue
            cols, row_iter = records.rows(
                behind.records, unmask=reader.unmask, disclosure=reader.disclosure
            )
            tables.append(
                excel.Table(
                    title=title,
                    headers=[c.header for c in cols],
                    rows=row_iter,
                    kinds=[c.kind for c in cols],
                )
            )
        sheets.append(
            excel.Sheet(
                name=SECTION_SHEETS.get(section, section),
                heading=f"{SECTION_SHEETS.get(section, section)}：指标背后的记录",
                tables=tables,
                widths=[30] + [16] * 15,
            )
        )
    progress(20)
    data = excel.write_workbook(
        sheets,
        chart_specs(snapshot_dashboard(summary), current, previous, year),
        progress=lambda n: progress(20 + n * 80 // 100),
    )
    # The rows are generated while the workbook is written: the disclosure is complete now.
    reader.log("xlsx")
    return data


def chart_specs(
    data, current: dict[str, Figure], previous: dict[str, Figure], year: int
) -> list[excel.ChartSpec]:
    """The dashboard's main series as native charts: year on year, quarter trends, distributions."""
    result = []
    yoy = []
    for key in spec.figure_keys():
        fig = current.get(key)
        if fig is None or fig.unit == "元" or fig.value is None:
            continue
        prev = previous.get(key)
        yoy.append([fig.label, fig.value, prev.value if prev else None])
    if yoy:
        result.append(
            excel.ChartSpec(
                "bar", "主要指标同比", excel.Table("", ["指标", f"{year}年", f"{year - 1}年"], yoy)
            )
        )
    series = [s for s in data.trends["series"] if not s["missing"]]
    if series:
        rows = [[q] + [s["data"][i] for s in series] for i, q in enumerate(data.trends["quarters"])]
        result.append(
            excel.ChartSpec(
                "line",
                "季度趋势（累计）",
                excel.Table("", ["季度"] + [f"{s['name']}（{s['unit']}）" for s in series], rows),
            )
        )
    for dist in data.distributions:
        if dist["items"] and not dist.get("empty"):
            result.append(
                excel.ChartSpec(
                    "pie",
                    dist["title"],
                    excel.Table(
                        "", ["类别", "数值"], [[i["name"], i["value"]] for i in dist["items"]]
                    ),
                )
            )
    return result
