"""The opening paragraph: the bureau's year in one sentence, with its headline figures."""

from __future__ import annotations

from ..summary import Segment
from .base import Draft, Facts, count, join, money, rotate

# Headline figures, in order of preference; the first three published above zero are named.
HEADLINES = (
    ("enterprises.hitech_new", "新培育高新技术企业", "家"),
    ("enterprises.tech_sme_registered", "科技型中小企业入库", "家"),
    ("digital.assessed_enterprises", "完成企业数字化测评", "家"),
    ("finance.signed_on_site", "银企对接现场签约", "元"),
    ("incubation.rd_platforms_new.provincial", "新增省级研发中心", "个"),
    ("talent.enterprises_cooperating", "推动企业开展产学研合作", "家"),
)
SHOWN = 3


def opening(facts: Facts) -> list[Draft]:
    figures = [
        [Segment(words)] + (money(facts, key) if unit == "元" else count(facts, key, unit))
        for key, words, unit in HEADLINES
        if facts.positive(key)
    ][:SHOWN]
    body = [
        Segment(
            "在开发区领导的高度重视和分管领导的积极引领下，科技金融局紧密围绕科技与金融这两大核心领域，"
            "针对开发区企业的实际发展状况，探索并实施了一系列创新举措"
        )
    ]
    if figures:
        body += [Segment("，全年")] + join(figures, "，")
    body.append(Segment("。"))
    return [
        Draft(
            "intro.opening",
            "intro.opening",
            body,
            openings=rotate("intro", ("今年，", f"{facts.year}年，")),
        )
    ]


RULES = [opening]
