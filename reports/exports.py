"""The summary's Word and Excel exports: read figures and records, hand rows to the writers.

Queries do not grow with the number of enterprises: a fixed number of `collect` calls, then
one query per figure's record table (its foreign keys joined).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from django.utils import timezone

from bureau.figures import Figure

from . import charts as chart_images
from . import document as doc_layout
from . import excel, records, word
from . import summary as spec
from .models import AnnualSummary, WordTemplate
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


def build_docx(summary_id: int, *, progress: Progress = _noop) -> bytes:
    """The summary as a GB/T 9704 Word document with an appendix of charts and figure tables."""
    summary = AnnualSummary.objects.get(pk=summary_id)
    _ensure_drafted(summary)
    summary = summary_get(year=summary.year)
    document = build_document(summary)
    progress(10)
    # One set of figures per document: the table and the charts show the snapshot the text
    # was drafted from; only the records behind each figure are read now.
    current, previous = snapshot_figures(summary)
    live = collect(summary.year)
    progress(30)
    fig_rows = figure_table_rows(current, previous)
    appendix = [
        word.AppendixTable(
            caption="表1  主要指标及同比情况",
            headers=[
                "章节",
                "指标代码",
                "指标",
                "单位",
                f"{summary.year}年",
                f"{summary.year - 1}年",
                "增减",
                "增幅（%）",
            ],
            rows=fig_rows,
            total=len(fig_rows),
        )
    ]
    n = 2
    for section, keys in keys_by_section().items():
        for key in keys:
            fig = current.get(key)
            behind = live.get(key)
            if fig is None or behind is None or behind.records is None:
                continue
            fig = replace(fig, records=behind.records)
            cols, row_iter = records.rows(fig.records, limit=APPENDIX_ROW_LIMIT)
            rows = list(row_iter)
            total = len(rows) if len(rows) < APPENDIX_ROW_LIMIT else fig.records.count()
            appendix.append(
                word.AppendixTable(
                    caption=f"表{n}  {SECTION_SHEETS.get(section, '')}·{fig.label}（{_caption_value(fig)}）",
                    headers=[c.header for c in cols],
                    rows=rows,
                    total=total,
                )
            )
            n += 1
    progress(60)
    charts = chart_images.dashboard_charts(snapshot_dashboard(summary))
    progress(80)
    template = WordTemplate.objects.filter(is_active=True).first()
    template_file = None
    if template is not None:
        template.file.open("rb")
        try:
            import io

            template_file = io.BytesIO(template.file.read())
        finally:
            template.file.close()
    today = timezone.localdate()
    data = word.render(
        document,
        organisation=summary.organisation,
        date=f"{today.year}年{today.month}月{today.day}日",
        appendix=appendix,
        charts=charts,
        template=template_file,
    )
    progress(100)
    return data


def build_xlsx(summary_id: int, *, progress: Progress = _noop) -> bytes:
    """Figures with year-on-year columns, a sheet of records per section, native charts."""
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
            cols, row_iter = records.rows(behind.records)
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
    return excel.write_workbook(
        sheets,
        chart_specs(snapshot_dashboard(summary), current, previous, year),
        progress=lambda n: progress(20 + n * 80 // 100),
    )


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
        if dist["items"]:
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
