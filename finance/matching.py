"""Need-to-product matching (融资需求与金融产品匹配) as plain Python over plain values.

A product is *eligible* for an enterprise when it is active and the enterprise meets its
eligibility (one of the required tiers held, its size class, its industry): these are hard
rules. Among eligible products the *fit* to the need (amount within range, term within range,
collateral) gives a score of 0–100. Ranking puts every eligible product before every ineligible
one, then higher fit first, then the product name; each result carries its reasons.

Amounts are Decimal in 元; terms in months. No database, no request.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .tiers import tier_label

AMOUNT_POINTS = 40
AMOUNT_PARTIAL_POINTS = 15  # need above the product's maximum: the product covers part of it
TERM_POINTS = 30
COLLATERAL_POINTS = 30
MAX_SCORE = AMOUNT_POINTS + TERM_POINTS + COLLATERAL_POINTS


@dataclass(frozen=True)
class EnterpriseFacts:
    """What matching needs to know of an enterprise.

    `tiers` maps each tier code it currently holds to the date it has held it since (None when
    unknown), e.g. {"hitech": date(2023, 11, 1)}.
    """

    size_class: str
    industry_division: str = ""
    industry_section: str = ""
    tiers: Mapping[str, datetime.date | None] = field(default_factory=dict)


@dataclass(frozen=True)
class NeedFacts:
    amount: Decimal
    term_months: int | None = None
    collateral_available: bool = False


@dataclass(frozen=True)
class ProductFacts:
    """A product's terms. Empty eligibility sets mean 'no restriction'.

    `eligible_industries` holds GB/T 4754 division codes ("39") or section letters ("C").
    """

    key: int | str
    name: str
    active: bool = True
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    min_term_months: int | None = None
    max_term_months: int | None = None
    requires_collateral: bool = False
    eligible_tiers: frozenset[str] = frozenset()
    eligible_sizes: frozenset[str] = frozenset()
    eligible_industries: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Reason:
    """One line of explanation: `ok` says whether it speaks for the product; `hard` reasons
    decide eligibility, the others only the fit score."""

    ok: bool
    text: str
    hard: bool = False


@dataclass(frozen=True)
class ProductMatch:
    product: ProductFacts
    eligible: bool
    score: int
    reasons: tuple[Reason, ...]

    @property
    def fit_score(self) -> int | None:
        """The 0–100 fit to the need, or None when the enterprise may not take the product."""
        return self.score if self.eligible else None

    @property
    def failed_conditions(self) -> tuple[Reason, ...]:
        """The eligibility rules the enterprise does not meet (empty when eligible)."""
        return tuple(r for r in self.reasons if r.hard and not r.ok)

    @property
    def sort_key(self) -> tuple:
        return (not self.eligible, -self.score, self.product.name, str(self.product.key))


def _wan(amount: Decimal) -> str:
    """元 → '500万元' (no trailing zeros)."""
    value = (Decimal(amount) / 10000).normalize()
    text = f"{value:f}"
    return _("%(v)s万元") % {"v": text}


def _eligibility(enterprise: EnterpriseFacts, product: ProductFacts) -> list[Reason]:
    reasons: list[Reason] = []
    if not product.active:
        reasons.append(Reason(False, _("产品已停办"), hard=True))
    if product.eligible_tiers:
        required = sorted(product.eligible_tiers)
        names = _("或").join(tier_label(code) for code in required)
        held = [code for code in required if code in enterprise.tiers]
        if held:
            code = held[0]
            since = enterprise.tiers[code]
            if since is not None:
                text = _("要求%(req)s：持有%(tier)s（%(y)s年起）") % {
                    "req": names,
                    "tier": tier_label(code),
                    "y": since.year,
                }
            else:
                text = _("要求%(req)s：持有%(tier)s") % {"req": names, "tier": tier_label(code)}
            reasons.append(Reason(True, text, hard=True))
        else:
            reasons.append(Reason(False, _("要求%(req)s：企业未持有") % {"req": names}, hard=True))
    if product.eligible_sizes:
        ok = enterprise.size_class in product.eligible_sizes
        text = _("企业规模符合产品要求") if ok else _("企业规模不在产品支持范围内")
        reasons.append(Reason(ok, text, hard=True))
    if product.eligible_industries:
        ok = bool(
            {enterprise.industry_division, enterprise.industry_section}
            & product.eligible_industries
        )
        text = _("所属行业符合产品要求") if ok else _("所属行业不在产品支持范围内")
        reasons.append(Reason(ok, text, hard=True))
    return reasons


def _amount(need: NeedFacts, product: ProductFacts) -> tuple[int, Reason]:
    low, high = product.min_amount, product.max_amount
    if low is not None and need.amount < low:
        return 0, Reason(
            False,
            _("需求金额%(a)s低于产品最低额度%(m)s") % {"a": _wan(need.amount), "m": _wan(low)},
        )
    if high is not None and need.amount > high:
        return AMOUNT_PARTIAL_POINTS, Reason(
            False,
            _("需求金额%(a)s高于产品最高额度%(m)s，只能部分满足")
            % {"a": _wan(need.amount), "m": _wan(high)},
        )
    return AMOUNT_POINTS, Reason(True, _("需求金额%(a)s在产品额度内") % {"a": _wan(need.amount)})


def _term(need: NeedFacts, product: ProductFacts) -> tuple[int, Reason]:
    if need.term_months is None:
        return TERM_POINTS, Reason(True, _("需求未限定期限"))
    low, high = product.min_term_months, product.max_term_months
    if (low is not None and need.term_months < low) or (
        high is not None and need.term_months > high
    ):
        return 0, Reason(
            False,
            _("需求期限%(t)s个月不在产品期限%(lo)s–%(hi)s个月内")
            % {"t": need.term_months, "lo": low if low is not None else 0, "hi": high or "∞"},
        )
    return TERM_POINTS, Reason(True, _("需求期限%(t)s个月在产品期限内") % {"t": need.term_months})


def _collateral(need: NeedFacts, product: ProductFacts) -> tuple[int, Reason]:
    if not product.requires_collateral:
        return COLLATERAL_POINTS, Reason(True, _("产品无需抵质押"))
    if need.collateral_available:
        return COLLATERAL_POINTS, Reason(True, _("产品需抵质押，企业可提供"))
    return 0, Reason(False, _("产品需抵质押，企业无可提供的抵质押物"))


def match_product(
    need: NeedFacts, enterprise: EnterpriseFacts, product: ProductFacts
) -> ProductMatch:
    """How one product fits one need of one enterprise, with the reasons."""
    hard = _eligibility(enterprise, product)
    eligible = all(r.ok for r in hard)
    score = 0
    soft: list[Reason] = []
    for rule in (_amount, _term, _collateral):
        points, reason = rule(need, product)
        score += points
        soft.append(reason)
    return ProductMatch(product=product, eligible=eligible, score=score, reasons=(*hard, *soft))


def rank_products(
    need: NeedFacts, enterprise: EnterpriseFacts, products: Iterable[ProductFacts]
) -> list[ProductMatch]:
    """All products ranked for the need: eligible before ineligible, then by fit score."""
    return sorted((match_product(need, enterprise, p) for p in products), key=lambda m: m.sort_key)
