"""`migrate` syncs the role groups once, after the last app's permissions exist.

post_migrate is sent once per app; the sync ran on every one of them (about 20 per migrate),
each run that found a few more permissions writing permission-change events to the security
log. Run on the last app's signal only, one migrate gives one sync and one event per group.
"""

from unittest import mock

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from audit.models import EventKind, SecurityEvent
from bureau import services
from bureau.roles import Role


@pytest.fixture
def sync_calls():
    with mock.patch.object(services, "sync_role_groups", wraps=services.sync_role_groups) as spy:
        yield spy


def test_one_migrate_runs_the_role_sync_once(db, sync_calls):
    call_command("migrate", verbosity=0, interactive=False)
    assert sync_calls.call_count == 1


def test_permissions_of_two_apps_recreated_by_one_migrate_are_one_event_per_group(db):
    services.sync_role_groups()
    # Two apps' permissions gone (as on a database whose apps arrive in a new release): each
    # is recreated on its own app's post_migrate signal.
    Permission.objects.filter(content_type__app_label__in=["enterprises", "finance"]).delete()
    staff = Group.objects.get(name=Role.BUREAU_STAFF.group_name)
    last = SecurityEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    call_command("migrate", verbosity=0, interactive=False)

    staff_events = SecurityEvent.objects.filter(
        pk__gt=last, kind=EventKind.PERMISSION_CHANGED, detail__target=f"auth.Group:{staff.pk}"
    )
    assert staff_events.count() == 1
    assert staff.permissions.filter(content_type__app_label="finance").exists()
    assert staff.permissions.filter(content_type__app_label="enterprises").exists()
