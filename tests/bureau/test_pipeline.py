"""The shared application pipeline: the flow table, expiry rules, and the service on a real
application model (an enterprise's qualification): refusals in Chinese, kept history,
database constraints and the expiry querysets."""

import datetime

import pytest

from bureau.models import ALLOWED_TRANSITIONS, ApplicationStatus

S = ApplicationStatus


def test_every_status_has_a_row_in_the_flow():
    assert set(ALLOWED_TRANSITIONS) == set(S.values)


@pytest.mark.parametrize(
    ("start", "end", "allowed"),
    [
        (S.CANDIDATE, S.PREPARING, True),
        (S.CANDIDATE, S.APPROVED, False),
        (S.PREPARING, S.SUBMITTED, True),
        (S.SUBMITTED, S.UNDER_REVIEW, True),
        (S.UNDER_REVIEW, S.APPROVED, True),
        (S.UNDER_REVIEW, S.REJECTED, True),
        (S.APPROVED, S.WITHDRAWN, False),
        (S.REJECTED, S.PREPARING, True),
        (S.WITHDRAWN, S.CANDIDATE, True),
    ],
)
def test_flow_table(start, end, allowed):
    assert (end in ALLOWED_TRANSITIONS[start]) is allowed


def test_expiry_helpers_on_an_unsaved_instance():
    from bureau.models import Application

    class Probe(Application):
        class Meta:
            app_label = "bureau"
            abstract = True

    probe = Probe.__new__(Probe)
    probe.status = S.APPROVED
    probe.valid_to = datetime.date(2025, 1, 31)
    assert probe.is_expired(datetime.date(2025, 2, 1))
    assert not probe.is_expired(datetime.date(2025, 1, 31))
    assert probe.is_expiring_soon(datetime.date(2024, 8, 4))  # 180 days before
    assert not probe.is_expiring_soon(datetime.date(2024, 8, 3))


# --- The service on a real application model (an enterprise's qualification) ---------------


@pytest.fixture
def qualification(db):
    from tests.enterprises.factories import QualificationFactory, kind

    return QualificationFactory(kind=kind("innovative_sme"), batch_year=2024)


def test_transition_keeps_who_when_and_why(qualification, staff_user):
    from bureau.services import transition_application

    transition_application(qualification, S.PREPARING, by=staff_user, remark="企业已提交材料")
    transition_application(qualification, S.SUBMITTED, by=staff_user)
    history = list(qualification.transitions)
    assert [(t.from_status, t.to_status) for t in history] == [
        (S.CANDIDATE, S.PREPARING),
        (S.PREPARING, S.SUBMITTED),
    ]
    assert history[0].by == staff_user and history[0].remark == "企业已提交材料"
    qualification.refresh_from_db()
    assert qualification.status == S.SUBMITTED


def test_transition_the_flow_does_not_allow_is_refused_in_chinese(qualification, staff_user):
    from django.core.exceptions import ValidationError

    from bureau.services import transition_application

    with pytest.raises(ValidationError) as info:
        transition_application(qualification, S.APPROVED, by=staff_user)
    assert "不能从「培育对象」变更为「已认定」" in info.value.messages[0]
    qualification.refresh_from_db()
    assert qualification.status == S.CANDIDATE and not list(qualification.transitions)


def test_valid_to_before_valid_from_is_refused_by_the_database(qualification):
    from django.db import IntegrityError, transaction

    qualification.valid_from = datetime.date(2024, 5, 1)
    qualification.valid_to = datetime.date(2024, 4, 30)
    with pytest.raises(IntegrityError), transaction.atomic():
        qualification.save()


def test_expired_and_expiring_querysets(db):
    from enterprises.models import Qualification
    from tests.enterprises.factories import ApprovedQualificationFactory, kind

    day = datetime.date(2024, 6, 30)
    expired = ApprovedQualificationFactory(
        kind=kind("hitech"), approved_on=datetime.date(2021, 1, 1),
        valid_from=datetime.date(2021, 1, 1), valid_to=datetime.date(2024, 6, 29),
    )  # fmt: skip
    soon = ApprovedQualificationFactory(
        kind=kind("hitech"), approved_on=datetime.date(2021, 9, 1),
        valid_from=datetime.date(2021, 9, 1), valid_to=datetime.date(2024, 12, 27),
    )  # 180 days after 2024-06-30  # fmt: skip
    later = ApprovedQualificationFactory(
        kind=kind("hitech"), approved_on=datetime.date(2022, 1, 1),
        valid_from=datetime.date(2022, 1, 1), valid_to=datetime.date(2024, 12, 28),
    )  # fmt: skip
    assert list(Qualification.objects.expired(day)) == [expired]
    assert list(Qualification.objects.expiring(day)) == [soon]
    assert set(Qualification.objects.valid_on(day)) == {soon, later}


def test_a_transition_checks_the_constraints_unless_a_seeder_trusts_its_rows(qualification):
    """The service names a broken constraint in Chinese; inside trusted_writes() (the demo
    seeder) that check is left to the database, which still refuses the row."""
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    from bureau.services import transition_application, trusted_writes

    qualification.status = S.UNDER_REVIEW
    qualification.save()
    bad = {"batch_year": 1990}  # qualification_batch_year_range
    with pytest.raises(ValidationError) as info, transaction.atomic():
        transition_application(qualification, S.REJECTED, **bad)
    assert info.value.messages
    qualification.refresh_from_db()
    with pytest.raises(IntegrityError), transaction.atomic(), trusted_writes():
        transition_application(qualification, S.REJECTED, **bad)
    qualification.refresh_from_db()
    assert qualification.status == S.UNDER_REVIEW
    with pytest.raises(ValidationError), transaction.atomic():  # the flag does not outlive it
        transition_application(qualification, S.REJECTED, **bad)
