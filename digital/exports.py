"""Excel writers of the digital app's staff lists: rows in, .xlsx bytes out."""

from collections.abc import Iterable, Sequence

from bureau import spreadsheets


def xlsx(title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """A one-sheet workbook through bureau.spreadsheets (user text never a formula)."""
    return spreadsheets.rows_to_xlsx(title, headers, rows)


def assessment_rows(assessments, dimension_codes: Sequence[str]) -> Iterable[list]:
    for a in assessments:
        scores = a.dimension_scores or {}
        yield [
            a.enterprise.name,
            a.enterprise.credit_code,
            a.assessed_on,
            a.get_source_display(),
            a.evaluator,
            a.get_status_display(),
            *[float(scores[c]) if c in scores else None for c in dimension_codes],
            float(a.total_score) if a.total_score is not None else None,
            a.level_name,
            a.version.code,
        ]


def visit_rows(visits) -> Iterable[list]:
    for v in visits:
        yield [
            v.date,
            v.enterprise.name,
            v.enterprise.credit_code,
            v.get_kind_display(),
            v.experts,
            v.findings,
            v.recommendations,
            v.n_actions,
            v.n_open,
        ]


def delivery_rows(deliveries) -> Iterable[list]:
    for d in deliveries:
        yield [
            d.delivered_on,
            d.enterprise.name,
            d.enterprise.credit_code,
            d.package.name,
            d.package.get_kind_display(),
            d.provider or d.package.provider,
            d.note,
        ]
