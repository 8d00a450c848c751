"""The shared application pipeline, exercised through a concrete test-only subclass is not
possible without a table, so it runs against the abstract rules and a real app's model when
one exists; here: the flow table, the service's refusals and the kept history."""

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
