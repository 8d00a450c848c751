"""The enterprise profile shows what every app holds about the enterprise, and nothing of others."""

import datetime
from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db


def test_profile_shows_each_apps_records_of_this_enterprise_only(
    leader_client, enterprise, other_enterprise
):
    from tests.digital.factories import AssessmentFactory
    from tests.finance.factories import NeedFactory
    from tests.talent.factories import TalentFactory

    AssessmentFactory(
        enterprise=enterprise, assessed_on=datetime.date(2024, 5, 10), total_score=Decimal("61.5")
    )
    AssessmentFactory(enterprise=other_enterprise, total_score=Decimal("77.7"))
    NeedFactory(enterprise=enterprise, purpose="购置检测设备")
    NeedFactory(enterprise=other_enterprise, purpose="别家的用途")
    TalentFactory(enterprise=enterprise, category="executive")
    html = leader_client.get(f"/enterprises/{enterprise.pk}/").content.decode()
    for heading in ("研发平台", "数字化水平评测", "人才与产学研", "科技金融"):
        assert heading in html
    assert "61.5" in html and "购置检测设备" in html and "企业高管 1 人" in html
    assert "77.7" not in html and "别家的用途" not in html
