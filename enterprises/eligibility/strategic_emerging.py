"""战略性新兴产业 (strategic emerging industries): membership only a person can judge."""

from __future__ import annotations

from .facts import Facts
from .results import RuleResult
from .rules import _manual
from .text import _


def strategic_emerging(facts: Facts) -> tuple[list[RuleResult], tuple | None]:
    return [
        _manual(
            "SE",
            _("主营业务属于《战略性新兴产业分类（2018）》"),
            note=_("企业库登记的类别仅供参考，入库以主管部门审核为准"),
            value=facts.strategic_industry or _("未登记"),
        )
    ], None
