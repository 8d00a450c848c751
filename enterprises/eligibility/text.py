"""Shared translated text of the rules: lazy until a page or an export renders it.

Ranking 10,000 enterprises must not translate (or even build) a label per rule: messages are
made once (`_`), formatted labels are lazy (`_f`), and labels naming a year are made once per
message and year."""

from __future__ import annotations

import functools

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy

# One lazy proxy per message, made once: proxies translate when rendered, in the language
# active then, so sharing them is safe, and ranking 10,000 enterprises makes no new ones.
_ = functools.cache(gettext_lazy)


def _percent_format(message: str, mapping: dict) -> str:
    return str(message) % mapping


def _join(parts: list) -> str:
    return "；".join(str(p) for p in parts)


# Labels stay lazy until a page or an export renders them: translating every label of every
# enterprise while ranking 10,000 of them would cost more than the rules themselves.
_lazy_percent = lazy(_percent_format, str)
_lazy_join = lazy(_join, str)


def _f(message, mapping: dict):
    """`message % mapping`, evaluated (and translated) only when displayed."""
    return _lazy_percent(message, mapping)


_YEAR_LABELS: dict[tuple[int, int], tuple[object, object]] = {}


def _year_label(message, year: int) -> str:
    """A label naming a year (`message`, one of the cached `_()` proxies, has "%(y)s"), made
    once per message and year. Keyed by the proxy's identity: hashing a proxy translates it."""
    key = (id(message), year)
    hit = _YEAR_LABELS.get(key)
    if hit is None or hit[0] is not message:
        hit = _YEAR_LABELS[key] = (message, _f(message, {"y": year}))
    return hit[1]


# A string worked out when first shown (one proxy class for the module, not one per call).
_lazy_call = lazy(lambda make: make(), str)


# Codes shown in words: the same messages as the models' choices (enterprises.SizeClass,
# bureau.Level, the qualification kinds' names), so both languages already translate them.
SIZE_LABELS = {"large": _("大型"), "medium": _("中型"), "small": _("小型"), "micro": _("微型")}
LEVEL_LABELS = {
    "national": _("国家级"),
    "provincial": _("省级"),
    "municipal": _("市级"),
    "county": _("县级"),
    "none": _("无"),
}
TITLE_LABELS = {
    "tech_sme": _("科技型中小企业"),
    "tech_innovative_sme": _("科技和创新型中小企业"),
    "innovative_sme": _("创新型中小企业"),
    "specialised_sme": _("专精特新中小企业"),
    "little_giant": _("专精特新“小巨人”企业"),
    "hitech": _("高新技术企业"),
    "strategic_emerging": _("战略性新兴产业入库企业"),
}


def code_label(labels: dict, code: str):
    """The word for a code (lazy), or the code itself when it has none."""
    return labels.get(code, code)


def _join_titles(codes: tuple[str, ...]) -> str:
    return "、".join(str(code_label(TITLE_LABELS, c)) for c in codes)


lazy_titles = lazy(_join_titles, str)
