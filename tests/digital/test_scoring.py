"""The self-assessment rules against hand-worked examples, at every band edge (no database)."""

import copy
from decimal import Decimal

import pytest

from digital import scoring
from digital.editions import EDITIONS_DIR, check_edition, read_edition, spec_from_data

DATA = read_edition(EDITIONS_DIR / "2024.json")
SPEC = spec_from_data(DATA)
MANDATORY = [s.code for s in SPEC.scenarios if s.mandatory]
OPTIONAL = [s.code for s in SPEC.scenarios if not s.mandatory]
D = Decimal


def scenario_levels(mandatory: int, optional: int, level: int) -> dict[str, int]:
    """`mandatory` mandatory and `optional` other scenarios at `level`, the rest at 0."""
    levels = {code: 0 for code in MANDATORY + OPTIONAL}
    for code in MANDATORY[:mandatory] + OPTIONAL[:optional]:
        levels[code] = level
    return levels


def test_2024_edition_adds_up_to_100_points_with_ten_mandatory_scenarios():
    assert check_edition(DATA) == []
    assert [(c, m) for c, _n, m in SPEC.dimensions] == [
        ("basis", D(50)),
        ("management", D(30)),
        ("effect", D(20)),
    ]
    assert len(SPEC.scenarios) == 16 and len(MANDATORY) == 10


def test_edition_whose_points_do_not_add_up_is_refused():
    data = copy.deepcopy(DATA)
    data["dimensions"][0]["indicators"][0]["questions"][1]["options"][4]["points"] = "7"
    problems = check_edition(data)
    assert any("生产设备数字化率" in p for p in problems)


def best_answers() -> dict[str, list[str]]:
    answers = {}
    for q in SPEC.questions:
        if q.multiple:
            answers[q.code] = [o.code for o in q.options if not o.exclusive]
        else:
            answers[q.code] = [max(q.options, key=lambda o: o.points).code]
    return answers


def worst_answers() -> dict[str, list[str]]:
    return {
        q.code: [next(o.code for o in q.options if o.exclusive)]
        if q.multiple
        else [min(q.options, key=lambda o: o.points).code]
        for q in SPEC.questions
    }


def test_all_best_answers_score_100_and_all_worst_0():
    scores, total = scoring.score_answers(SPEC, best_answers())
    assert scores == {"basis": D(50), "management": D(30), "effect": D(20)}
    assert total == D(100)
    scores, total = scoring.score_answers(SPEC, worst_answers())
    assert total == D(0)


# Worked by hand from criteria.md §4.2:
#   基础: network 2×2=4; digitisation (20,40]=3; networking (40,60]=4.5; collection 3×0.7+HR 0.9=3;
#         IT ≥2 links=5; network security 2×1.25=2.5; data security 1×1.25=1.25        → 23.25
#   管理: awareness "plan made"=3; rules 2×1.875=3.75; talent 3×1.5=4.5; spend (10,20]=1.875 → 13.125
#   成效: energy flat 3.5; pass rate up 7; revenue/employee up 3; cost flat 1.5            → 15
#   total 51.375
WORKED = {
    "network": ["network_1", "network_2"],
    "equipment_digital_rate": ["equipment_digital_rate_2"],
    "equipment_network_rate": ["equipment_network_rate_3"],
    "auto_collection": [
        "auto_collection_1",
        "auto_collection_2",
        "auto_collection_3",
        "auto_collection_14",
    ],
    "it_coverage": ["it_coverage_2"],
    "network_security": ["network_security_1", "network_security_2"],
    "data_security": ["data_security_4"],
    "awareness": ["awareness_2"],
    "management_rules": ["management_rules_1", "management_rules_3"],
    "digital_talent": ["digital_talent_1", "digital_talent_2", "digital_talent_5"],
    "digital_spend": ["digital_spend_1"],
    "energy_per_revenue": ["energy_per_revenue_1"],
    "pass_rate": ["pass_rate_2"],
    "revenue_per_employee": ["revenue_per_employee_2"],
    "cost_per_revenue": ["cost_per_revenue_1"],
}


def test_hand_worked_example_scores_51_375():
    scores, total = scoring.score_answers(SPEC, WORKED)
    assert scores == {"basis": D("23.25"), "management": D("13.125"), "effect": D("15")}
    assert total == D("51.375")


def test_hand_worked_example_with_six_scenarios_at_two_is_level_2():
    result = scoring.evaluate(SPEC, WORKED, scenario_levels(3, 3, 2))
    assert result.level.level == 2
    assert result.level.name == "二级"
    assert "未达到三级" in result.level.reasons[0]


@pytest.mark.parametrize(
    ("total", "levels", "expected", "why"),
    [
        ("0", scenario_levels(10, 6, 4), 0, "低于20分"),
        ("19.999", scenario_levels(10, 6, 4), 0, "低于20分"),
        ("20", scenario_levels(3, 3, 1), 1, "未达到二级"),
        ("20", scenario_levels(3, 2, 1), 0, "少于6个"),
        ("20", scenario_levels(2, 4, 1), 0, "少于3个"),
        ("39.999", scenario_levels(10, 6, 4), 1, "低于40分"),
        ("40", scenario_levels(3, 3, 2), 2, "未达到三级"),
        ("40", scenario_levels(3, 3, 1), 1, "少于6个"),
        ("40", {**scenario_levels(2, 4, 2), MANDATORY[2]: 1}, 1, "少于3个"),
        ("59.999", scenario_levels(10, 6, 4), 2, "低于60分"),
        ("60", scenario_levels(5, 3, 3), 3, "未达到四级"),
        ("60", scenario_levels(5, 2, 3), 2, "少于8个"),
        ("60", scenario_levels(4, 4, 3), 2, "少于5个"),
        ("79.999", scenario_levels(10, 6, 4), 3, "低于80分"),
        ("80", scenario_levels(6, 4, 4), 4, "最高等级"),
        ("80", scenario_levels(6, 3, 4), 3, "少于10个"),
        ("80", scenario_levels(5, 5, 4), 3, "少于6个"),
        ("100", scenario_levels(10, 6, 4), 4, "最高等级"),
    ],
)
def test_level_at_every_band_edge(total, levels, expected, why):
    result = scoring.assess_level("2024", D(total), levels, frozenset(MANDATORY))
    assert result.level == expected
    assert why in result.reasons[0]


def test_answer_outside_the_questions_options_is_refused():
    problems = scoring.answer_problems(SPEC, {"it_coverage": ["network_1"]})
    assert problems[0].code == "it_coverage"
    assert "不是该题的选项" in problems[0].message


@pytest.mark.parametrize(
    ("answers", "fragment"),
    [
        ({"it_coverage": ["it_coverage_1", "it_coverage_2"]}, "单选题"),
        ({"network": ["network_1", "network_none"]}, "以上均无"),
        ({"network": ["network_1", "network_1"]}, "重复"),
        ({"no_such_question": ["x"]}, "不属于本版问卷"),
    ],
)
def test_malformed_answers_are_refused(answers, fragment):
    problems = scoring.answer_problems(SPEC, answers)
    assert problems and fragment in problems[0].message


def test_scenario_level_outside_0_to_4_is_refused():
    problems = scoring.scenario_problems(SPEC, {"quality": 5, "nowhere": 1})
    assert {p.code for p in problems} == {"quality", "nowhere"}


def test_unanswered_lists_required_questions_and_scenarios_left():
    answers = dict(WORKED)
    del answers["pass_rate"]
    levels = scenario_levels(10, 6, 1)
    del levels["hr"]
    questions, scenarios = scoring.unanswered(SPEC, answers, levels)
    assert [q.code for q in questions] == ["pass_rate"]
    assert [s.code for s in scenarios] == ["hr"]


@pytest.mark.parametrize(
    ("scores", "ok"),
    [
        ({"basis": D(50), "management": D(30), "effect": D(20)}, True),
        ({"basis": D(0), "management": D(0), "effect": D(0)}, True),
        ({"basis": D("50.001"), "management": D(30), "effect": D(20)}, False),
        ({"basis": D(-1), "management": D(0), "effect": D(0)}, False),
        ({"basis": D(10), "management": D(10)}, False),
    ],
)
def test_entered_scores_must_lie_within_each_dimension_and_the_version_range(scores, ok):
    assert (scoring.score_problems(SPEC, scores) == []) is ok


def test_operations_axis_is_the_share_of_the_highest_scenario_levels():
    assert scoring.operations_score(SPEC, scenario_levels(10, 6, 4)) == D(100)
    assert scoring.operations_score(SPEC, scenario_levels(10, 6, 2)) == D(50)
    assert scoring.operations_score(SPEC, {}) == D(0)
