"""A save that writes several rows writes all or none (issue 15: no half-written records when
the database goes away mid-request)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.models.query import QuerySet

from bureau.models import Activity
from tests.factories import ActivityKindFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db

_bulk_create = QuerySet.bulk_create


def test_activity_quick_entry_leaves_nothing_when_the_database_fails_midway(staff_client):
    """The activity, its enterprises and its staff are three writes: a failure at the last
    (the connection lost) leaves no activity without its staff, and the user sees the 503."""
    kind = ActivityKindFactory(name="政策宣讲会")
    company = EnterpriseFactory()

    def fail_on_staff(self, objs, *args, **kwargs):
        if self.model is Activity.staff.through:
            raise OperationalError("server closed the connection unexpectedly")
        return _bulk_create(self, objs, *args, **kwargs)

    with mock.patch.object(QuerySet, "bulk_create", autospec=True, side_effect=fail_on_staff):
        response = staff_client.post(
            "/activities/new/",
            {
                "kind": kind.pk,
                "date": "2025-06-03",
                "topic": "半途断线的宣讲",
                "enterprises": [company.pk],
            },
        )
    assert response.status_code == 503
    assert not Activity.objects.filter(topic="半途断线的宣讲").exists()
    assert not Activity.enterprises.through.objects.exists()
