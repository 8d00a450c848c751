"""Pre-screening tables name levels, sizes and titles in words, never by their codes
(`municipal`, `micro`, `hitech`), in both languages."""

import datetime
import re

import pytest
from django.utils import translation

from enterprises import eligibility as e
from tests.enterprises.test_eligibility import facts

CODES = {"national", "provincial", "municipal", "county", "none", "large", "medium", "small"}
CODES |= {"micro", "hitech"}
# A code inside a text: lower-case words joined by underscores (`innovative_sme`), or a level
# code beside Chinese text (`2025 municipal #4`).
CODE_IN_TEXT = re.compile(r"\b[a-z]+_[a-z_]+\b|\d (national|provincial|municipal|county) #")
DAYS = [datetime.date(2025, 6, 1), datetime.date(2026, 6, 1)]


def _texts(day: datetime.date, **kw) -> list[str]:
    f = facts(day=day, **kw)
    out = []
    for family in ("tech_sme", "hitech", "innovative_sme", "specialised_sme", "little_giant"):
        assessment = e.assess(family, f)
        for rule in assessment.rules:
            out += [str(rule.value), str(rule.threshold)]
    return out


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "kw",
    [
        {"size_class": "micro", "rd_institution_level": "municipal", "award_level": "none"},
        {
            "size_class": "large",
            "rd_institution_level": "provincial",
            "award_level": "provincial",
            "award_year": 2024,
            "award_rank": 2,
            "titles": frozenset({"hitech", "specialised_sme", "innovative_sme"}),
        },
        {
            "size_class": "medium",
            "rd_institution_level": "county",
            "award_level": "national",
            "award_year": 2023,
            "award_rank": 1,
        },
    ],
)
def test_rule_values_and_thresholds_never_show_codes(day, language, kw):
    with translation.override(language):
        texts = _texts(day, **kw)
        leaked = [t for t in texts if t.strip() in CODES or CODE_IN_TEXT.search(t)]
    assert not leaked


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({"size_class": "micro"}, "微型"),
        ({"rd_institution_level": "municipal"}, "市级"),
        ({"titles": frozenset({"hitech"})}, "高新技术企业"),
        (
            {"award_level": "provincial", "award_year": 2024, "award_rank": 2},
            "2024年省级，排名第2",
        ),
    ],
)
def test_rule_values_use_the_chinese_labels(kw, expected):
    with translation.override("zh-hans"):
        assert expected in _texts(DAYS[0], **kw)


def test_rule_values_in_english():
    with translation.override("en"):
        texts = _texts(DAYS[0], size_class="micro", rd_institution_level="municipal")
    assert "Micro" in texts
    assert "Municipal" in texts
