"""Excel writers of the tier ladder: rows in, a workbook out."""

from django.db.models import QuerySet

from bureau import spreadsheets

from .models import QualificationKind

PRESCREEN_HEADERS = [
    "排名",
    "企业名称",
    "统一社会信用代码",
    "片区",
    "规模",
    "现有梯次",
    "预审结果",
    "得分（已知部分）",
    "得分上限",
    "不符合项",
    "缺少数据",
    "需人工核实项",
]


def prescreen_results_workbook(kind: QualificationKind, results: QuerySet, rule_set: str):
    """The ranked pre-screening list of one kind, one row per kept result, in a temporary file
    (bureau.spreadsheets: an enterprise's own text, its name first of all, is never a formula).
    The results are read in chunks as the sheet is written, so memory stays flat in rows."""
    kinds = {k.code: str(k) for k in QualificationKind.objects.all()}

    def rows():
        for n, r in enumerate(results.iterator(chunk_size=2000), start=1):
            yield [
                n,
                r.enterprise.name,
                r.enterprise.credit_code,
                r.zone.name if r.zone else "",
                r.get_size_class_display(),
                kinds.get(r.tier_code, ""),
                r.get_outcome_display(),
                _number(r.score),
                _number(r.score_max),
                "；".join(
                    f"{label}（{value}，要求{threshold}）"
                    for label, value, threshold in r.failed_reasons
                ),
                "；".join(r.missing_names),
                "；".join(r.manual_labels),
            ]

    return spreadsheets.xlsx_file(
        [
            spreadsheets.Sheet(
                title=f"{kind.short_name or kind.name}预审",
                headers=PRESCREEN_HEADERS,
                rows=rows(),
                preamble=[[f"{kind.name}预审名单（预估，非官方认定结果）", rule_set]],
            )
        ]
    )


def _number(value) -> float | None:
    return float(value) if value is not None else None
