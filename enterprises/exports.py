"""Excel writers of the tier ladder: rows in, bytes out."""

import io

from openpyxl import Workbook

from .eligibility import Status
from .models import QualificationKind
from .selectors import PrescreenRow


def prescreen_workbook(kind: QualificationKind, rows: list[PrescreenRow], rule_set: str) -> bytes:
    """The ranked pre-screening list of one kind, one row per enterprise (write-only mode)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=f"{kind.short_name or kind.name}预审")
    sheet.append([f"{kind.name}预审名单（预估，非官方认定结果）", rule_set])
    sheet.append(
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
        ]
    )
    for n, row in enumerate(rows, start=1):
        a = row.assessment
        sheet.append(
            [
                n,
                row.enterprise.name,
                row.enterprise.credit_code,
                str(row.enterprise.zone or ""),
                row.enterprise.get_size_class_display(),
                str(row.tier or ""),
                str(a.outcome.label),
                float(a.score) if a.score is not None else None,
                float(a.score_max) if a.score_max is not None else None,
                "；".join(f"{r.label}（{r.value}，要求{r.threshold}）" for r in a.failed),
                "；".join(a.missing),
                "；".join(str(r.label) for r in a.rules if r.status == Status.MANUAL and r.counts),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
