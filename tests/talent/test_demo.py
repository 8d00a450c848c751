"""The demo year 2024 reproduces the seed's section (三) figures, from records, idempotently."""

import pytest

from bureau import demo as bureau_demo
from enterprises import demo as enterprises_demo
from talent import demo
from talent.metrics import figures
from talent.models import Talent

pytestmark = pytest.mark.django_db


def _seed() -> None:
    bureau_demo.seed_periods()
    enterprises_demo.seed()
    bureau_demo.seed_activities()
    for _order, step in sorted(demo.STEPS, key=lambda s: s[0]):
        step()


def test_demo_2024_reproduces_the_seed_and_a_second_run_changes_nothing():
    _seed()
    values = {f.key: f.value for f in figures(2024)}
    assert values["talent.executives"] == 195
    assert values["talent.deputy_senior_and_above"] == 24
    assert values["talent.master_and_above"] == 33
    assert values["talent.enterprises_cooperating"] == 18
    assert values["talent.enterprises_with_demands"] == 13
    planned = next(f for f in figures(2024) if f.key == "talent.planned_exchanges")
    names = sorted(i.name for a in planned.records for i in a.institutions.all())
    assert names == ["中国电子科技集团第五十五研究所", "南京理工大学"]
    count = Talent.objects.count()
    assert all(step() == "" for _o, step in demo.STEPS)
    assert Talent.objects.count() == count
