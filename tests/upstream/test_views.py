"""Downloads on the web: staff from the enterprise page and in bulk, an enterprise only its own."""

import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories import EnterpriseFactory, ParkZoneFactory
from tests.querycount import count_queries

from .conftest import YEAR, demo_figures, read_book

pytestmark = pytest.mark.django_db


def _pack_url(enterprise, code="torch-gq002-2022"):
    return reverse("upstream:enterprise_pack", args=[code, YEAR, enterprise.pk])


def test_staff_reach_the_packs_from_the_enterprise_page(staff_client, enterprise, q4):
    demo_figures(enterprise, q4)
    detail = staff_client.get(reverse("enterprises:detail", args=[enterprise.pk]))
    page_url = reverse("upstream:enterprise_packs", args=[enterprise.pk])
    assert page_url in detail.content.decode()
    page = staff_client.get(page_url)
    assert page.status_code == 200
    assert _pack_url(enterprise) in page.content.decode()
    response = staff_client.get(_pack_url(enterprise))
    assert response.status_code == 200
    assert "GQ-002_2024_" in response["Content-Disposition"]
    sheet = read_book(response.content)["GQ-002 企业经济概况"]
    assert sheet.cell(row=2, column=5).value == enterprise.credit_code


def test_enterprise_downloads_its_own_pack_only(
    enterprise_client, enterprise, other_enterprise, q4
):
    demo_figures(enterprise, q4)
    demo_figures(other_enterprise, q4)
    home = enterprise_client.get(reverse("enterprises:portal_home"))
    assert reverse("upstream:portal_packs") in home.content.decode()
    page = enterprise_client.get(reverse("upstream:portal_packs"))
    body = page.content.decode()
    assert _pack_url(enterprise, "kexiao-info-2022") in body
    assert f"/enterprises/{other_enterprise.pk}/" not in body
    own = enterprise_client.get(_pack_url(enterprise, "kexiao-info-2022"))
    assert own.status_code == 200
    book = read_book(own.content)
    assert book["财务"].cell(row=2, column=5).value == enterprise.credit_code
    assert enterprise_client.get(_pack_url(other_enterprise)).status_code == 404
    assert enterprise_client.get(_pack_url(other_enterprise, "kexiao-info-2022")).status_code == 404
    # The staff pages stay closed to enterprise users.
    staff_page = reverse("upstream:enterprise_packs", args=[enterprise.pk])
    assert enterprise_client.get(staff_page).status_code == 403
    assert enterprise_client.get(reverse("upstream:bulk")).status_code == 403


def test_unknown_form_or_future_year_is_404(staff_client, enterprise):
    assert staff_client.get(_pack_url(enterprise, "no-such-form")).status_code == 404
    url = reverse("upstream:enterprise_pack", args=["torch-gq002-2022", 2999, enterprise.pk])
    assert staff_client.get(url).status_code == 404


def test_portal_page_in_english(enterprise_client, enterprise):
    enterprise_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = enterprise_client.get(reverse("upstream:portal_packs")).content.decode()
    assert "Upstream data packs" in body
    assert "上报数据包" not in body.split("<main", 1)[-1].split("</h1>", 1)[0]


def test_bulk_pack_filters_and_keeps_its_query_count(staff_client, q4):
    zone = ParkZoneFactory(name="东区")
    elsewhere = EnterpriseFactory()
    demo_figures(elsewhere, q4)

    def add(n):
        for _ in range(n):
            demo_figures(EnterpriseFactory(zone=zone), q4)

    url = reverse("upstream:bulk") + f"?form=torch-gq002-2022&year={YEAR}&zone={zone.pk}"
    add(2)
    few = count_queries(lambda: staff_client.get(url))
    add(6)
    responses = []
    many = count_queries(lambda: responses.append(staff_client.get(url)))
    assert many == few
    book = read_book(responses[0].content)
    codes = [c.value for c in book["GQ-002 企业经济概况"][2][4:]]
    assert len(codes) == 8 and elsewhere.credit_code not in codes
    assert staff_client.get(reverse("upstream:bulk")).status_code == 200


def test_command_lists_and_exports(tmp_path, enterprise, other_enterprise, q4):
    demo_figures(enterprise, q4)
    out = io.StringIO()
    call_command("export_upstream", "--list", stdout=out)
    listing = out.getvalue()
    assert "torch-gq002-2022" in listing and "国统制〔2022〕11号" in listing
    assert "kexiao-info-2022" in listing
    for code, title in [
        ("torch-gq001-2022", "GQ-001 企业概况"),
        ("torch-gq003-2022", "GQ-003 企业人员概况"),
        ("torch-gq005-2022", "GQ-005 研究开发活动及相关情况"),
    ]:
        line = next(line for line in listing.splitlines() if line.startswith(code + "\t"))
        assert title in line and "国统制〔2022〕11号" in line
    target = tmp_path / "gq002.xlsx"
    call_command(
        "export_upstream",
        "--form",
        "torch-gq002-2022",
        "--year",
        str(YEAR),
        "--enterprise",
        enterprise.credit_code.lower(),
        "--output",
        str(target),
        stdout=io.StringIO(),
    )
    sheet = read_book(target.read_bytes())["GQ-002 企业经济概况"]
    assert [c.value for c in sheet[2][4:]] == [enterprise.credit_code]
    assert sheet.cell(row=5, column=5).value == 30001  # qc05_0 营业收入 in 千元
    everyone = tmp_path / "all.xlsx"
    call_command(
        "export_upstream", "--form", "torch-gq003-2022", "--year", str(YEAR),
        "--output", str(everyone), stdout=io.StringIO(),
    )  # fmt: skip
    assert len(list(read_book(everyone.read_bytes())["GQ-003 企业人员概况"][2][4:])) == 2
    with pytest.raises(CommandError, match="No enterprise"):
        call_command(
            "export_upstream", "--form", "torch-gq002-2022", "--year", str(YEAR),
            "--enterprise", "91341523000000000X", "--output", str(target),
        )  # fmt: skip
    with pytest.raises(CommandError, match="Unknown form"):
        call_command(
            "export_upstream", "--form", "nope", "--year", str(YEAR), "--output", str(target)
        )
