"""No personal data in a summary export unless the requester may see it unmasked on screen;
then the export is logged like an unmasked view (talent.PersonalDataAccess).

Every text of the file is searched: each XML part of the .docx/.xlsx package, tags removed.
"""

import html
import io
import re
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from bureau.figures import Figure
from enterprises.models import Enterprise
from finance.models import Contact
from reports import exports, services
from reports.models import ExportJob
from talent.models import PersonalDataAccess, Talent
from tests.factories import EnterpriseFactory, UserFactory
from tests.finance.factories import InstitutionFactory
from tests.talent.factories import TalentFactory

pytestmark = pytest.mark.django_db

MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-\d{7,8}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
ID_NUMBER = re.compile(
    r"(?<![0-9A-Z])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}[\dX](?![0-9A-Z])"
)
TAG = re.compile(r"<[^>]+>")


def package_text(data: bytes) -> str:
    """Every text in an Office file: each XML part with its tags replaced by spaces and its
    character references resolved (the sheet writer writes non-ASCII text as references)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return "\n".join(
            html.unescape(TAG.sub(" ", package.read(name).decode("utf-8")))
            for name in package.namelist()
            if name.endswith((".xml", ".rels"))
        )


def people_source(year: int, quarter: int | None = None) -> list[Figure]:
    """Figures standing on records with personal data: talents (name, phone, e-mail),
    enterprises (legal representative, contact person and phone), institutions' contacts."""
    talents = Talent.objects.order_by("pk")
    firms = Enterprise.objects.order_by("pk")
    contacts = Contact.objects.order_by("pk")
    return [
        Figure("talent.executives", "企业高管", "人", talents.count(), year, quarter, talents),
        Figure("enterprises.hitech_new", "新培育高新技术企业", "家", 2, year, quarter, firms),
        Figure(
            "enterprises.tech_sme_registered",
            "科技型中小企业入库",
            "家",
            1,
            year,
            quarter,
            contacts,
        ),
    ]


@pytest.fixture
def people(figure_sources, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    firm = EnterpriseFactory(
        name="安徽隐私测试有限公司",
        legal_representative="李建国",
        contact_person="王秀英",
        contact_phone="0564-8612345",
    )
    EnterpriseFactory(contact_phone="13800001111", contact_person="赵敏")
    TalentFactory(enterprise=firm, name="张伟明", phone="13912345678", email="zhang@firm.cn")
    TalentFactory(enterprise=firm, name="陈红", phone="13787654321", email="chen@firm.cn")
    Contact.objects.create(
        institution=InstitutionFactory(),
        name="刘经理",
        phone="13655556666",
        email="liu@bank.cn",
    )
    figure_sources(people=people_source)
    summary = services.ensure_summary(2024)
    services.regenerate(summary)
    return summary


def grant(user):
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="talent", codename="view_personal_data")
    )
    return type(user).objects.get(pk=user.pk)  # permissions are cached on the instance


def assert_no_personal_data(text: str) -> None:
    for pattern in (MOBILE, LANDLINE, EMAIL, ID_NUMBER):
        assert not pattern.search(text), (pattern.pattern, pattern.search(text).group())
    for name in ("张伟明", "陈红", "李建国", "王秀英", "赵敏", "刘经理"):
        assert name not in text, name


def test_staff_without_the_permission_export_no_personal_data(people, staff_user):
    reader = exports.reader_for(staff_user.pk)
    assert reader.unmask is False
    xlsx = package_text(exports.build_xlsx(people.pk, reader=reader))
    assert "安徽隐私测试有限公司" in xlsx  # the records are there, their people masked
    assert "139****5678" in xlsx and "z***@firm.cn" in xlsx and "李**" in xlsx
    assert_no_personal_data(xlsx)
    for appendix in ("figures", "full"):
        docx = package_text(
            exports.build_docx(
                people.pk, appendix=appendix, reader=exports.reader_for(staff_user.pk)
            )
        )
        assert_no_personal_data(docx)
    assert "139****5678" in docx  # the full appendix lists the talents, masked
    assert not PersonalDataAccess.objects.exists()


def test_export_without_a_user_is_masked(people):
    assert_no_personal_data(package_text(exports.build_xlsx(people.pk)))
    assert_no_personal_data(package_text(exports.build_docx(people.pk, appendix="full")))


def test_leader_with_the_permission_still_exports_masked(people, leader_user):
    leader = grant(leader_user)
    assert exports.reader_for(leader.pk).unmask is False
    assert_no_personal_data(
        package_text(exports.build_xlsx(people.pk, reader=exports.reader_for(leader.pk)))
    )


def test_staff_with_the_permission_export_unmasked_and_are_logged(people, staff_user):
    staff = grant(staff_user)
    reader = exports.reader_for(staff.pk, path="/exports/1/")
    text = package_text(exports.build_xlsx(people.pk, reader=reader))
    assert "13912345678" in text and "zhang@firm.cn" in text and "李建国" in text
    assert "0564-8612345" in text and "liu@bank.cn" in text
    log = PersonalDataAccess.objects.filter(user=staff, context="summary_export_xlsx")
    # one entry per talent in the file, one for the other people's data (firms, contacts)
    assert sorted(log.values_list("talent__name", flat=True), key=str) == sorted(
        ["张伟明", "陈红", None], key=str
    )
    assert set(log.values_list("path", flat=True)) == {"/exports/1/"}

    docx = package_text(
        exports.build_docx(people.pk, appendix="full", reader=exports.reader_for(staff.pk))
    )
    assert "13912345678" in docx
    assert PersonalDataAccess.objects.filter(context="summary_export_docx").count() == 3


def test_default_word_file_carries_no_records_so_nothing_is_logged(people, staff_user):
    staff = grant(staff_user)
    docx = package_text(exports.build_docx(people.pk, reader=exports.reader_for(staff.pk)))
    assert_no_personal_data(docx)
    assert not PersonalDataAccess.objects.exists()


def test_unmasked_export_through_the_page_is_the_requesters_alone(
    people, staff_user, django_capture_on_commit_callbacks
):
    from django.test import Client

    staff = grant(staff_user)
    client = Client()
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:export_request", args=[2024]), {"fmt": "xlsx"})
    job = ExportJob.objects.get()
    assert job.unmasked and job.requested_by == staff and job.status == "done"
    download = client.get(reverse("reports:export_download", args=[job.pk]))
    text = package_text(b"".join(download.streaming_content))
    assert "13912345678" in text
    assert PersonalDataAccess.objects.filter(
        user=staff, context="summary_export_xlsx", path=job.get_absolute_url()
    ).exists()

    # Another staff member without the permission: their own masked export, not this file.
    other = Client()
    other.force_login(UserFactory(username="staff2", role=staff.role))
    assert other.get(reverse("reports:export_download", args=[job.pk])).status_code == 404
    status = other.get(reverse("reports:export_status", args=[job.pk]), {"format": "json"})
    assert status.json()["download"] is False
    with django_capture_on_commit_callbacks(execute=True):
        other.post(reverse("reports:export_request", args=[2024]), {"fmt": "xlsx"})
    masked = ExportJob.objects.exclude(pk=job.pk).get()
    assert masked.unmasked is False
    body = other.get(reverse("reports:export_download", args=[masked.pk]))
    assert_no_personal_data(package_text(b"".join(body.streaming_content)))


def test_export_command_is_masked_unless_run_for_a_user_who_may_see(people, staff_user, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "s.xlsx"
    call_command("export_summary", year=2024, fmt="xlsx", output=str(out))
    assert_no_personal_data(package_text(out.read_bytes()))
    grant(staff_user)
    call_command("export_summary", year=2024, fmt="xlsx", output=str(out), user="staff")
    assert "13912345678" in package_text(out.read_bytes())
    assert PersonalDataAccess.objects.filter(user=staff_user).exists()
