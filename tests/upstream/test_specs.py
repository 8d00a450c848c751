"""The form-spec loader: the shipped specs match the transcribed forms; bad specs are refused."""

import copy
import datetime
import json
from decimal import Decimal

import pytest

from upstream import expressions, specs
from upstream.apps import check_specs
from upstream.facts import FACTS, TEXT, UNITS

from .fixtures import GQ001, GQ001_SECTION_1C_CODES, GQ002, GQ003, GQ005, HITECH_ANNUAL, KEXIAO


def test_shipped_specs_load_and_pass_the_system_check():
    registry = specs.load_all()
    assert {
        "torch-gq001-2022",
        "torch-gq002-2022",
        "torch-gq003-2022",
        "torch-gq005-2022",
        "kexiao-info-2022",
        "hitech-annual-2016",
    } <= set(registry)
    assert check_specs() == []


@pytest.mark.parametrize(
    ("code", "fixture"),
    [
        ("torch-gq001-2022", GQ001),
        ("torch-gq002-2022", GQ002),
        ("torch-gq003-2022", GQ003),
        ("torch-gq005-2022", GQ005),
    ],
)
def test_torch_row_order_codes_and_labels_follow_the_source(code, fixture):
    spec = specs.get(code)
    assert [(r.code, r.label) for r in spec.rows] == fixture
    assert spec.approval == "国统制〔2022〕11号"


def test_gq001_holds_every_code_of_the_source_in_its_order():
    codes = [r.code for r in specs.get("torch-gq001-2022").rows]
    assert [c for c in codes if c in GQ001_SECTION_1C_CODES] == GQ001_SECTION_1C_CODES
    assert set(codes) - set(GQ001_SECTION_1C_CODES) == {"qb14_1", "qb14_2"}  # the replica's


def test_gq001_fills_only_what_the_register_stores():
    spec = specs.get("torch-gq001-2022")
    assert spec.tables[0].title == "GQ-001 企业概况"
    assert spec.balance_rules == ()  # the source states none for this table
    sourced = {r.code: (r.kind, r.unit, r.facts) for r in spec.rows if r.facts}
    assert sourced == {
        "qb03_0": ("text", "", ("main_products",)),
        "qb03_1": ("text", "", ("industry_division",)),
        "qb04": ("text", "", ("established_on",)),
        "qb04_0": ("number", "万元", ("registered_capital",)),
    }
    numbers = {r.code for r in spec.rows if r.kind == "number"}
    assert numbers == {"qb04_0", "qb15_5"}  # the two rows the source gives in 万元
    assert all(r.unit == "" for r in spec.rows if r.kind == "text")
    # Conditional rows (foreign-invested, group members, 高企, incubated, listed) are optional.
    optional = {r.code for r in spec.rows if not r.required}
    assert {"qb06_1", "qb06_2", "qb10", "qb13", "qb12", "qb15_1", "qb15_5"} <= optional
    assert {"qb03_0", "qb03_1", "qb04", "qb04_0", "qb101", "qb06"}.isdisjoint(optional)


def test_kexiao_sections_and_labels_follow_the_source():
    spec = specs.get("kexiao-info-2022")
    assert {t.title: [r.label for r in t.rows] for t in spec.tables} == KEXIAO
    assert spec.unit == "万元"
    assert all(r.code == "" for r in spec.rows)  # the source gives no platform codes


def test_hitech_annual_sections_and_labels_follow_the_source():
    spec = specs.get("hitech-annual-2016")
    assert {t.title: [r.label for r in t.rows] for t in spec.tables} == HITECH_ANNUAL
    assert spec.unit == "万元"


def test_units_are_the_forms_units():
    assert {r.unit for r in specs.get("torch-gq002-2022").rows} == {"千元", "吨标准煤"}
    assert {r.unit for r in specs.get("torch-gq003-2022").rows} == {"人"}
    assert {r.unit for r in specs.get("torch-gq005-2022").rows} == {
        "人",
        "千元",
        "件",
        "个",
        "篇",
        "项",
    }
    assert {r.unit for r in specs.get("torch-gq001-2022").rows} == {"", "万元"}
    assert {r.unit for r in specs.get("kexiao-info-2022").rows} == {"万元", "件"}


def _base():
    return json.loads((specs.SPEC_DIR / "kexiao_info_2022.json").read_text(encoding="utf-8"))


def _with_formula(formula):
    data = _base()
    data["tables"][0]["rows"][0]["formula"] = formula
    return data


def test_unknown_fact_is_refused():
    with pytest.raises(specs.SpecError, match="unknown facts.*turnover"):
        specs.parse_spec(_with_formula("turnover / 2"))


def test_duplicate_platform_code_is_refused():
    data = json.loads((specs.SPEC_DIR / "torch_gq003_2022.json").read_text(encoding="utf-8"))
    data["tables"][0]["rows"][1]["code"] = "qd01"
    with pytest.raises(specs.SpecError, match="duplicate"):
        specs.parse_spec(data)


def test_duplicate_key_is_refused():
    data = _base()
    data["tables"][1]["rows"][0]["key"] = "kx_total_assets"
    with pytest.raises(specs.SpecError, match="duplicate row key"):
        specs.parse_spec(data)


@pytest.mark.parametrize(
    "formula",
    [
        "__import__('os')",
        "__import__('os').system('true')",
        "revenue.real",
        "revenue[0]",
        "(lambda: 1)()",
        "revenue if revenue else 0",
        "max(revenue, 1)",
        "sum(*revenue)",
        "revenue ** 2",
        "revenue > 1",
        "'text'",
        "True",
        "[revenue]",
    ],
)
def test_disallowed_nodes_are_refused(formula):
    with pytest.raises(specs.SpecError):
        specs.parse_spec(_with_formula(formula))


def test_unknown_unit_and_mismatched_dimension_are_refused():
    data = _base()
    data["tables"][0]["rows"][0]["unit"] = "亿元"
    with pytest.raises(specs.SpecError, match="unknown unit"):
        specs.parse_spec(data)
    with pytest.raises(specs.SpecError, match="does not fit"):
        specs.parse_spec(_with_formula("rd_staff"))  # 人 in a 万元 row


def test_balance_rule_must_name_rows_and_be_one_comparison():
    data = _base()
    data["balance_rules"] = ["kx_sales_revenue >= kx_nowhere"]
    with pytest.raises(specs.SpecError, match="unknown rows"):
        specs.parse_spec(data)
    data["balance_rules"] = ["kx_sales_revenue + kx_main_revenue"]
    with pytest.raises(specs.SpecError, match="one comparison"):
        specs.parse_spec(data)


def test_system_check_reports_an_invalid_spec_file(tmp_path, monkeypatch):
    good = _base()
    bad = copy.deepcopy(good)
    bad["code"] = "broken"
    bad["tables"][0]["rows"][0]["formula"] = "__import__('os')"
    (tmp_path / "good.json").write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "bad.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "twice.json").write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(specs, "SPEC_DIR", tmp_path)
    errors = check_specs()
    assert [e.id for e in errors] == ["upstream.E001", "upstream.E001"]
    assert "bad.json" in errors[0].msg and "Call" in errors[0].msg
    assert "used by" in errors[1].msg


def test_adding_a_form_is_adding_a_file(tmp_path):
    data = _base()
    data["code"] = "kexiao-info-2026"
    (tmp_path / "new.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert list(specs.load_all(tmp_path)) == ["kexiao-info-2026"]


def test_expressions_evaluate_by_walking_the_tree():
    tree = expressions.parse("sum(a, b) * 2 - c / 4 + -1")
    assert expressions.evaluate(tree, {"a": Decimal(1), "b": Decimal(2), "c": Decimal(8)}) == 3
    assert expressions.evaluate(tree, {"a": Decimal(1), "b": None, "c": Decimal(8)}) is None
    assert expressions.evaluate(expressions.parse("a / b"), {"a": 1, "b": 0}) is None
    rule = expressions.parse_rule("a >= b + c")
    assert expressions.holds(rule, {"a": 5, "b": 2, "c": 3}) is True
    assert expressions.holds(rule, {"a": 4, "b": 2, "c": 3}) is False
    assert expressions.holds(rule, {"a": 4, "b": None, "c": 3}) is None


def test_every_stored_fact_names_a_real_field():
    from enterprises.models import AnnualFigures, Enterprise, QuarterlyFigures

    model = {"annual": AnnualFigures, "q4": QuarterlyFigures, "enterprise": Enterprise}
    for fact in FACTS.values():
        assert fact.dimension in {d for d, _ in UNITS.values()} | {TEXT}
        if fact.stored:
            table, name = fact.source.split(".")
            model[table]._meta.get_field(name)  # raises FieldDoesNotExist


def _text_row(**extra):
    """The 科小 spec with a text row added to its 财务 table."""
    data = _base()
    data["tables"][0]["rows"].append(
        {"key": "kx_founded", "label": "成立日期", "kind": "text", **extra}
    )
    return data


def _founded(**extra):
    return specs.parse_spec(_text_row(**extra)).tables[0].rows[-1]


def test_a_text_row_takes_one_text_fact_as_stored():
    row = _founded(fact="established_on")
    assert (row.kind, row.unit, row.facts, row.formula) == ("text", "", ("established_on",), None)
    founded = datetime.date(2015, 6, 1)
    assert row.value({"established_on": founded}) == founded
    assert row.value({"established_on": None}) is None
    assert row.value({}) is None
    unfilled = _founded()  # no fact: the portal stores none
    assert unfilled.facts == () and unfilled.value({"established_on": founded}) is None


def test_an_empty_text_value_is_missing():
    row = _founded(fact="main_products")
    assert row.value({"main_products": ""}) is None
    assert row.value({"main_products": "光伏组件"}) == "光伏组件"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"formula": "revenue"}, "a text row has no"),
        ({"unit": "万元"}, "a text row has no"),
        ({"rounding": 0}, "a text row has no"),
        ({"fact": "founding_day"}, "unknown fact"),
        ({"fact": "registered_capital"}, "is a quantity"),
        ({"kind": "date"}, "kind is one of"),
    ],
)
def test_a_bad_text_row_is_refused(extra, message):
    with pytest.raises(specs.SpecError, match=message):
        specs.parse_spec(_text_row(**extra))


def test_text_facts_stay_out_of_numbers():
    with pytest.raises(specs.SpecError, match="does not fit.*text"):
        specs.parse_spec(_with_formula("industry_division"))
    data = _base()
    data["tables"][0]["rows"][0]["fact"] = "total_assets"
    with pytest.raises(specs.SpecError, match="takes a formula, not a fact"):
        specs.parse_spec(data)
    data = _text_row(fact="established_on")
    data["balance_rules"] = ["kx_founded >= kx_total_assets"]
    with pytest.raises(specs.SpecError, match="names text rows"):
        specs.parse_spec(data)
