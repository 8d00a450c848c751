"""The national-level incubator conditions (criteria.md §7), at every band edge; no database."""

from dataclasses import replace
from decimal import Decimal

import pytest

from incubation.conditions import IncubatorFacts, Outcome, check_level, check_national

# An incubator that meets every condition exactly at its threshold.
EDGE = IncubatorFacts(
    years_operating=3,
    statistics_years=2,
    area_m2=Decimal("10000"),
    tenant_area_m2=Decimal("7500"),
    seed_fund=Decimal("5000000"),
    tenants=50,
    financed_tenants=5,
    fund_use_cases=3,
    graduates=20,
    staff_total=10,
    professional_staff=8,
    mentors=5,
    tenants_with_patent_filings=25,
    tenants_with_valid_ip=15,
)


def outcome(facts: IncubatorFacts, code: str) -> Outcome:
    return next(r for r in check_national(facts).results if r.code == code).outcome


def test_incubator_at_every_threshold_meets_all_conditions():
    check = check_national(EDGE)
    assert check.all_met
    assert check.met_count == len(check.results) == 13


@pytest.mark.parametrize(
    ("code", "change", "expected"),
    [
        ("years_operating", {"years_operating": 2}, Outcome.UNMET),
        ("years_operating", {"years_operating": None}, Outcome.UNKNOWN),
        ("statistics_years", {"statistics_years": 1}, Outcome.UNMET),
        ("area", {"area_m2": Decimal("9999.99"), "tenant_area_m2": Decimal("7500")}, Outcome.UNMET),
        ("area", {"area_m2": None}, Outcome.UNKNOWN),
        ("tenant_area_share", {"tenant_area_m2": Decimal("7499")}, Outcome.UNMET),
        ("tenant_area_share", {"tenant_area_m2": None}, Outcome.UNKNOWN),
        ("seed_fund", {"seed_fund": Decimal("4999999.99")}, Outcome.UNMET),
        ("seed_fund", {"seed_fund": None}, Outcome.UNKNOWN),
        ("financed_share", {"financed_tenants": 4}, Outcome.UNMET),
        ("financed_share", {"financed_tenants": None}, Outcome.UNKNOWN),
        ("fund_use_cases", {"fund_use_cases": 2}, Outcome.UNMET),
        ("tenants", {"tenants": 49, "financed_tenants": 5}, Outcome.UNMET),
        ("tenants", {"tenants": None}, Outcome.UNKNOWN),
        ("density", {"tenants": 51, "area_m2": Decimal("17000")}, Outcome.MET),
        ("density", {"tenants": 50, "area_m2": Decimal("16667")}, Outcome.UNMET),
        ("graduates", {"graduates": 19}, Outcome.UNMET),
        ("professional_share", {"professional_staff": 7}, Outcome.UNMET),
        ("professional_share", {"staff_total": None}, Outcome.UNKNOWN),
        ("per_ten", {"mentors": 4}, Outcome.UNMET),
        ("per_ten", {"professional_staff": 4, "staff_total": 5}, Outcome.UNMET),
        ("per_ten", {"tenants": 51, "financed_tenants": 6, "mentors": 5}, Outcome.UNMET),
        ("per_ten", {"mentors": None}, Outcome.UNKNOWN),
        # IP: either 50% filed patents or 30% valid IP suffices.
        ("ip", {"tenants_with_patent_filings": 24}, Outcome.MET),
        ("ip", {"tenants_with_valid_ip": 14}, Outcome.MET),
        ("ip", {"tenants_with_patent_filings": 24, "tenants_with_valid_ip": 14}, Outcome.UNMET),
        ("ip", {"tenants_with_patent_filings": 24, "tenants_with_valid_ip": None}, Outcome.UNKNOWN),
        ("ip", {"tenants_with_patent_filings": None, "tenants_with_valid_ip": 15}, Outcome.MET),
    ],
)
def test_condition_edges(code, change, expected):
    assert outcome(replace(EDGE, **change), code) is expected


def test_unmet_condition_says_the_distance():
    facts = replace(EDGE, area_m2=Decimal("8000"), tenant_area_m2=Decimal("6000"), graduates=14)
    results = {r.code: r for r in check_national(facts).results}
    assert results["area"].gap == "还差 2,000 ㎡"
    assert results["graduates"].gap == "还差 6 家"
    assert results["area"].actual == "8,000 ㎡"


def test_share_gap_counts_what_is_still_needed():
    # 36 tenants need ceil(3.6) = 4 financed; 3 are financed: 1 more.
    facts = replace(EDGE, tenants=36, financed_tenants=3)
    result = next(r for r in check_national(facts).results if r.code == "financed_share")
    assert result.outcome is Outcome.UNMET
    assert result.gap == "还差 1 家"


def test_seed_fund_is_compared_in_wan_yuan():
    result = next(
        r
        for r in check_national(replace(EDGE, seed_fund=Decimal("3000000"))).results
        if r.code == "seed_fund"
    )
    assert result.requirement == "≥ 500 万元"
    assert result.gap == "还差 200 万元"


@pytest.mark.parametrize(
    ("area", "tenants", "graduates", "fund", "expected"),
    [
        (Decimal("8000"), 40, 16, Decimal("4000000"), True),
        (Decimal("7999"), 40, 16, Decimal("4000000"), False),
        (Decimal("8000"), 39, 16, Decimal("4000000"), False),
        (Decimal("8000"), 40, 15, Decimal("4000000"), False),
        (Decimal("8000"), 40, 16, Decimal("3999999"), False),
    ],
)
def test_hardship_region_lowers_quantities_by_a_fifth(area, tenants, graduates, fund, expected):
    facts = replace(
        EDGE,
        hardship_region=True,
        area_m2=area,
        tenant_area_m2=area * Decimal("0.75"),
        tenants=tenants,
        financed_tenants=4,
        graduates=graduates,
        seed_fund=fund,
        professional_staff=8,
        mentors=4,
        tenants_with_patent_filings=20,
    )
    codes = {"area", "tenants", "graduates", "seed_fund"}
    met = all(r.met for r in check_national(facts).results if r.code in codes)
    assert met is expected


def test_zero_area_is_unmet_not_a_crash():
    facts = replace(EDGE, area_m2=Decimal("0"), tenant_area_m2=Decimal("0"))
    results = {r.code: r.outcome for r in check_national(facts).results}
    assert results["tenant_area_share"] is Outcome.UNMET
    assert results["density"] is Outcome.UNMET


def test_nothing_known_is_all_unknown():
    check = check_national(IncubatorFacts())
    assert check.unknown_count == len(check.results)
    assert not check.all_met


@pytest.mark.parametrize("level", ["provincial", "municipal", "county"])
def test_levels_below_national_have_no_criteria_on_file(level):
    check = check_level(EDGE, level)
    assert not check.has_criteria
    assert "尚未录入" in check.note
