"""Database constraints and model validation of innovation carriers."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bureau.models import ApplicationStatus, Level
from incubation.models import ExitReason, GraduationBasis, RecognitionKind, Tenancy
from incubation.services import admit_tenant, end_tenancy
from tests.factories import EnterpriseFactory

from .factories import (
    IncubatorApplicationFactory,
    IncubatorFactory,
    RDPlatformFactory,
    RecognitionFactory,
    TenancyFactory,
)

pytestmark = pytest.mark.django_db


def test_database_refuses_a_second_current_incubator_for_an_enterprise(enterprise):
    TenancyFactory(enterprise=enterprise)
    with pytest.raises(IntegrityError), transaction.atomic():
        Tenancy.objects.create(
            incubator=IncubatorFactory(),
            enterprise=enterprise,
            entered_on=datetime.date(2024, 1, 1),
        )


def test_enterprise_may_enter_another_incubator_after_leaving(enterprise):
    first = TenancyFactory(enterprise=enterprise, entered_on=datetime.date(2021, 1, 1))
    end_tenancy(first, on=datetime.date(2023, 6, 30), reason=ExitReason.MOVED_OUT)
    second = admit_tenant(
        Tenancy(
            incubator=IncubatorFactory(),
            enterprise=enterprise,
            entered_on=datetime.date(2023, 7, 1),
        )
    )
    assert second.pk and Tenancy.objects.filter(enterprise=enterprise).count() == 2


def test_admitting_a_current_tenant_elsewhere_names_the_enterprise_field(enterprise):
    TenancyFactory(enterprise=enterprise)
    with pytest.raises(ValidationError) as error:
        admit_tenant(
            Tenancy(
                incubator=IncubatorFactory(),
                enterprise=enterprise,
                entered_on=datetime.date(2024, 5, 1),
            )
        )
    assert "enterprise" in error.value.message_dict
    assert Tenancy.objects.filter(enterprise=enterprise).count() == 1


def test_overlapping_past_stays_are_refused_by_validation(enterprise):
    TenancyFactory(
        enterprise=enterprise,
        entered_on=datetime.date(2020, 1, 1),
        exited_on=datetime.date(2022, 12, 31),
        exit_reason=ExitReason.MOVED_OUT,
    )
    overlapping = Tenancy(
        incubator=IncubatorFactory(),
        enterprise=enterprise,
        entered_on=datetime.date(2019, 1, 1),
        exited_on=datetime.date(2021, 1, 1),
        exit_reason=ExitReason.MOVED_OUT,
    )
    with pytest.raises(ValidationError) as error:
        overlapping.full_clean()
    assert "在孵期间不能重叠" in str(error.value.message_dict["enterprise"])


def closed_stay(enterprise, entered: str, exited: str, **fields) -> Tenancy:
    return Tenancy(
        incubator=fields.pop("incubator", None) or IncubatorFactory(),
        enterprise=enterprise,
        entered_on=datetime.date.fromisoformat(entered),
        exited_on=datetime.date.fromisoformat(exited) if exited else None,
        exit_reason=ExitReason.MOVED_OUT if exited else "",
        **fields,
    )


# Against a stay 2020-01-01 – 2022-12-31 of the same enterprise ([entered, exited)).
@pytest.mark.parametrize(
    ("entered", "exited", "overlaps"),
    [
        ("2019-01-01", "2021-01-01", True),  # ends inside it
        ("2021-01-01", "2023-06-30", True),  # begins inside it
        ("2020-03-01", "2020-04-01", True),  # within it
        ("2019-01-01", "2024-01-01", True),  # around it
        ("2022-12-30", "", True),  # current, begun before it ended
        ("2022-12-31", "2024-06-30", False),  # begins the day it ended
        ("2022-12-31", "", False),  # current, from the day it ended
        ("2018-01-01", "2020-01-01", False),  # ends the day it began
        ("2023-01-01", "2023-06-30", False),  # after it
    ],
)
def test_stays_overlap_unless_one_ends_the_day_the_other_begins(
    enterprise, entered, exited, overlaps
):
    closed_stay(enterprise, "2020-01-01", "2022-12-31").save()
    stay = closed_stay(enterprise, entered, exited)
    if overlaps:
        with pytest.raises(ValidationError) as error:
            stay.full_clean()
        assert "在孵期间不能重叠" in str(error.value.message_dict["enterprise"])
    else:
        stay.full_clean()
        admit_tenant(stay)
        assert Tenancy.objects.filter(enterprise=enterprise).count() == 2


def test_admit_tenant_refuses_an_overlapping_closed_stay(enterprise):
    closed_stay(enterprise, "2020-01-01", "2022-12-31").save()
    with pytest.raises(ValidationError) as error:
        admit_tenant(closed_stay(enterprise, "2021-01-01", "2021-06-30"))
    assert "在孵期间不能重叠" in str(error.value.message_dict["enterprise"])
    assert Tenancy.objects.filter(enterprise=enterprise).count() == 1


def test_postgresql_itself_refuses_overlapping_closed_stays(enterprise):
    """The exclusion constraint of migration 0004 (no btree_gist needed), bypassing clean()."""
    from django.db import connection

    from tests.conftest import require_service

    require_service("PostgreSQL", connection.vendor == "postgresql", "exclusion constraint")
    closed_stay(enterprise, "2020-01-01", "2022-12-31").save()
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        closed_stay(enterprise, "2021-01-01", "2021-06-30").save()
    assert "tenancy_no_overlapping_stays" in str(error.value)
    # A current stay begun before the closed one ended is refused as well.
    with pytest.raises(IntegrityError), transaction.atomic():
        closed_stay(enterprise, "2022-06-01", "").save()
    # Touching on the same day, another enterprise on the same dates: allowed.
    closed_stay(enterprise, "2022-12-31", "2023-06-30").save()
    closed_stay(enterprise, "2018-01-01", "2020-01-01").save()
    closed_stay(EnterpriseFactory(), "2021-01-01", "2021-06-30").save()
    closed_stay(enterprise, "2023-06-30", "").save()
    assert Tenancy.objects.filter(enterprise=enterprise).count() == 4


def test_admit_tenant_names_the_overlap_the_database_refused(enterprise, monkeypatch):
    """Should clean() be raced, the database's refusal is a form error, not a crash."""
    from django.db import connection

    from tests.conftest import require_service

    require_service("PostgreSQL", connection.vendor == "postgresql", "exclusion constraint")
    closed_stay(enterprise, "2020-01-01", "2022-12-31").save()
    monkeypatch.setattr(Tenancy, "_overlapping", lambda self: None)
    with pytest.raises(ValidationError) as error:
        admit_tenant(closed_stay(enterprise, "2021-01-01", "2021-06-30"))
    assert "重叠" in str(error.value.message_dict["enterprise"])


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        (
            {"exited_on": datetime.date(2022, 1, 1), "exit_reason": ExitReason.GRADUATED},
            "tenancy_exit_after_entry",
        ),
        ({"exited_on": datetime.date(2024, 1, 1)}, "tenancy_exit_reason_iff_exited"),
        ({"exit_reason": ExitReason.MOVED_OUT}, "tenancy_exit_reason_iff_exited"),
        (
            {
                "exited_on": datetime.date(2024, 1, 1),
                "exit_reason": ExitReason.MOVED_OUT,
                "graduation_basis": GraduationBasis.HITECH,
            },
            "tenancy_basis_only_when_graduated",
        ),
    ],
)
def test_tenancy_check_constraints(fields, constraint):
    incubator = IncubatorFactory()
    tenancy = Tenancy(
        incubator=incubator, enterprise=EnterpriseFactory(), entered_on=datetime.date(2023, 3, 1)
    )
    for name, value in fields.items():
        setattr(tenancy, name, value)
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        tenancy.save()


def test_graduation_sets_date_and_basis():
    tenancy = TenancyFactory()
    end_tenancy(tenancy, on=datetime.date(2024, 6, 1), graduation_basis=GraduationBasis.HITECH)
    tenancy.refresh_from_db()
    assert tenancy.graduated and tenancy.graduated_on == datetime.date(2024, 6, 1)
    with pytest.raises(ValidationError):
        end_tenancy(tenancy, on=datetime.date(2024, 7, 1))


def test_incubator_tenant_area_cannot_exceed_area():
    incubator = IncubatorFactory.build(area_m2=Decimal("100"), tenant_area_m2=Decimal("101"))
    with pytest.raises(ValidationError) as error:
        incubator.full_clean()
    assert "tenant_area_m2" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        incubator.save()


def test_approved_platform_needs_a_level():
    platform = RDPlatformFactory(level="")
    platform.status = ApplicationStatus.APPROVED
    with pytest.raises(IntegrityError, match="rdplatform_approved_has_level"), transaction.atomic():
        platform.save()


def test_first_set_recognition_needs_a_product_name():
    recognition = RecognitionFactory.build(
        enterprise=EnterpriseFactory(), kind=RecognitionKind.FIRST_SET, product_name=""
    )
    with pytest.raises(ValidationError) as error:
        recognition.full_clean()
    assert "product_name" in error.value.message_dict
    with pytest.raises(IntegrityError, match="recognition_product_named"), transaction.atomic():
        recognition.save()


def test_one_open_application_per_incubator_and_level():
    application = IncubatorApplicationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        IncubatorApplicationFactory(incubator=application.incubator, level=Level.NATIONAL)
    # A closed one does not block a new attempt.
    application.status = ApplicationStatus.REJECTED
    application.save()
    IncubatorApplicationFactory(incubator=application.incubator, level=Level.NATIONAL)


def test_incubator_application_needs_a_level():
    with pytest.raises(IntegrityError), transaction.atomic():
        IncubatorApplicationFactory(level="")
