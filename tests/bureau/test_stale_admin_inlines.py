"""The admin's inline rows are checked like its change forms: a row saved from a stale page
is refused, and the page's whole save with it; the newer values stay.

A changes a row on a page of its own (the staff page that ends a tenancy, the summary's plan
item page, or another admin); B saves the parent's admin page opened before, with that row
changed. Through the real pages, as the browser posts them.
"""

import pytest
from django.test import Client
from django.urls import reverse

from bureau.roles import Role
from incubation.models import Tenancy
from reports.models import PlanItem
from tests.bureau.test_stale_edits import form_data, refusal
from tests.factories import UserFactory
from tests.incubation.factories import TenancyFactory
from tests.reports.factories import AnnualSummaryFactory, PlanItemFactory

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clerks():
    return (
        UserFactory(username="clerk_a", full_name="赵录入", role=Role.BUREAU_STAFF),
        UserFactory(username="clerk_b", full_name="钱录入", role=Role.BUREAU_STAFF),
    )


def row_key(form: dict, suffix: str) -> str:
    (key,) = [k for k in form if k.endswith(f"-0-{suffix}")]
    return key


def test_tenancy_row_ended_on_the_staff_page_cannot_be_overwritten_from_a_stale_admin_page(clerks):
    first, second = clerks
    tenancy = TenancyFactory(note="")
    admin_url = f"/admin/incubation/incubator/{tenancy.incubator_id}/change/"
    form_b = form_data(login(second).get(admin_url).content.decode())
    assert form_b[row_key(form_b, "edit_token")], "each inline row carries its token"

    # A ends the tenancy on the incubator's staff page.
    a = login(first)
    page = a.get(reverse("incubation:incubator_detail", args=[tenancy.incubator_id]))
    token = tenancy.history.latest().history_id
    assert f'value="{token}"' in page.content.decode()
    response = a.post(
        reverse("incubation:tenant_end", args=[tenancy.pk]),
        {"exited_on": "2026-06-30", "exit_reason": "moved_out", "edit_token": str(token)},
    )
    assert response.status_code == 302
    tenancy.refresh_from_db()
    assert str(tenancy.exited_on) == "2026-06-30"

    # B saves the incubator's admin page opened before, with a note typed on the row.
    form_b[row_key(form_b, "note")] = "钱录入从旧页面写的备注"
    response = login(second).post(admin_url, {**form_b, "_save": "1"})

    assert response.status_code == 302
    message = refusal(response)
    assert "保存未生效" in message and "赵录入" in message
    tenancy.refresh_from_db()
    assert str(tenancy.exited_on) == "2026-06-30" and tenancy.exit_reason == "moved_out"
    assert tenancy.note == ""


def test_an_inline_row_without_its_token_is_refused(clerks):
    _first, second = clerks
    tenancy = TenancyFactory(note="")
    admin_url = f"/admin/incubation/incubator/{tenancy.incubator_id}/change/"
    form_b = form_data(login(second).get(admin_url).content.decode())
    form_b.pop(row_key(form_b, "edit_token"))
    form_b[row_key(form_b, "note")] = "脚本写入的备注"
    response = login(second).post(admin_url, {**form_b, "_save": "1"})
    assert "缺少版本标记" in refusal(response)
    assert Tenancy.objects.get(pk=tenancy.pk).note == ""


def test_a_stale_row_the_page_left_alone_is_refused_rather_than_undoing_the_newer_note(clerks):
    """B did not touch the row, but the page still holds its old note: saving it would put the
    old note back over A's, so the save is refused."""
    first, second = clerks
    tenancy = TenancyFactory(note="")
    admin_url = f"/admin/incubation/incubator/{tenancy.incubator_id}/change/"
    form_b = form_data(login(second).get(admin_url).content.decode())
    tenancy.note = "赵录入在别处写的备注"
    tenancy._history_user = first
    tenancy.save()
    form_b["name"] = "改名后的孵化器"
    response = login(second).post(admin_url, {**form_b, "_save": "1"})
    assert "赵录入" in refusal(response)
    tenancy.refresh_from_db()
    assert tenancy.note == "赵录入在别处写的备注"
    assert tenancy.incubator.name != "改名后的孵化器"


def test_a_row_whose_values_did_not_move_does_not_stop_the_parent_save(clerks):
    """Only the token moved (a save that changed nothing): the row is not saved, not checked."""
    first, second = clerks
    tenancy = TenancyFactory(note="")
    admin_url = f"/admin/incubation/incubator/{tenancy.incubator_id}/change/"
    form_b = form_data(login(second).get(admin_url).content.decode())
    tenancy._history_user = first
    tenancy.save()
    form_b["name"] = "改名后的孵化器"
    response = login(second).post(admin_url, {**form_b, "_save": "1"})
    assert response.status_code == 302 and "保存未生效" not in refusal(response)
    tenancy.refresh_from_db()
    assert tenancy.incubator.name == "改名后的孵化器"


def test_two_admins_editing_the_same_plan_item_row(clerks):
    first, second = clerks
    summary = AnnualSummaryFactory(year=2025)
    item = PlanItemFactory(summary=summary, text="原来的安排")
    admin_url = f"/admin/reports/annualsummary/{summary.pk}/change/"
    a, b = login(first), login(second)
    form_a = form_data(a.get(admin_url).content.decode())
    form_b = form_data(b.get(admin_url).content.decode())

    # A edits the item on its own admin page; B's summary page, opened before, is stale for it.
    item_url = f"/admin/reports/planitem/{item.pk}/change/"
    item_form = form_data(a.get(item_url).content.decode())
    item_form["text"] = "赵录入改的安排"
    assert a.post(item_url, {**item_form, "_save": "1"}).status_code == 302

    form_b[row_key(form_b, "text")] = "钱录入从旧页面改的安排"
    response = b.post(admin_url, {**form_b, "_save": "1"})
    assert "赵录入" in refusal(response)
    assert PlanItem.objects.get(pk=item.pk).text == "赵录入改的安排"

    # A's own summary page is stale for the row too: A edited it elsewhere since opening it.
    form_a[row_key(form_a, "text")] = "再改一次"
    response = a.post(admin_url, {**form_a, "_save": "1"})
    assert "保存未生效" in refusal(response)

    # Reloaded, B's page carries the row's new token: the change goes through.
    fresh = form_data(b.get(admin_url).content.decode())
    fresh[row_key(fresh, "text")] = "钱录入核对后改的安排"
    response = b.post(admin_url, {**fresh, "_save": "1"})
    assert response.status_code == 302 and "保存未生效" not in refusal(response)
    assert PlanItem.objects.get(pk=item.pk).text == "钱录入核对后改的安排"
