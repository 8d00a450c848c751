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
