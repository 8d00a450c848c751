"""Excel writers of the staff lists: rows in, .xlsx bytes out, through bureau.spreadsheets."""

from collections.abc import Iterable, Sequence

from bureau import spreadsheets


def rows_to_xlsx(title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """One sheet named `title`: a bold header row, then `rows` (user text never a formula)."""
    return spreadsheets.rows_to_xlsx(str(title), headers, rows)
