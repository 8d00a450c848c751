"""The summary's sentences as plain Python: placeholders, missing figures, number formats."""

from decimal import Decimal

import pytest

from reports import summary as spec
from reports.summary import FigureValue


def fv(key, value, unit="家"):
    return FigureValue(key, key, unit, value)


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (0, None, "0"),
        (12, None, "12"),
        (Decimal("12.50"), None, "12.5"),
        (Decimal("0.004"), None, "0"),
        (Decimal("0.005"), None, "0.01"),
        (18_000_000, "wan", "1800"),
        (18_005_000, "wan", "1800.5"),
        (9_999, "wan", "1"),
        (49, "wan", "0"),
        (50, "wan", "0.01"),
        (200_000_000, "yi", "2"),
        (250_000_000, "yi", "2.5"),
        (99_500_000, "yi", "1"),
    ],
)
def test_format_number_table(value, fmt, expected):
    assert spec.format_number(value, fmt) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (99_999_999, "元", "10000万元"),
        (100_000_000, "元", "1亿元"),
        (18_000_000, "元", "1800万元"),
        (30, "家", "30家"),
    ],
)
def test_format_amount_switches_to_yi_at_one_hundred_million(value, unit, expected):
    assert spec.format_amount(value, unit) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "一"), (5, "五"), (10, "十"), (11, "十一"), (19, "十九"), (20, "二十"), (23, "二十三")],
)
def test_chinese_number(n, expected):
    assert spec.chinese_number(n) == expected


def test_headings_are_numbered_by_level():
    assert spec.numbered_heading(1, 2, "工作的特色与亮点") == "二、工作的特色与亮点"
    assert spec.numbered_heading(2, 3, "打造数字化转型示范") == "（三）打造数字化转型示范"
    assert spec.numbered_heading(0, 1, "开头") == "开头"


def test_every_sentence_section_exists_in_the_structure():
    codes = {s.code for s in spec.STRUCTURE}
    assert {s.section for s in spec.SENTENCES} <= codes


def test_structure_follows_the_seed():
    level1 = [s.title for s in spec.STRUCTURE if s.level == 1]
    assert level1 == [
        "工作开展情况",
        "工作的特色与亮点",
        "工作存在的问题与建议",
        "{next_year}年度工作安排",
    ]
    work = [s for s in spec.STRUCTURE if s.parent == "work"]
    assert len(work) == 5


def test_figure_keys_cover_the_design_table():
    keys = set(spec.figure_keys())
    for key in [
        "incubation.rd_platforms_new.provincial",
        "digital.assessed_enterprises",
        "talent.executives",
        "finance.signed_on_site",
        "enterprises.hitech_new",
        "enterprises.tech_sme_registered",
        "bureau.activities.policy_seminar",
        "bureau.activities.door_to_door",
        "target:enterprises.innovative_sme_applications",
    ]:
        assert key in keys


def test_snapshot_round_trip_keeps_ints_decimals_and_missing():
    for value in (23, Decimal("18000000.00"), None):
        v = FigureValue("k", "标签", "元", value)
        back = FigureValue.from_json("k", v.to_json())
        assert back == v


def test_docs_list_every_figure_key_the_summary_needs():
    from django.conf import settings

    docs = (settings.BASE_DIR / "docs" / "reports.md").read_text()
    for key in spec.figure_keys():
        assert f"`{key}`" in docs, key


def test_every_figure_key_has_its_own_name():
    names = [spec.key_label(k) for k in spec.figure_keys()]
    assert len(names) == len(set(names))
