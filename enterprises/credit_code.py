"""Unified social credit code (统一社会信用代码), GB 32100-2015: normalisation and check character."""

import operator
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
WEIGHTS = [pow(3, i, 31) for i in range(17)]
_VALUE = {c: i for i, c in enumerate(ALPHABET)}  # a character's value, looked up per import row
FORBIDDEN = set("IOSVZ")
LENGTH = 18
# The database refuses anything that is not 18 characters of the code's alphabet.
DB_REGEX = r"^[0-9A-HJ-NPQRTUWXY]{18}$"


def normalize(raw: str) -> str:
    """Trim, fold full-width characters to half-width (NFKC) and upper-case."""
    return unicodedata.normalize("NFKC", str(raw or "")).strip().replace(" ", "").upper()


def check_character(first17: str) -> str:
    """The 18th character that GB 32100-2015 computes from the first 17."""
    if len(first17) != len(WEIGHTS):
        raise ValueError(f"{first17!r} is not 17 characters")
    try:
        total = sum(map(operator.mul, map(_VALUE.__getitem__, first17), WEIGHTS))
    except KeyError as exc:
        raise ValueError(f"{exc.args[0]!r} is not a credit-code character") from None
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """Why `code` (already normalised) is not a valid code, in Chinese; None when it is."""
    if len(code) != LENGTH:
        return _("长度应为18位，实际为%(n)d位") % {"n": len(code)}
    bad = sorted(set(code) - _VALUE.keys())
    if bad:
        forbidden = [c for c in bad if c in FORBIDDEN]
        if forbidden:
            return _("含有不允许的字母 %(c)s（统一社会信用代码不使用 I、O、S、V、Z）") % {
                "c": "、".join(forbidden)
            }
        return _("含有非法字符 %(c)s") % {"c": "、".join(bad)}
    if not code[2:8].isdigit():
        return _("第3至8位（行政区划码）应为数字")
    expected = check_character(code[:17])
    if code[17] != expected:
        return _("校验码错误：第18位应为 %(e)s，实际为 %(a)s") % {"e": expected, "a": code[17]}
    return None


def is_valid(raw: str) -> bool:
    return problem(normalize(raw)) is None


def validate_credit_code(value: str) -> None:
    """Django validator: refuses a code whose structure or check character is wrong."""
    reason = problem(normalize(value))
    if reason:
        raise ValidationError(
            _("统一社会信用代码 %(code)s 无效：%(reason)s") % {"code": value, "reason": reason},
            code="invalid_credit_code",
        )


def make_code(body: str) -> str:
    """Complete a 17-character body with its check character (demo data and tests)."""
    body = normalize(body)
    return body + check_character(body)
