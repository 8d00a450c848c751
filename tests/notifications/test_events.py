"""Each event the issue names creates a notification for the enterprise's own accounts, and for
nobody else (never another enterprise's users, never staff)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from bureau.models import ApplicationStatus, PeriodStatus
from bureau.roles import Role
from enterprises.models import QualificationKind
from notifications import events, tasks
from notifications.models import Kind, Notification
from tests.factories import (
    EnterpriseAccountFactory,
    PeriodFactory,
    QuarterlyFiguresFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(enterprise):
    """A second account of the same enterprise: it hears of the enterprise's events too."""
    return EnterpriseAccountFactory(
        enterprise=enterprise, user=UserFactory(username="ent2", role=Role.ENTERPRISE_USER)
    ).user


def recipients(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_need_matched_at_an_event_tells_the_enterprise_only(
    enterprise, enterprise_user, colleague, outsider_user, staff_user
):
    from finance import services
    from tests.finance.factories import FinanceEventFactory, InstitutionFactory, NeedFactory

    need = NeedFactory(enterprise=enterprise)
    bank = InstitutionFactory(name="徽商银行舒城支行")
    services.invite_to_event(event=FinanceEventFactory(), need=need, bank=bank)
    assert recipients(Kind.NEED_MATCHED) == {"ent", "ent2"}
    n = Notification.objects.filter(recipient=enterprise_user).get()
    assert "徽商银行舒城支行" in n.body
    assert n.url == f"/finance/portal/needs/{need.pk}/"


def test_signing_recorded_tells_the_enterprise_only(enterprise, enterprise_user, outsider_user):
    from finance import services
    from tests.finance.factories import InstitutionFactory, NeedFactory

    need = NeedFactory(enterprise=enterprise)
    signing = services.record_signing(
        enterprise=enterprise,
        bank=InstitutionFactory(),
        amount=Decimal("3000000"),
        signed_on=datetime.date(2024, 6, 27),
        need=need,
    )
    assert recipients(Kind.SIGNING) == {"ent"}
    n = Notification.objects.get(kind=Kind.SIGNING)
    assert "300.00万元" in n.body
    assert n.url == f"/finance/portal/signings/{signing.pk}/"


def test_demand_matched_to_an_institution_tells_the_enterprise_only(
    enterprise, enterprise_user, outsider_user, staff_user
):
    from talent import services
    from tests.talent.factories import DemandFactory, InstitutionFactory

    demand = DemandFactory(enterprise=enterprise)
    services.confirm_match(
        demand=demand, institution=InstitutionFactory(name="合肥工业大学"), by=staff_user
    )
    assert recipients(Kind.DEMAND_MATCHED) == {"ent"}
    assert "合肥工业大学" in Notification.objects.get(kind=Kind.DEMAND_MATCHED).body


def test_assessment_reopened_tells_the_enterprise_with_the_reason(
    enterprise, enterprise_user, outsider_user, staff_user
):
    from digital import services
    from digital.models import AssessmentSource
    from tests.digital.factories import AssessmentFactory

    assessment = AssessmentFactory(enterprise=enterprise, source=AssessmentSource.PORTAL)
    services.reopen_assessment(assessment, user=staff_user, reason="场景等级与佐证不符")
    assert recipients(Kind.ASSESSMENT_REOPENED) == {"ent"}
    n = Notification.objects.get(kind=Kind.ASSESSMENT_REOPENED)
    assert "场景等级与佐证不符" in n.body
    assert n.url == f"/digital/portal/{assessment.pk}/"


def test_a_period_opened_tells_every_active_enterprise_once_a_day(
    enterprise_user, outsider_user, staff_user
):
    from bureau.services import lock_period, unlock_period
    from enterprises.models import Enterprise

    inactive = EnterpriseAccountFactory(
        enterprise__is_active=False,
        user=UserFactory(username="gone", role=Role.ENTERPRISE_USER),
    ).enterprise
    assert not Enterprise.objects.get(pk=inactive.pk).is_active
    period = PeriodFactory(year=2025, quarter=3, status=PeriodStatus.OPEN)
    assert recipients(Kind.PERIOD_OPENED) == {"ent", "outsider"}
    assert Notification.objects.filter(kind=Kind.PERIOD_OPENED).count() == 2
    # Locked and opened again the same day: not told twice.
    lock_period(period, by=staff_user)
    unlock_period(period, by=staff_user)
    assert Notification.objects.filter(kind=Kind.PERIOD_OPENED).count() == 2


def test_a_period_created_locked_tells_nobody(enterprise_user):
    PeriodFactory(year=2024, quarter=1, status=PeriodStatus.LOCKED)
    assert not Notification.objects.filter(kind=Kind.PERIOD_OPENED).exists()


def test_period_about_to_close_tells_only_enterprises_that_have_not_filed_once(
    enterprise, enterprise_user, other_enterprise, outsider_user, settings
):
    settings.PERIOD_CLOSING_NOTICE_DAYS = 3
    today = timezone.localdate()
    period = PeriodFactory(year=today.year, quarter=1, deadline=today + datetime.timedelta(days=2))
    far = PeriodFactory(year=today.year, quarter=2, deadline=today + datetime.timedelta(days=20))
    QuarterlyFiguresFactory(enterprise=other_enterprise, period=period)
    Notification.objects.all().delete()  # the "period opened" notices
    result = tasks.daily_notices.delay(today.isoformat()).get()
    assert result["period_closing"] == 1
    [n] = Notification.objects.filter(kind=Kind.PERIOD_CLOSING)
    assert n.recipient == enterprise_user
    assert "2天" in n.body
    assert str(far.pk) not in n.url
    # The next day's run tells nobody again.
    tasks.daily_notices.delay((today + datetime.timedelta(days=1)).isoformat()).get()
    assert Notification.objects.filter(kind=Kind.PERIOD_CLOSING).count() == 1


def test_qualification_expiring_is_told_once_per_validity(
    enterprise, enterprise_user, outsider_user
):
    from enterprises.models import Qualification

    today = timezone.localdate()
    kind = QualificationKind.objects.get(code="hitech")
    q = Qualification.objects.create(
        enterprise=enterprise,
        kind=kind,
        status=ApplicationStatus.APPROVED,
        certificate_no="GR202234000111",
        approved_on=today - datetime.timedelta(days=1000),
        valid_from=today - datetime.timedelta(days=1000),
        valid_to=today + datetime.timedelta(days=40),
    )
    assert tasks.daily_notices.delay(today.isoformat()).get()["qualification_expiring"] == 1
    [n] = Notification.objects.filter(kind=Kind.QUALIFICATION_EXPIRING)
    assert n.recipient == enterprise_user
    assert "40天" in n.body
    assert n.url == f"/portal/qualifications/{q.pk}/"
    assert tasks.daily_notices.delay(today.isoformat()).get()["qualification_expiring"] == 0


def test_application_moving_stage_tells_its_enterprise(
    enterprise, enterprise_user, outsider_user, staff_user
):
    from enterprises import services
    from enterprises.models import Qualification

    q = Qualification.objects.create(
        enterprise=enterprise,
        kind=QualificationKind.objects.get(code="hitech"),
        status=ApplicationStatus.PREPARING,
    )
    services.move_qualification(q, ApplicationStatus.SUBMITTED, by=staff_user, remark="材料齐全")
    assert recipients(Kind.APPLICATION_STAGE) == {"ent"}
    n = Notification.objects.get(kind=Kind.APPLICATION_STAGE)
    assert "已申报" in n.title
    assert n.body == "材料齐全"


def test_an_event_of_an_enterprise_without_accounts_creates_nothing(other_enterprise):
    from tests.finance.factories import FinanceEventFactory, NeedFactory

    need = NeedFactory(enterprise=other_enterprise)
    assert events.need_matched(need, event=FinanceEventFactory()) == []
    assert not Notification.objects.exists()
