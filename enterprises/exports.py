"""Excel writers of the tier ladder: rows in, bytes out."""

from bureau import spreadsheets

from .eligibility import Status
from .models import QualificationKind
from .selectors import PrescreenRow


def prescreen_workbook(kind: QualificationKind, rows: list[PrescreenRow], rule_set: str) -> bytes:
    """The ranked pre-screening list of one kind, one row per enterprise (bureau.spreadsheets:
    an enterprise's own text, its name first of all, is never a formula)."""
    return spreadsheets.rows_to_xlsx(
        f"{kind.short_name or kind.name}预审",
        [
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
        ],
        (
            [
                n,
                row.enterprise.name,
                row.enterprise.credit_code,
                str(row.enterprise.zone or ""),
                row.enterprise.get_size_class_display(),
                str(row.tier or ""),
                str(row.assessment.outcome.label),
                _number(row.assessment.score),
                _number(row.assessment.score_max),
                "；".join(
                    f"{r.label}（{r.value}，要求{r.threshold}）" for r in row.assessment.failed
                ),
                "；".join(row.assessment.missing),
                "；".join(
                    str(r.label)
                    for r in row.assessment.rules
                    if r.status == Status.MANUAL and r.counts
                ),
            ]
            for n, row in enumerate(rows, start=1)
        ),
        preamble=[[f"{kind.name}预审名单（预估，非官方认定结果）", rule_set]],
    )


def _number(value) -> float | None:
    return float(value) if value is not None else None
