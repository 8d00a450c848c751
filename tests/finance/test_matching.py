"""Need-to-product matching on hand-built cases, no database."""

import datetime
import itertools
from decimal import Decimal

import pytest

from finance.matching import (
    AMOUNT_PARTIAL_POINTS,
    AMOUNT_POINTS,
    COLLATERAL_POINTS,
    MAX_SCORE,
    TERM_POINTS,
    EnterpriseFacts,
    NeedFacts,
    ProductFacts,
    match_product,
    rank_products,
)

WAN = Decimal(10000)
HITECH_SINCE = datetime.date(2023, 11, 1)
FIRM = EnterpriseFacts(
    size_class="small",
    industry_division="39",
    industry_section="C",
    tiers={"hitech": HITECH_SINCE, "tech_sme": None},
)
NEED = NeedFacts(amount=500 * WAN, term_months=12, collateral_available=False)


def product(**kw) -> ProductFacts:
    base = {
        "key": kw.pop("key", 1),
        "name": kw.pop("name", "智造贷"),
        "min_amount": 50 * WAN,
        "max_amount": 1000 * WAN,
        "min_term_months": 6,
        "max_term_months": 36,
    }
    base.update(kw)
    return ProductFacts(**base)


@pytest.mark.parametrize(
    ("amount_wan", "points", "ok"),
    [
        (Decimal("49.99"), 0, False),  # just below the minimum
        (50, AMOUNT_POINTS, True),  # the minimum itself
        (1000, AMOUNT_POINTS, True),  # the maximum itself
        (Decimal("1000.01"), AMOUNT_PARTIAL_POINTS, False),  # just above: partly met
    ],
)
def test_amount_band_edges(amount_wan, points, ok):
    need = NeedFacts(amount=Decimal(amount_wan) * WAN, term_months=12)
    match = match_product(need, FIRM, product())
    assert match.score == points + TERM_POINTS + COLLATERAL_POINTS
    amount_reason = match.reasons[-3]
    assert amount_reason.ok is ok
    assert "万元" in amount_reason.text


@pytest.mark.parametrize(
    ("term", "points"),
    [(5, 0), (6, TERM_POINTS), (36, TERM_POINTS), (37, 0), (None, TERM_POINTS)],
)
def test_term_band_edges(term, points):
    match = match_product(NeedFacts(amount=500 * WAN, term_months=term), FIRM, product())
    assert match.score == AMOUNT_POINTS + points + COLLATERAL_POINTS


@pytest.mark.parametrize(
    ("requires", "available", "points"),
    [(False, False, COLLATERAL_POINTS), (True, True, COLLATERAL_POINTS), (True, False, 0)],
)
def test_collateral(requires, available, points):
    need = NeedFacts(amount=500 * WAN, term_months=12, collateral_available=available)
    match = match_product(need, FIRM, product(requires_collateral=requires))
    assert match.score == AMOUNT_POINTS + TERM_POINTS + points
    assert match.eligible  # collateral decides fit, not eligibility


@pytest.mark.parametrize(
    ("tiers", "eligible", "text"),
    [
        (frozenset(), True, None),
        (frozenset({"hitech"}), True, "要求高新技术企业：持有高新技术企业（2023年起）"),
        (frozenset({"tech_sme"}), True, "要求科技型中小企业：持有科技型中小企业"),
        (frozenset({"little_giant"}), False, "企业未持有"),
        (frozenset({"little_giant", "hitech"}), True, "2023年起"),
    ],
)
def test_tier_eligibility_with_reason(tiers, eligible, text):
    match = match_product(NEED, FIRM, product(eligible_tiers=tiers))
    assert match.eligible is eligible
    if text:
        assert any(text in r.text and r.hard for r in match.reasons)


def test_enterprise_without_tiers_is_not_eligible_for_tiered_product():
    firm = EnterpriseFacts(size_class="small", industry_division="39", industry_section="C")
    assert not match_product(NEED, firm, product(eligible_tiers=frozenset({"hitech"}))).eligible


@pytest.mark.parametrize(
    ("kw", "eligible"),
    [
        ({"eligible_sizes": frozenset({"small", "micro"})}, True),
        ({"eligible_sizes": frozenset({"medium"})}, False),
        ({"eligible_industries": frozenset({"39"})}, True),
        ({"eligible_industries": frozenset({"C"})}, True),  # by section letter
        ({"eligible_industries": frozenset({"65", "I"})}, False),
        ({"active": False}, False),
    ],
)
def test_size_industry_and_status(kw, eligible):
    assert match_product(NEED, FIRM, product(**kw)).eligible is eligible


def test_ineligible_never_ranks_above_eligible():
    """A perfectly fitting ineligible product still ranks below a poorly fitting eligible one."""
    perfect_but_ineligible = product(key=1, name="A贷", eligible_tiers=frozenset({"little_giant"}))
    poor_but_eligible = product(
        key=2, name="B贷", min_amount=800 * WAN, max_term_months=6, requires_collateral=True
    )
    ranked = rank_products(NEED, FIRM, [perfect_but_ineligible, poor_but_eligible])
    assert [m.product.key for m in ranked] == [2, 1]
    assert ranked[0].score < ranked[1].score == MAX_SCORE


def test_ranking_invariant_over_many_products():
    variants = []
    for i, (tiers, lo, req, active) in enumerate(
        itertools.product(
            [frozenset(), frozenset({"hitech"}), frozenset({"little_giant"})],
            [10 * WAN, 600 * WAN],
            [False, True],
            [True, False],
        )
    ):
        variants.append(
            product(
                key=i,
                name=f"产品{i:02d}",
                eligible_tiers=tiers,
                min_amount=lo,
                requires_collateral=req,
                active=active,
            )
        )
    ranked = rank_products(NEED, FIRM, variants)
    flags = [m.eligible for m in ranked]
    assert flags == sorted(flags, reverse=True)  # all True before all False
    eligible_scores = [m.score for m in ranked if m.eligible]
    assert eligible_scores == sorted(eligible_scores, reverse=True)
    assert any(not m.eligible for m in ranked) and any(m.eligible for m in ranked)


def test_ineligible_product_has_no_fit_score_and_names_its_failed_conditions():
    blocked = match_product(
        NEED, FIRM, product(eligible_tiers=frozenset({"little_giant"}), eligible_sizes={"micro"})
    )
    assert not blocked.eligible
    assert blocked.fit_score is None
    assert [r.text for r in blocked.failed_conditions] == [
        "要求专精特新“小巨人”企业：企业未持有",
        "企业规模不在产品支持范围内",
    ]
    fitting = match_product(NEED, FIRM, product())
    assert fitting.eligible and fitting.fit_score == MAX_SCORE
    assert fitting.failed_conditions == ()
