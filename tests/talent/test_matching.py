"""The demand-to-institution ranking, on hand-made edge cases and on the shipped labelled set."""

import pytest

from talent.matching import (
    FIELD_WEIGHT,
    DemandProfile,
    InstitutionProfile,
    evaluate,
    rank_institutions,
    split_fields,
    tokens,
)
from tests.talent.labelled_matching import CASES, INSTITUTIONS

CHIP = InstitutionProfile(1, "芯片所", ("集成电路",), "氮化镓功率器件、射频封装测试")
FOOD = InstitutionProfile(2, "食品学院", ("食品加工",), "茶饮料保鲜、发酵工程")


def test_tokens_keep_domain_words_and_drop_stop_words():
    words = tokens("需要开展氮化镓功率器件的失效分析技术")
    assert "氮化镓" in words
    assert "失效分析" in words
    assert "技术" not in words and "需要" not in words


def test_tokens_lowercase_ascii_words():
    assert "gan" in tokens("GaN器件") and "oled" in tokens("硅基OLED")


@pytest.mark.parametrize(
    ("text", "fields"),
    [("集成电路、光电显示", ("集成电路", "光电显示")), ("a, b；c", ("a", "b", "c")), ("", ())],
)
def test_split_fields(text, fields):
    assert split_fields(text) == fields


def test_field_fit_alone_gives_the_field_weight_and_says_so():
    demand = DemandProfile("完全无关的文字", "", "集成电路")
    [result] = rank_institutions(demand, [CHIP, FOOD])
    assert result.institution_name == "芯片所"
    assert result.score == FIELD_WEIGHT
    assert result.reasons[0] == "研究领域包含「集成电路」，与需求领域一致"
    assert result.reasons[1] == "技术能力描述与需求没有共同关键词"


def test_institution_without_any_fit_is_left_out():
    assert rank_institutions(DemandProfile("茶饮料保鲜", "", "食品加工"), [CHIP]) == []


def test_shared_words_are_named_in_the_reasons():
    [first, *_] = rank_institutions(DemandProfile("茶饮料保鲜工艺", "", ""), [CHIP, FOOD])
    assert first.institution_name == "食品学院" and not first.field_fit
    assert "茶饮料" in first.shared_terms
    assert "茶饮料" in first.reasons[-1]


def test_ties_are_broken_by_name_and_limit_applies():
    twins = [
        InstitutionProfile(1, "乙大学", ("集成电路",), ""),
        InstitutionProfile(2, "甲大学", ("集成电路",), ""),
    ]
    ranked = rank_institutions(DemandProfile("x", "", "集成电路"), twins, limit=1)
    assert [r.institution_name for r in ranked] == [min("乙大学", "甲大学")]


def test_no_institutions_gives_no_ranking():
    assert rank_institutions(DemandProfile("芯片", "", "集成电路"), []) == []


# The one shipped example the ranking gets wrong: the labelled institution (安徽工程大学) lists
# no 节能环保 field, so the field bonus puts 安徽理工大学 first. Kept, not tuned away.
KNOWN_MISSES = {"印染废水深度处理与回用"}


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            c,
            id=c.demand.title,
            marks=[pytest.mark.xfail(strict=True, reason="known miss")]
            if c.demand.title in KNOWN_MISSES
            else [],
        )
        for c in CASES
    ],
)
def test_labelled_institution_is_ranked_first(case):
    ranked = rank_institutions(case.demand, INSTITUTIONS, limit=1)
    assert ranked and ranked[0].institution_name == case.expected


def test_precision_on_the_labelled_set_is_the_documented_figure():
    result = evaluate(CASES, INSTITUTIONS)
    assert result.cases == 24
    assert result.hits_at_1 == 23  # docs/talent.md: precision@1 = 23/24 = 0.958
    assert result.hits_at_3 == 23
    assert [m[0] for m in result.misses] == sorted(KNOWN_MISSES)
