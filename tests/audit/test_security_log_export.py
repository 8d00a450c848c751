"""The audit admin reads and exports the security log (等保 安全审计: 审计记录的查阅与导出)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from audit.models import EventKind, SecurityEvent
from audit.services import record
from bureau.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EXPORT = "admin:audit_securityevent_export"


def _client(role: Role, username: str) -> Client:
    client = Client()
    client.force_login(UserFactory(username=username, role=role))
    return client


@pytest.fixture
def auditor() -> Client:
    return _client(Role.AUDIT_ADMIN, "auditor")


def _formats(client: Client) -> dict[str, int]:
    form = client.get(reverse(EXPORT)).context["form"]
    return {label: int(value) for value, label in form.fields["format"].choices if value != ""}


def _export(client: Client, label: str, query: str = ""):
    from django import forms

    url = reverse(EXPORT) + query
    form = client.get(url).context["form"]
    data = {"format": str(_formats(client)[label]), "resource": "0"}
    for name, field in form.fields.items():
        if isinstance(field, forms.BooleanField):
            data[name] = "on"
    return client.post(url, data)


def _events(n: int) -> None:
    for i in range(n):
        record(EventKind.LOGIN_FAILED, username=f'=HYPERLINK("http://x/{i}")', tried=i)
        record(EventKind.LOGIN, username=f"clerk{i}")


def test_audit_admin_exports_the_log_filtered_as_the_list_is(auditor):
    _events(3)
    response = _export(auditor, "xlsx", "?kind__exact=login_failed")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("id", "时间", "事件", "用户名")
    assert [r[2] for r in rows[1:]] == ["登录失败"] * 3
    # The hostile user name is text, never a formula.
    assert {r[3] for r in rows[1:]} == {f'=HYPERLINK("http://x/{i}")' for i in range(3)}
    assert all(c.data_type == "s" for c in ws["D"][1:])
    logged = SecurityEvent.objects.get(kind=EventKind.LOG_EXPORTED)
    assert logged.username == "auditor"
    assert logged.detail["rows"] == 3 and logged.detail["format"] == "xlsx"
    assert logged.detail["filters"] == {"kind__exact": "login_failed"}
    # ... and the download too, as every export is.
    assert SecurityEvent.objects.filter(kind=EventKind.DOWNLOAD, username="auditor").exists()


def test_csv_export_in_english_guards_formula_text(auditor):
    _events(2)
    response = _export(auditor, "csv", "?q=HYPERLINK&kind__exact=login_failed")
    auditor.cookies["django_language"] = "en"
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [r[3] for r in rows[1:]] == [f'\'=HYPERLINK("http://x/{i}")' for i in (1, 0)]
    english = _export(auditor, "csv", "?q=HYPERLINK&kind__exact=login_failed")
    english_rows = list(csv.reader(io.StringIO(english.content.decode("utf-8-sig"))))
    assert english_rows[0][1:4] == ["Time", "Event", "Username"]
    assert english_rows[1][2] == "Sign-in failed"


@pytest.mark.parametrize("n", [3, 30])
def test_export_queries_do_not_grow_with_rows(auditor, django_assert_num_queries, n):
    _events(n)
    from django import forms

    url = reverse(EXPORT)
    form = auditor.get(url).context["form"]
    data = {"format": str(_formats(auditor)["xlsx"]), "resource": "0"}
    data.update({k: "on" for k, f in form.fields.items() if isinstance(f, forms.BooleanField)})
    # session, user, the user's and its groups' permissions, its groups' names (the role);
    # the events; the log's entry for the export, and for the download (audit middleware);
    # the session saved (savepoint, update, release).
    before = SecurityEvent.objects.count()  # the n pairs, the sign-in and role events
    assert before >= 2 * n
    with django_assert_num_queries(10):
        response = auditor.post(url, data)
    assert len(openpyxl.load_workbook(io.BytesIO(response.content)).active["A"]) == before + 1


@pytest.mark.parametrize(
    "role", [Role.BUREAU_STAFF, Role.LEADERSHIP, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN]
)
def test_other_roles_cannot_export_the_log(role):
    client = _client(role, f"not-{role.group_name}")
    user = client.session["_auth_user_id"]
    from bureau.models import User

    User.objects.filter(pk=user).update(is_staff=True)
    assert client.get(reverse(EXPORT)).status_code == 403
    assert client.post(reverse(EXPORT), {"format": "0", "resource": "0"}).status_code == 403
    assert not SecurityEvent.objects.filter(kind=EventKind.LOG_EXPORTED).exists()
