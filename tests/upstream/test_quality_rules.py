"""The quality rules as data: the shipped rule file loads, and a bad one is refused by the
system check (upstream.E002), with the problem named."""

import copy
import json
from decimal import Decimal

import pytest
from django.utils import translation

from upstream import apps, quality

SHIPPED = quality.RULE_DIR / "quality_2024.json"


def _data() -> dict:
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


def _write(tmp_path, data, name="quality_2024.json"):
    (tmp_path / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def _with_rule(**changes) -> dict:
    data = _data()
    rule = copy.deepcopy(next(r for r in data["rules"] if r["code"] == "A-RATIO-RD-REVENUE"))
    rule.update({"code": "X-TEST", **changes})
    data["rules"].append(rule)
    return data


def test_the_shipped_rules_load_and_the_check_passes():
    assert quality.problems() == []
    assert apps.check_rules() == []
    ruleset = quality.ruleset_for(2024)
    assert ruleset.version == "quality-2024.1"
    kinds = {r.kind for r in ruleset.rules}
    assert kinds == {"yoy", "range", "balance", "required", "spec_balance"}
    assert {r.scope for r in ruleset.rules} == {"annual", "quarterly"}
    # Earlier filings use the oldest set rather than none.
    assert quality.ruleset_for(2019) is quality.registry()[0]


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"formula": "rd_expense / turnover"}, "unknown facts ['turnover']"),
        ({"formula": "__import__('os').system('id')"}, "not allowed in a formula"),
        ({"formula": "revenue_ytd / revenue"}, "unknown facts ['revenue_ytd'] for scope annual"),
        ({"kind": "magic"}, "unknown kind 'magic'"),
        ({"message": "比例为%(ratio)s"}, "message placeholder 'ratio'"),
        ({"basis": ""}, "basis (where the threshold comes from) is required"),
        ({"max": "1"}, "max is a number"),
        ({"field": "turnover"}, "field 'turnover' is not a field of the annual form"),
        ({"when": "revenue"}, "when: a balance rule is one comparison"),
        ({"code": "A-RATIO-RD-REVENUE"}, "duplicate rule code 'A-RATIO-RD-REVENUE'"),
    ],
)
def test_a_bad_rule_file_is_refused_by_the_system_check(tmp_path, monkeypatch, changes, problem):
    monkeypatch.setattr(quality, "RULE_DIR", _write(tmp_path, _with_rule(**changes)))
    errors = apps.check_rules()
    assert len(errors) == 1
    assert errors[0].id == "upstream.E002"
    assert problem in errors[0].msg
    assert "quality_2024.json" in errors[0].msg


def test_every_invalid_file_is_reported_and_not_json_is_named(tmp_path):
    _write(tmp_path, _with_rule(formula="nope("), "a.json")
    (tmp_path / "b.json").write_text("{not json", encoding="utf-8")
    found = quality.problems(tmp_path)
    assert len(found) == 2
    assert found[0].startswith("a.json") and "syntax error" in found[0]
    assert found[1].startswith("b.json: not valid JSON")


def test_two_files_for_the_same_year_are_refused(tmp_path):
    _write(tmp_path, _data(), "a.json")
    other = _data()
    other["version"] = "quality-2024.2"
    _write(tmp_path, other, "b.json")
    assert quality.problems(tmp_path) == ["b.json: applies_from_year 2024 is also used by a.json"]


def test_a_spec_balance_rule_names_a_known_form(tmp_path):
    data = _data()
    data["rules"].append(
        {
            "code": "X-SPEC",
            "scope": "annual",
            "kind": "spec_balance",
            "spec": "torch-gq999",
            "message": "%(form)s %(rule)s",
            "basis": "测试",
        }
    )
    assert "unknown form spec 'torch-gq999'" in quality.problems(_write(tmp_path, data))[0]


def _annual(**values):
    base = {name: None for name in quality.known_names("annual")}
    base.update({k: Decimal(v) for k, v in values.items()})
    return base


def test_yoy_swing_fails_beyond_the_threshold_and_not_below_the_base():
    ruleset = quality.ruleset_for(2024)

    def codes(**values):
        return [f.code for f in quality.evaluate(ruleset, "annual", _annual(**values))]

    # +300%: four times last year's revenue (the example) fails; +150% does not.
    assert "A-YOY-REVENUE" in codes(revenue=40_000_000, last_year_revenue=10_000_000)
    assert "A-YOY-REVENUE" not in codes(revenue=25_000_000, last_year_revenue=10_000_000)
    # A fall of more than half fails too.
    assert "A-YOY-REVENUE" in codes(revenue=4_000_000, last_year_revenue=10_000_000)
    # Below 100万元 last year the swing is not checked.
    assert "A-YOY-REVENUE" not in codes(revenue=9_000_000, last_year_revenue=900_000)


def test_ratio_and_balance_rules_and_the_forms_own_balance():
    ruleset = quality.ruleset_for(2024)
    failures = quality.evaluate(
        ruleset,
        "annual",
        _annual(
            revenue=10_000_000,
            revenue_main=12_000_000,
            rd_expense=11_000_000,
            revenue_hitech_product=10_500_000,
            employees_reported=5,
            rd_staff=6,
        ),
    )
    by_code = {f.code: f for f in failures}
    assert set(by_code) == {
        "A-RATIO-RD-REVENUE",
        "A-RATIO-HITECH-REVENUE",
        "A-BAL-RD-STAFF",
        "A-SPEC-GQ002-1",
    }
    assert by_code["A-RATIO-RD-REVENUE"].message_zh().startswith("研发费用占营业收入的比例为110.0%")
    assert by_code["A-RATIO-RD-REVENUE"].field == "rd_expense"
    gq = by_code["A-SPEC-GQ002-1"].message_zh()
    assert "qc05_0 >= qc55" in gq and "qc55 主营业务收入 12000千元" in gq
    # Revenue per head: a 元 figure typed into the 万元 box (×10,000) fails; zero revenue is
    # not checked (the rule's `when`).
    per_head = quality.evaluate(
        ruleset, "annual", _annual(revenue=500_000_000_000, employees_reported=40)
    )
    assert [f.code for f in per_head] == ["A-RATIO-REVENUE-PER-HEAD"]
    assert not quality.evaluate(ruleset, "annual", _annual(revenue=0, employees_reported=40))


def test_a_missing_fact_the_forms_need_fails():
    failures = quality.evaluate(quality.ruleset_for(2024), "annual", _annual())
    assert [f.code for f in failures] == ["A-REQ-REVENUE"]


def test_every_rule_message_has_its_english_translation():
    for ruleset in quality.registry():
        for rule in ruleset.rules:
            with translation.override("en"):
                english = translation.gettext(rule.message)
            assert english != rule.message, rule.code
            params = {name: "1" for name in quality.PLACEHOLDERS[rule.kind]}
            assert english % params  # the same placeholders
