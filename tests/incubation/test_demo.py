"""The demo zone reproduces the seed's section (一) for 2024, from records."""

import datetime

import pytest

from bureau.demo import seed_periods
from bureau.models import ApplicationStatus, Level
from enterprises.demo import seed as seed_enterprises
from incubation import demo, metrics
from incubation.models import (
    Incubator,
    IncubatorLevelApplication,
    PlatformRecognition,
    RDPlatform,
    Tenancy,
)
from tests.conftest import once_per_module

from .factories import RDPlatformFactory

pytestmark = pytest.mark.django_db

SEED_2024 = {
    "incubation.rd_platforms_new.provincial": 4,  # 新增省级研发中心4个
    "incubation.recognitions_new.big_data_enterprise.provincial": 1,  # 省级大数据企业1个
    "incubation.recognitions_new.digital_workshop.provincial": 1,  # 省级数字化车间1个
    "incubation.recognitions_applying.digital_workshop.municipal": 3,  # 3个市级数字化车间申报中
    "incubation.recognitions_applying.smart_factory.municipal": 1,  # 1个市级智能工厂申报中
    "incubation.incubators.provincial": 1,  # 省级企业孵化器中新联科
    "incubation.incubators_applying": 1,  # 争创国家级孵化器
}


def _seed_zone():
    seed_periods()
    seed_enterprises()
    for _order, step in demo.STEPS:
        step()


# Seeded once for the module (tests/conftest.once_per_module); each test rolls back its own.
demo_zone_once = once_per_module(_seed_zone)


@pytest.fixture
def demo_zone(demo_zone_once, db):
    pass


def values(year: int) -> dict[str, int]:
    return {f.key: f.value for f in metrics.figures(year)}


def test_demo_2024_reproduces_the_seed(demo_zone):
    v = values(2024)
    assert {k: v[k] for k in SEED_2024} == SEED_2024
    # Nothing else new in 2024 among recognitions: only the two the seed names.
    assert v["incubation.recognitions_new"] == 2
    assert v["incubation.recognitions_applying"] == 4


def test_one_more_approved_provincial_centre_changes_four_to_five(demo_zone):
    RDPlatformFactory(
        status=ApplicationStatus.APPROVED,
        level=Level.PROVINCIAL,
        approved_on=datetime.date(2024, 12, 30),
    )
    assert values(2024)["incubation.rd_platforms_new.provincial"] == 5


def test_zhongxin_lianke_is_striving_for_national_level(demo_zone):
    incubator = Incubator.objects.get(name=demo.ZXLK)
    assert incubator.level == Level.PROVINCIAL
    assert incubator.operator
    application = IncubatorLevelApplication.objects.get(incubator=incubator)
    assert application.level == Level.NATIONAL
    assert application.status == ApplicationStatus.PREPARING
    assert [t.to_status for t in application.transitions] == ["candidate", "preparing"]


def test_seeding_twice_changes_nothing(demo_zone):
    counts = [
        m.objects.count()
        for m in (Incubator, Tenancy, RDPlatform, PlatformRecognition, IncubatorLevelApplication)
    ]
    for _order, step in demo.STEPS:
        assert step() == ""
    assert counts == [
        m.objects.count()
        for m in (Incubator, Tenancy, RDPlatform, PlatformRecognition, IncubatorLevelApplication)
    ]
