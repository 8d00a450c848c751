"""Qualifications on the shared pipeline: database constraints, transitions, timeline."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bureau.models import ApplicationStatus
from enterprises import services
from enterprises.models import Qualification, add_years
from tests.enterprises.factories import ApprovedQualificationFactory, QualificationFactory, kind

pytestmark = pytest.mark.django_db


def test_kinds_are_reference_data_from_the_migration():
    codes = set(
        Qualification._meta.get_field("kind").related_model.objects.values_list("code", flat=True)
    )
    assert codes >= {
        "tech_sme", "hitech", "innovative_sme", "specialised_sme", "little_giant",
        "strategic_emerging", "tech_innovative_sme",
    }  # fmt: skip


def test_database_refuses_valid_to_before_valid_from(enterprise):
    with pytest.raises(IntegrityError), transaction.atomic():
        Qualification.objects.create(
            enterprise=enterprise,
            kind=kind("hitech"),
            valid_from=datetime.date(2024, 5, 1),
            valid_to=datetime.date(2024, 4, 30),
        )


def test_database_refuses_an_approved_title_without_a_start(enterprise):
    with pytest.raises(IntegrityError), transaction.atomic():
        Qualification.objects.create(
            enterprise=enterprise, kind=kind("hitech"), status=ApplicationStatus.APPROVED
        )


def test_overlapping_approved_titles_of_same_kind_and_level_are_refused(enterprise):
    ApprovedQualificationFactory(enterprise=enterprise)
    second = QualificationFactory(enterprise=enterprise, status=ApplicationStatus.UNDER_REVIEW)
    with pytest.raises(ValidationError) as exc:
        services.move_qualification(
            second,
            ApplicationStatus.APPROVED,
            by=None,
            certificate_no="GR2026",
            approved_on=datetime.date(2026, 1, 10),
        )
    assert "有效期重叠" in str(exc.value)
    second.refresh_from_db()
    assert second.status == ApplicationStatus.UNDER_REVIEW


def test_back_to_back_titles_and_other_levels_are_allowed(enterprise):
    first = ApprovedQualificationFactory(enterprise=enterprise)
    after = QualificationFactory(enterprise=enterprise, status=ApplicationStatus.UNDER_REVIEW)
    services.move_qualification(
        after,
        ApplicationStatus.APPROVED,
        by=None,
        certificate_no="GR2027",
        approved_on=first.valid_to + datetime.timedelta(days=1),
    )
    other_level = QualificationFactory(
        enterprise=enterprise, status=ApplicationStatus.SUBMITTED, level="provincial"
    )
    services.move_qualification(
        other_level, ApplicationStatus.APPROVED, by=None, certificate_no="SJ1",
        approved_on=datetime.date(2025, 1, 1),
    )  # fmt: skip
    assert Qualification.objects.approved().filter(enterprise=enterprise).count() == 3


def test_candidate_cannot_jump_to_approved(enterprise):
    q = QualificationFactory(enterprise=enterprise)
    with pytest.raises(ValidationError) as exc:
        services.move_qualification(q, ApplicationStatus.APPROVED, by=None, certificate_no="X")
    assert "不能从「培育对象」变更为「已认定」" in str(exc.value)


def test_approval_without_certificate_number_is_refused(enterprise):
    q = QualificationFactory(enterprise=enterprise, status=ApplicationStatus.UNDER_REVIEW)
    with pytest.raises(ValidationError) as exc:
        services.move_qualification(q, ApplicationStatus.APPROVED, by=None)
    assert "证书编号" in str(exc.value)
    q.refresh_from_db()
    assert q.status == ApplicationStatus.UNDER_REVIEW


@pytest.mark.parametrize(
    ("code", "approved_on", "valid_from", "valid_to"),
    [
        ("hitech", datetime.date(2024, 11, 5), datetime.date(2024, 11, 5), datetime.date(2027, 11, 4)),
        ("tech_sme", datetime.date(2024, 6, 1), datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),
        ("strategic_emerging", datetime.date(2024, 6, 1), datetime.date(2024, 6, 1), None),
    ],
)  # fmt: skip
def test_validity_follows_from_the_kind(
    enterprise, staff_user, code, approved_on, valid_from, valid_to
):
    q = QualificationFactory(
        enterprise=enterprise, kind=kind(code), status=ApplicationStatus.SUBMITTED, level=""
    )
    services.move_qualification(
        q, ApplicationStatus.APPROVED, by=staff_user, certificate_no="N1", approved_on=approved_on
    )
    q.refresh_from_db()
    assert (q.valid_from, q.valid_to) == (valid_from, valid_to)
    assert q.level == kind(code).default_level


def test_every_status_change_is_kept_with_who_and_remark(enterprise, staff_user):
    [q] = services.add_candidates(
        kind=kind("innovative_sme"), enterprise_ids=[enterprise.pk], batch_year=2025, by=staff_user
    )
    services.move_qualification(q, ApplicationStatus.PREPARING, by=staff_user, remark="准备材料")
    services.move_qualification(q, ApplicationStatus.SUBMITTED, by=staff_user)
    timeline = list(q.transitions)
    assert [(t.from_status, t.to_status) for t in timeline] == [
        ("", "candidate"),
        ("candidate", "preparing"),
        ("preparing", "submitted"),
    ]
    assert timeline[1].by == staff_user and timeline[1].remark == "准备材料"


def test_add_candidates_skips_enterprises_already_in_the_batch(enterprise, other_enterprise):
    hk = kind("hitech")
    services.add_candidates(kind=hk, enterprise_ids=[enterprise.pk], batch_year=2026, by=None)
    created = services.add_candidates(
        kind=hk, enterprise_ids=[enterprise.pk, other_enterprise.pk], batch_year=2026, by=None
    )
    assert [q.enterprise for q in created] == [other_enterprise]


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (datetime.date(2024, 2, 29), 3, datetime.date(2027, 3, 1)),
        (datetime.date(2024, 3, 1), 3, datetime.date(2027, 3, 1)),
    ],
)
def test_add_years_handles_leap_day(day, years, expected):
    assert add_years(day, years) == expected


def test_expired_and_expiring_follow_from_dates(enterprise):
    q = ApprovedQualificationFactory(enterprise=enterprise)
    assert q.is_expiring_soon(datetime.date(2027, 5, 5))
    assert not q.is_expiring_soon(datetime.date(2027, 5, 3))
    assert q.is_expired(datetime.date(2027, 11, 1))
    assert not q.is_expired(datetime.date(2027, 10, 31))


def test_postgresql_itself_refuses_overlapping_approved_titles(enterprise):
    """The exclusion constraint of migration 0003 (no btree_gist needed), bypassing clean()."""
    from django.db import connection

    from tests.conftest import require_service

    require_service("PostgreSQL", connection.vendor == "postgresql", "exclusion constraint")
    ApprovedQualificationFactory(enterprise=enterprise)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApprovedQualificationFactory(
            enterprise=enterprise, valid_from=datetime.date(2027, 10, 31), valid_to=None
        )
    # Same dates at another level, or ending the day before, are fine.
    ApprovedQualificationFactory(enterprise=enterprise, level="provincial")
    ApprovedQualificationFactory(
        enterprise=enterprise, valid_from=datetime.date(2027, 11, 1), valid_to=None
    )
