"""The pre-screening rules of criteria.md §1–§3 as tables, at every band edge (no database)."""

import dataclasses
import datetime
from decimal import Decimal as D

import pytest

from enterprises import eligibility as e
from enterprises.eligibility import Outcome, Status

W = D(10_000)
BEFORE_2026 = datetime.date(2025, 6, 1)
FROM_2026 = datetime.date(2026, 6, 1)


def year(y: int, rev_wan: int | str = 3000, **kw) -> e.YearFigures:
    rev = D(rev_wan) * W
    base = {
        "year": y,
        "revenue": rev,
        "main_business_revenue": rev * D("0.9"),
        "rd_expense": rev * D("0.06"),
        "cost_expense_total": rev * D("0.8"),
        "hitech_product_revenue": rev * D("0.7"),
        "total_assets": rev,
        "total_liabilities": rev * D("0.4"),
        "net_profit": rev * D("0.1"),
        "equity_financing": D(0),
        "employees": 100,
        "tech_staff": 30,
        "rd_staff": 20,
        "class1_ip": 2,
        "class2_ip": 5,
    }
    base.update(kw)
    return e.YearFigures(**base)


def facts(day=BEFORE_2026, years=None, **kw) -> e.Facts:
    prior = day.year - 1
    if years is None:
        years = {
            y: year(y, int(3000 * 1.1 ** (y - prior + 3))) for y in range(prior - 3, prior + 1)
        }
    base = {
        "assessment_date": day,
        "established_on": datetime.date(2015, 1, 1),
        "size_class": "small",
        "years": years,
        "niche_since_year": 2015,
        "rd_institution_level": "none",
        "award_level": "none",
        "digital_level": 3,
        "high_value_class1_ip": 0,
        "self_developed_class1_ip": 0,
    }
    base.update(kw)
    return e.Facts(**base)


def rule(assessment: e.Assessment, code: str) -> e.RuleResult:
    return next(r for r in assessment.rules if r.code == code)


def with_prior(f: e.Facts, **changes) -> e.Facts:
    y = f.prior_year
    years = dict(f.years)
    years[y] = dataclasses.replace(years[y], **changes)
    return dataclasses.replace(f, years=years)


# --- Versioning -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "version"),
    [
        (datetime.date(2022, 1, 1), "2022"),
        (datetime.date(2026, 3, 31), "2022"),
        (datetime.date(2026, 4, 1), "2026"),
        (datetime.date(2030, 1, 1), "2026"),
    ],
)
def test_rule_set_chosen_by_assessment_date(day, version):
    assert e.rule_set_for(day).version == version


def test_tech_innovative_tier_only_exists_from_2026():
    assert e.assess("tech_innovative_sme", facts(BEFORE_2026)) is None
    assert e.assess("tech_innovative_sme", facts(FROM_2026)) is not None


def test_same_enterprise_judged_differently_across_the_2026_change():
    # 专精特新 2022 requires revenue ≥ 1000万; 2026 requires ≥ 1500万 — 1200万 passes only before.
    for day, expected in ((datetime.date(2026, 3, 31), Status.PASS), (FROM_2026, Status.FAIL)):
        f = with_prior(facts(day), revenue=D(1200) * W, main_business_revenue=D(1150) * W)
        a = e.assess("specialised_sme", f)
        code = "Z3" if day < e.CHANGE_2026 else "N2a"
        assert rule(a, code).status == expected


# --- 科技型中小企业 §1.2 bands -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratio", "points"),
    [
        ("30", 20), ("29.99", 16), ("25", 16), ("24.99", 12), ("20", 12), ("19.99", 8),
        ("15", 8), ("14.99", 4), ("10", 4), ("9.99", 0), ("0", 0),
    ],
)  # fmt: skip
def test_tech_sme_tech_staff_bands(ratio, points):
    assert e.band(D(ratio), e.TECH_STAFF_BANDS) == points


@pytest.mark.parametrize(
    ("ratio", "points"),
    [("6", 50), ("5.99", 40), ("5", 40), ("4", 30), ("3", 20), ("2", 10), ("1.99", 0)],
)
def test_tech_sme_rd_revenue_bands(ratio, points):
    assert e.band(D(ratio), e.RD_REVENUE_BANDS) == points


@pytest.mark.parametrize(
    ("ratio", "points"),
    [("30", 50), ("29.99", 40), ("25", 40), ("20", 30), ("15", 20), ("10", 10), ("9.99", 0)],
)
def test_tech_sme_rd_cost_bands(ratio, points):
    assert e.band(D(ratio), e.RD_COST_BANDS) == points


@pytest.mark.parametrize(
    ("class1", "class2", "points"),
    [(1, 0, 30), (0, 4, 24), (0, 9, 24), (0, 3, 18), (0, 2, 12), (0, 1, 6), (0, 0, 0)],
)
def test_tech_sme_ip_points(class1, class2, points):
    assert e.tech_sme_ip_points(class1, class2) == points


@pytest.mark.parametrize(
    ("employees", "revenue_wan", "assets_wan", "status"),
    [
        (500, 20000, 20000, Status.PASS),
        (501, 20000, 20000, Status.FAIL),
        (500, "20000.01", 20000, Status.FAIL),
        (500, 20000, "20000.01", Status.FAIL),
    ],
)
def test_tech_sme_size_limits_are_inclusive(employees, revenue_wan, assets_wan, status):
    f = with_prior(
        facts(), employees=employees, tech_staff=150, revenue=D(revenue_wan) * W,
        total_assets=D(assets_wan) * W,
    )  # fmt: skip
    a = e.assess("tech_sme", f)
    statuses = {rule(a, c).status for c in ("H2a", "H2b", "H2c")}
    assert (Status.FAIL in statuses) == (status == Status.FAIL)


def _tech_sme_case(tech_staff: int, rd_pct: str, class1: int, class2: int) -> e.Facts:
    rev = D(1000) * W
    return with_prior(
        facts(),
        employees=100,
        tech_staff=tech_staff,
        revenue=rev,
        rd_expense=rev * D(rd_pct) / 100,
        cost_expense_total=rev * 10,  # cost basis scores 0 so the revenue basis decides
        class1_ip=class1,
        class2_ip=class2,
    )


@pytest.mark.parametrize(
    ("tech_staff", "rd_pct", "class1", "class2", "score", "outcome"),
    [
        (10, "6", 0, 2, 66, Outcome.ELIGIBLE),  # 4 + 50 + 12
        (10, "5", 0, 3, 62, Outcome.ELIGIBLE),  # 4 + 40 + 18
        (10, "5", 0, 2, 56, Outcome.NOT_ELIGIBLE),  # 4 + 40 + 12
        (30, "3", 0, 4, 64, Outcome.ELIGIBLE),  # 20 + 20 + 24
        (30, "2.99", 0, 4, 54, Outcome.NOT_ELIGIBLE),  # 20 + 10 + 24
        (9, "6", 1, 0, 80, Outcome.NOT_ELIGIBLE),  # tech-staff score 0 fails regardless
    ],
)
def test_tech_sme_score_pass_line(tech_staff, rd_pct, class1, class2, score, outcome):
    a = e.assess("tech_sme", _tech_sme_case(tech_staff, rd_pct, class1, class2))
    assert a.score == score
    assert a.outcome == outcome


def test_tech_sme_direct_qualification_by_valid_hitech_title():
    f = dataclasses.replace(_tech_sme_case(9, "1", 0, 0), titles=frozenset({"hitech"}))
    a = e.assess("tech_sme", f)
    assert rule(a, "S").status == Status.FAIL
    assert rule(a, "H5").status == Status.PASS
    assert a.outcome == Outcome.ELIGIBLE


def test_tech_sme_chooses_the_better_rd_basis():
    f = with_prior(
        facts(), revenue=D(1000) * W, rd_expense=D(15) * W, cost_expense_total=D(50) * W
    )  # 1.5% of revenue (0) but 30% of costs (50)
    assert rule(e.assess("tech_sme", f), "S2").points == 50


# --- 高新技术企业 §2 -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("revenue_wan", "threshold"),
    [("5000", 5), ("5000.01", 4), ("20000", 4), ("20000.01", 3)],
)
def test_hitech_rd_intensity_band_by_revenue(revenue_wan, threshold):
    assert e.hitech_rd_threshold(D(revenue_wan) * W) == threshold


@pytest.mark.parametrize(("rd_pct", "status"), [("5", Status.PASS), ("4.99", Status.FAIL)])
def test_hitech_three_year_rd_ratio_at_the_5_percent_edge(rd_pct, status):
    years = {y: year(y, 4000, rd_expense=D(4000) * W * D(rd_pct) / 100) for y in (2022, 2023, 2024)}
    a = e.assess("hitech", facts(years=years))
    assert rule(a, "C5a").status == status


@pytest.mark.parametrize(("tech_staff", "status"), [(10, Status.PASS), (9, Status.FAIL)])
def test_hitech_tech_staff_10_percent(tech_staff, status):
    a = e.assess("hitech", with_prior(facts(), employees=100, tech_staff=tech_staff))
    assert rule(a, "C4").status == status


@pytest.mark.parametrize(("share", "status"), [("0.60", Status.PASS), ("0.5999", Status.FAIL)])
def test_hitech_product_revenue_60_percent(share, status):
    f = facts()
    rev = f.years[f.prior_year].revenue
    a = e.assess("hitech", with_prior(f, hitech_product_revenue=rev * D(share)))
    assert rule(a, "C6").status == status


@pytest.mark.parametrize(
    ("established", "status"),
    [(datetime.date(2024, 6, 1), Status.PASS), (datetime.date(2024, 6, 2), Status.FAIL)],
)
def test_hitech_registered_one_full_year(established, status):
    a = e.assess("hitech", facts(established_on=established))
    assert rule(a, "C1").status == status


@pytest.mark.parametrize(
    ("values", "growth"),
    [
        ((100, 110, 121), D(10)),
        ((0, 100, 150), D(50)),  # year-1 value 0: the last two years only
        ((100, 0, 150), None),  # year-2 value 0: scores 0
        ((-50, 100, 150), D(50)),  # negative counts as 0 → as year-1 zero
    ],
)
def test_hitech_growth_formula_special_cases(values, growth):
    result = e.hitech_growth([D(v) for v in values])
    assert (result if result is None else result.quantize(D("0.01"))) == growth


@pytest.mark.parametrize(
    ("growth", "points"),
    [
        (D(35), (9, 10)), (D("34.99"), (7, 8)), (D(25), (7, 8)), (D(15), (5, 6)),
        (D(5), (3, 4)), (D("4.99"), (1, 2)), (D("0.01"), (1, 2)), (D(0), (0, 0)),
        (D(-3), (0, 0)), (None, (0, 0)),
    ],
)  # fmt: skip
def test_hitech_growth_bands(growth, points):
    assert e.hitech_growth_points(growth) == points


def test_hitech_expert_score_is_never_a_pass():
    a = e.assess("hitech", facts())
    assert rule(a, "C7").status == Status.MANUAL
    assert a.outcome == Outcome.ELIGIBLE  # on the figures, with manual items listed
    assert {r.code for r in a.manual} >= {"C2b", "C3", "C7", "C8"}


# --- 创新型中小企业 §3.3 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratio", "points"),
    [("5", 20), ("4.99", 15), ("3", 15), ("2", 10), ("1", 5), ("0.99", 0)],
)
def test_innovative_rd_bands(ratio, points):
    assert e.band(D(ratio), e.INNOV_RD_BANDS) == points


@pytest.mark.parametrize(
    ("growth", "points"),
    [("15", 20), ("14.99", 15), ("10", 15), ("5", 10), ("0", 5), ("-0.01", 0)],
)
def test_innovative_growth_bands(growth, points):
    assert e.band(D(growth), e.INNOV_GROWTH_BANDS) == points


@pytest.mark.parametrize(("ratio", "points"), [("54.99", 10), ("55", 5), ("75", 5), ("75.01", 0)])
def test_innovative_debt_ratio_bands(ratio, points):
    assert e.innovative_debt_points(D(ratio)) == points


@pytest.mark.parametrize(
    ("share", "points"),
    [("70", 20), ("69.99", 15), ("60", 15), ("55", 10), ("50", 5), ("49.99", 0)],
)
def test_innovative_main_share_bands(share, points):
    assert e.band(D(share), e.INNOV_MAIN_SHARE_BANDS) == points


def _innovative_case(rd_pct: str, growth_pct: str, debt_pct: str, share_pct: str, c1=0, c2=0):
    prior = BEFORE_2026.year - 1
    rev = D(2000) * W
    main = rev * D(share_pct) / 100
    years = {
        prior - 2: year(prior - 2, 2000),
        prior - 1: year(prior - 1, 2000, main_business_revenue=main / (1 + D(growth_pct) / 100)),
        prior: year(
            prior, 2000, main_business_revenue=main, rd_expense=rev * D(rd_pct) / 100,
            total_liabilities=rev * D(debt_pct) / 100, class1_ip=c1, class2_ip=c2,
        ),
    }  # fmt: skip
    return facts(years=years)


@pytest.mark.parametrize(
    ("case", "low", "outcome"),
    [
        # IP 5 + R&D 15 = 20 (innovation minimum met); growth 10 + debt 5 = 15; field 5 + share 20
        (("3", "5", "60", "70", 0, 1), 60, Outcome.ELIGIBLE),
        # total 70, but the innovation group is 5 + 10 = 15 < 20: fails whatever the field
        (("2", "15", "10", "70", 0, 1), 70, Outcome.NOT_ELIGIBLE),
        # total 55 at the field's 5 points, 60 at its 10: only a person can tell
        (("3", "5", "60", "60", 0, 1), 55, Outcome.NEEDS_REVIEW),
    ],
)
def test_innovative_sme_score_and_group_minimums(case, low, outcome):
    a = e.assess("innovative_sme", _innovative_case(*case))
    assert a.score == low
    if outcome is Outcome.NEEDS_REVIEW:
        assert rule(a, "S").status == Status.MANUAL
        assert rule(a, "P").status == Status.MANUAL
    else:
        assert a.outcome == outcome


def test_innovative_sme_direct_by_equity_of_500_wan():
    f = _innovative_case("0", "-5", "90", "40")
    assert e.assess("innovative_sme", f).outcome == Outcome.NOT_ELIGIBLE
    funded = with_prior(f, equity_financing=D(500) * W)
    assert e.assess("innovative_sme", funded).outcome == Outcome.ELIGIBLE


# --- 专精特新 §3.4 / §3.6 and 小巨人 §3.5 / §3.6 -------------------------------------------------


@pytest.mark.parametrize(
    ("rd_wan", "ratio", "points"),
    [
        (500, None, 10), ("499.99", None, 8), (400, None, 8), (300, None, 6), (200, None, 4),
        (100, None, 2), ("99.99", None, 0), (0, "10", 10), (0, "9.99", 8), (0, "3", 2),
        (0, "2.99", 0), (150, "8", 8),
    ],
)  # fmt: skip
def test_specialised_rd_points_take_the_better_band(rd_wan, ratio, points):
    assert e.specialised_rd_points(D(rd_wan) * W, D(ratio) if ratio else None) == points


@pytest.mark.parametrize(
    ("ratio", "points"),
    [("49.99", 5), ("50", 3), ("59.99", 3), ("60", 1), ("70", 1), ("70.01", 0)],
)
def test_specialised_debt_points(ratio, points):
    assert e.specialised_debt_points(D(ratio)) == points


@pytest.mark.parametrize(("rd_wan", "status"), [(100, Status.PASS), ("99.99", Status.FAIL)])
def test_specialised_2022_rd_at_least_100_wan(rd_wan, status):
    a = e.assess("specialised_sme", with_prior(facts(), rd_expense=D(rd_wan) * W))
    assert rule(a, "Z2a").status == status


@pytest.mark.parametrize(
    ("score", "status"), [("50", Status.PASS), ("49.9", Status.FAIL), (None, Status.UNKNOWN)]
)
def test_specialised_2026_development_score_50(score, status):
    f = facts(FROM_2026, development_score=D(score) if score else None, development_score_year=2025)
    assert rule(e.assess("specialised_sme", f), "N6").status == status


@pytest.mark.parametrize(("share", "status"), [("0.80", Status.PASS), ("0.7999", Status.FAIL)])
def test_specialised_2026_main_business_80_percent(share, status):
    f = facts(FROM_2026)
    rev = f.years[f.prior_year].revenue
    a = e.assess("specialised_sme", with_prior(f, main_business_revenue=rev * D(share)))
    assert rule(a, "N2b").status == status


@pytest.mark.parametrize(
    ("revenue_wan", "limit"), [(10000, 3), ("9999.99", 6), (5000, 6), ("4999.99", None)]
)
def test_little_giant_2022_rd_ratio_band_by_revenue(revenue_wan, limit):
    assert e.little_giant_rd_rule(D(revenue_wan) * W) == limit


@pytest.mark.parametrize(("now_wan", "status"), [("11025", Status.PASS), ("11024.99", Status.FAIL)])
def test_little_giant_2026_two_year_cagr_5_percent(now_wan, status):
    prior = FROM_2026.year - 1
    years = {
        prior - 2: year(prior - 2, 10000),
        prior - 1: year(prior - 1, 10500),
        prior: year(prior, now_wan),
    }
    a = e.assess("little_giant", facts(FROM_2026, years=years))
    assert rule(a, "G2c").status == status


def test_little_giant_requires_the_specialised_title():
    without = e.assess("little_giant", facts(FROM_2026))
    assert rule(without, "G1a").status == Status.FAIL
    assert without.outcome == Outcome.NOT_ELIGIBLE
    held = e.assess("little_giant", facts(FROM_2026, titles=frozenset({"specialised_sme"})))
    assert rule(held, "G1a").status == Status.PASS


# --- Bad input and manual review ----------------------------------------------------------------


def test_missing_figures_give_cannot_tell_naming_them():
    f = facts(years={2024: year(2024, employees=None, tech_staff=None)})
    a = e.assess("tech_sme", f)
    assert a.outcome == Outcome.CANNOT_TELL
    assert "2024年从业人员" in a.missing


def test_missing_names_through_a_memo_equal_the_plain_ones_in_each_language():
    """The refresh renders missing names through its memo (`missing_as`): same names, same
    order, translated in the active language."""
    from django.utils import translation

    from enterprises.prescreening import _Texts

    f = facts(years={2024: year(2024, employees=None, tech_staff=None)})
    a = e.assess("tech_sme", f)
    for language in ("zh-hans", "en"):
        with translation.override(language):
            memo = _Texts()
            assert a.missing_as(memo) == a.missing
            assert a.missing_as(memo) == a.missing  # the memo's second answer too
    with translation.override("en"):
        assert not any("从业人员" in name for name in a.missing)


def test_no_figures_at_all_is_cannot_tell_never_a_pass_or_fail():
    for family in ("tech_sme", "hitech", "innovative_sme", "specialised_sme"):
        a = e.assess(family, facts(years={}))
        assert a.outcome == Outcome.CANNOT_TELL, family
        assert a.missing


def test_strategic_register_is_left_to_a_person():
    a = e.assess("strategic_emerging", facts(strategic_industry="新一代信息技术产业"))
    assert a.outcome == Outcome.NEEDS_REVIEW
    assert all(r.status != Status.PASS for r in a.rules)


def test_manual_review_items_are_never_a_pass():
    for version_day in (BEFORE_2026, FROM_2026):
        for family in e.rule_set_for(version_day).evaluators:
            a = e.assess(family, facts(version_day))
            for r in a.manual:
                assert r.status == Status.MANUAL


def test_ranking_puts_eligible_and_higher_scores_first():
    good = e.assess("tech_sme", _tech_sme_case(30, "6", 1, 0))
    weaker = e.assess("tech_sme", _tech_sme_case(10, "5", 0, 3))
    failing = e.assess("tech_sme", _tech_sme_case(9, "1", 0, 0))
    unknown = e.assess("tech_sme", facts(years={}))
    ranked = sorted([failing, unknown, weaker, good], key=lambda a: a.sort_key)
    assert ranked == [good, weaker, unknown, failing]


# --- The 2026 entry tier (科技和创新型): both scorings, either suffices --------------------------


def _entry_tier_cases():
    good = facts(FROM_2026)
    return {
        "科小 passes": good,
        "科小 fails on tech staff": with_prior(good, tech_staff=5),
        "科小 fails, small R&D": with_prior(good, tech_staff=5, rd_expense=D(0), class1_ip=0),
        "figures missing": facts(FROM_2026, years={}),
        "only prior year": facts(FROM_2026, years={2025: year(2025)}),
    }


@pytest.mark.parametrize("case", list(_entry_tier_cases()))
def test_entry_tier_shows_both_scorings_and_passes_if_either_does(case):
    f = _entry_tier_cases()[case]
    a = e.assess("tech_innovative_sme", f)
    tech_rules, _t = e.tech_sme(f)
    innov_rules, _i = e.innovative_sme(f)
    tech_outcome, innov_outcome = e.decide(tech_rules), e.decide(innov_rules)
    shown = [(r.code, str(r.label), r.status, str(r.value), r.missing) for r in a.rules]
    expected_parts = [
        (r.code, f"科小·{r.label}", r.status, str(r.value), r.missing) for r in tech_rules
    ] + [(r.code, f"创新型·{r.label}", r.status, str(r.value), r.missing) for r in innov_rules]
    assert shown[: len(expected_parts)] == expected_parts
    ts, is_, ti = a.rules[len(expected_parts) :]
    assert (ts.code, is_.code, ti.code) == ("TS", "IS", "TI")
    assert str(ts.value) == str(tech_outcome.label) and str(is_.value) == str(innov_outcome.label)
    passed = [label for label, o in ((ts.label, tech_outcome), (is_.label, innov_outcome))
              if o == Outcome.ELIGIBLE]  # fmt: skip
    assert (ti.status == Status.PASS) == bool(passed)
    if passed:
        assert a.outcome == Outcome.ELIGIBLE and not a.failed
        assert all(str(label) in str(ti.value) for label in passed)
    expected_missing = []
    for r in [*tech_rules, *innov_rules, ts, is_, ti]:
        for m in r.missing:
            if str(m) not in expected_missing:
                expected_missing.append(str(m))
    assert list(a.missing) == expected_missing
    assert [str(r.label) for r in a.manual] == [
        str(r.label) for r in a.rules if r.status == Status.MANUAL
    ]


def test_entry_tier_cases_cover_every_scoring_outcome():
    outcomes = {
        (e.decide(e.tech_sme(f)[0]), e.decide(e.innovative_sme(f)[0]))
        for f in _entry_tier_cases().values()
    }
    tech = {t for t, _i in outcomes}
    assert {Outcome.ELIGIBLE, Outcome.NOT_ELIGIBLE, Outcome.CANNOT_TELL} <= tech, outcomes
