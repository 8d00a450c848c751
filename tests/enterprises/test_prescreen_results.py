"""Pre-screening results kept as data (enterprises.prescreening): the same answers as the rules
run in Python, kept fresh when facts, kinds or rules change, and the lists read them in SQL."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
import tablib
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from bureau.importing import run_import
from enterprises import eligibility, prescreening, selectors
from enterprises.imports import AnnualFiguresResource
from enterprises.models import Enterprise, PrescreenResult, QualificationKind, SizeClass
from tests.enterprises.factories import ApprovedQualificationFactory, InnovationProfileFactory, kind
from tests.factories import AnnualFiguresFactory, EnterpriseFactory, ParkZoneFactory

pytestmark = pytest.mark.django_db

KINDS = [
    "tech_sme",
    "tech_innovative_sme",
    "hitech",
    "innovative_sme",
    "specialised_sme",
    "little_giant",
    "strategic_emerging",
]


def varied(n: int = 12) -> list[Enterprise]:
    """Enterprises that land in every outcome: sizes, missing years, strong and weak figures,
    innovation profiles, held titles; one inactive."""
    zones = [ParkZoneFactory(name="光电园"), ParkZoneFactory(name="智造园")]
    sizes = [SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM, SizeClass.LARGE]
    firms = []
    for i in range(n):
        e = EnterpriseFactory(
            zone=zones[i % 2],
            size_class=sizes[i % 4],
            industry_division=["39", "65", "13"][i % 3],
            strategic_industry=["", "next_gen_it"][i % 2] if i % 5 else "",
            established_on=datetime.date(2010 + i, 3, 1),
            name=f"安徽预筛样本{i:02d}有限公司",
        )
        years = (2023, 2024, 2025) if i % 4 else (2025,)
        for year in years:
            scale = Decimal(1 + i) * (Decimal("1.3") ** (year - 2023))
            AnnualFiguresFactory(
                enterprise=e,
                year=year,
                revenue=Decimal("5000000") * scale,
                main_business_revenue=Decimal("4600000") * scale,
                rd_expense=Decimal("400000") * scale if i % 3 else Decimal("10000"),
                hitech_product_revenue=Decimal("3000000") * scale if i % 2 else None,
                employees=40 + 10 * i,
                tech_staff=(8 + 3 * i) if i % 6 else 1,
                rd_staff=5 + i,
                invention_patents=i % 4,
                utility_models=i % 7,
                software_copyrights=2,
            )
        if i % 3 == 0:
            InnovationProfileFactory(
                enterprise=e, niche_since_year=2012 + i, digital_level=2 + i % 3
            )
        firms.append(e)
    ApprovedQualificationFactory(enterprise=firms[1], kind=kind("hitech"), valid_to=None)
    ApprovedQualificationFactory(
        enterprise=firms[2], kind=kind("innovative_sme"), level="provincial",
        valid_from=datetime.date(2025, 1, 1), valid_to=datetime.date(2027, 12, 31),
    )  # fmt: skip
    firms[-1].is_active = False
    firms[-1].save()
    return firms


def old_rows(code: str, day: datetime.date) -> list[tuple]:
    """What the in-Python path (selectors.prescreen) showed, in order."""
    rows = selectors.prescreen(kind(code), Enterprise.objects.filter(is_active=True), day)
    return [
        (
            r.enterprise.pk,
            r.assessment.outcome.value,
            r.assessment.score,
            r.assessment.score_max,
            r.tier.code if r.tier else "",
            [(str(x.label), str(x.value), str(x.threshold)) for x in r.assessment.failed],
            list(r.assessment.missing),
            [str(x.label) for x in r.assessment.rules if x.status == "manual" and x.counts],
        )
        for r in rows
    ]


def kept_rows(code: str, user) -> list[tuple]:
    qs = selectors.prescreen_results_for_user(
        user=user, kind=kind(code), rule_set=eligibility.rule_set_for(timezone.localdate()).version
    )
    return [
        (
            r.enterprise_id,
            r.outcome,
            r.score,
            r.score_max,
            r.tier_code,
            [tuple(x) for x in r.failed_reasons],
            r.missing_names,
            r.manual_labels,
        )
        for r in qs
    ]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- Same answers as the rules in Python --------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_kept_results_equal_the_in_python_prescreen_for_every_kind(staff_user, language):
    varied()
    prescreening.refresh_all()
    day = timezone.localdate()
    outcomes = set()
    with translation.override(language):
        for code in KINDS:
            old = old_rows(code, day)
            assert old, code
            assert kept_rows(code, staff_user) == old, code
            outcomes |= {row[1] for row in old}
    # The sample reaches more than one outcome, so the comparison means something.
    assert len(outcomes) >= 3


def test_results_are_kept_per_enterprise_kind_and_rule_set(staff_user):
    varied(4)
    prescreening.refresh_all()
    active = Enterprise.objects.filter(is_active=True).count()
    assert PrescreenResult.objects.count() == active * len(KINDS)
    prescreening.refresh_all()  # idempotent: the same rows, updated in place
    assert PrescreenResult.objects.count() == active * len(KINDS)
    row = PrescreenResult.objects.filter(kind=kind("hitech")).first()
    assert row.rule_set == "2026" and row.computed_at is not None
    assert set(row.conditions) == {"pass", "fail", "unknown", "manual"}
    assert set(row.reasons) == {"zh-hans", "en"}


# --- Kept fresh ---------------------------------------------------------------------------------


def test_a_change_to_annual_figures_recomputes_that_enterprise(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):  # the set-up, committed
        firm = EnterpriseFactory(name="安徽变更测试有限公司")
        figures = [AnnualFiguresFactory(enterprise=firm, year=y) for y in (2023, 2024, 2025)]
        other = EnterpriseFactory(name="安徽旁观测试有限公司")
    prescreening.refresh_all()
    before = PrescreenResult.objects.get(enterprise=firm, kind=kind("tech_sme"))
    untouched = PrescreenResult.objects.get(enterprise=other, kind=kind("tech_sme"))
    assert "H2a" in before.conditions["pass"]  # 职工总数 <= 500: 120
    with django_capture_on_commit_callbacks(execute=True):
        figures[2].employees = 600
        figures[2].save()
    after = PrescreenResult.objects.get(enterprise=firm, kind=kind("tech_sme"))
    assert after.outcome == "not_eligible" and "H2a" in after.conditions["fail"]
    assert ["职工总数", "600人", "<= 500人"] in after.failed_reasons
    assert after.computed_at > before.computed_at
    assert PrescreenResult.objects.get(pk=untouched.pk).computed_at == untouched.computed_at


def test_a_new_qualification_takes_the_enterprise_off_that_kinds_list(
    staff_client, django_capture_on_commit_callbacks
):
    firm = EnterpriseFactory()
    for year in (2023, 2024, 2025):
        AnnualFiguresFactory(enterprise=firm, year=year)
    prescreening.refresh_all()
    url = reverse("enterprises:prescreen", args=["hitech"])
    assert [r.enterprise for r in staff_client.get(url).context["page"]] == [firm]
    with django_capture_on_commit_callbacks(execute=True):
        ApprovedQualificationFactory(enterprise=firm, kind=kind("hitech"), valid_to=None)
    assert list(staff_client.get(url).context["page"]) == []
    tech = PrescreenResult.objects.get(enterprise=firm, kind=kind("tech_sme"))
    assert tech.holds_kind is False and tech.tier_code == ""  # 高企 is not a ladder rank


def test_an_enterprise_leaving_the_register_loses_its_results(django_capture_on_commit_callbacks):
    firm = EnterpriseFactory()
    prescreening.refresh_all()
    assert PrescreenResult.objects.filter(enterprise=firm).count() == len(KINDS)
    with django_capture_on_commit_callbacks(execute=True):
        firm.is_active = False
        firm.save()
    assert not PrescreenResult.objects.filter(enterprise=firm).exists()


def test_an_import_of_annual_figures_recomputes_the_enterprises_in_the_file(
    django_capture_on_commit_callbacks,
):
    firm = EnterpriseFactory()
    for year in (2023, 2024):
        AnnualFiguresFactory(enterprise=firm, year=year)
    prescreening.refresh_all()
    before = PrescreenResult.objects.get(enterprise=firm, kind=kind("tech_sme"))
    assert before.outcome == "cannot_tell"  # no 2025 figures
    headers = [f.column_name for f in AnnualFiguresResource().get_import_fields()]
    values = {
        "统一社会信用代码": firm.credit_code,
        "年度": 2025,
        "营业收入（元）": 30000000,
        "研发费用（元）": 2000000,
        "成本费用总额（元）": 26000000,
        "从业人员（人）": 600,
        "科技人员（人）": 60,
    }
    data = tablib.Dataset([values.get(h, "") for h in headers], headers=headers)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_import(AnnualFiguresResource(), data, dry_run=False).ok
    after = PrescreenResult.objects.get(enterprise=firm, kind=kind("tech_sme"))
    assert after.computed_at > before.computed_at
    assert after.outcome == "not_eligible"


def test_an_import_queues_one_refresh_for_the_whole_file(
    django_capture_on_commit_callbacks, monkeypatch
):
    firms = EnterpriseFactory.create_batch(3)
    headers = [f.column_name for f in AnnualFiguresResource().get_import_fields()]
    data = tablib.Dataset(headers=headers)
    for firm in firms:
        values = {"统一社会信用代码": firm.credit_code, "年度": 2025, "从业人员（人）": 10}
        data.append([values.get(h, "") for h in headers])
    queued = []
    monkeypatch.setattr(prescreening, "_queue", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_import(AnnualFiguresResource(), data, dry_run=False).ok
    assert queued == [sorted(f.pk for f in firms)]  # one refresh, not one per row saved


def test_a_bulk_delete_queues_one_refresh_for_the_transaction(
    django_capture_on_commit_callbacks, monkeypatch
):
    """A delete of many enterprises sends a post_delete per row and per cascaded row (their
    figures, qualifications): each used to queue its own refresh (20,000 deleted enterprises
    ran or queued over 20,000 refreshes); one transaction queues one."""
    firms = EnterpriseFactory.create_batch(6)
    for firm in firms:
        AnnualFiguresFactory(enterprise=firm, year=2024)
    queued = []
    monkeypatch.setattr(prescreening, "_queue", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        Enterprise.objects.filter(pk__in=[f.pk for f in firms]).delete()
    assert queued == [sorted(f.pk for f in firms)]


def test_a_rolled_back_savepoint_does_not_stop_later_changes_from_queuing(
    django_capture_on_commit_callbacks, monkeypatch
):
    from django.db import transaction

    kept, dropped = EnterpriseFactory(), EnterpriseFactory()
    queued = []
    monkeypatch.setattr(prescreening, "_queue", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                prescreening.note_changed([dropped.pk])
                raise RuntimeError("the savepoint rolls back")
        except RuntimeError:
            pass
        prescreening.note_changed([kept.pk])
    # One refresh; the rolled-back id may ride along (recomputing it changes nothing).
    assert len(queued) == 1 and kept.pk in queued[0]


def test_a_preview_import_recomputes_nothing(django_capture_on_commit_callbacks):
    firm = EnterpriseFactory()
    prescreening.refresh_all()
    before = PrescreenResult.objects.get(enterprise=firm, kind=kind("tech_sme"))
    headers = [f.column_name for f in AnnualFiguresResource().get_import_fields()]
    values = {"统一社会信用代码": firm.credit_code, "年度": 2025, "从业人员（人）": 10}
    data = tablib.Dataset([values.get(h, "") for h in headers], headers=headers)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run_import(AnnualFiguresResource(), data, dry_run=True)
    assert callbacks == []
    assert PrescreenResult.objects.get(pk=before.pk).computed_at == before.computed_at


def test_a_change_of_the_rules_recomputes_when_the_list_is_opened(staff_client, monkeypatch):
    firm = EnterpriseFactory()
    prescreening.refresh_all()
    old = PrescreenResult.objects.get(enterprise=firm, kind=kind("hitech"))
    # A deploy with different rule code: the kept results carry the old digest.
    monkeypatch.setattr(prescreening, "_rules_source_digest", lambda: "rules-v2")
    response = staff_client.get(reverse("enterprises:prescreen", args=["hitech"]))
    assert response.context["stale"] is True  # shown as being recomputed ...
    new = PrescreenResult.objects.get(enterprise=firm, kind=kind("hitech"))
    # ... and recomputed (no broker: in process) with the new digest.
    assert new.rules_digest == prescreening.rules_digest(selectors.ladder_kinds())
    assert new.rules_digest != old.rules_digest and new.computed_at > old.computed_at
    again = staff_client.get(reverse("enterprises:prescreen", args=["hitech"]))
    assert again.context["stale"] is False


def test_a_change_of_a_kinds_ladder_rank_recomputes_everyone(django_capture_on_commit_callbacks):
    firm = EnterpriseFactory()
    ApprovedQualificationFactory(enterprise=firm, kind=kind("hitech"), valid_to=None)
    prescreening.refresh_all()
    assert PrescreenResult.objects.get(enterprise=firm, kind=kind("tech_sme")).tier_code == ""
    hitech = kind("hitech")
    with django_capture_on_commit_callbacks(execute=True):
        hitech.ladder_rank = 9
        hitech.save()
    assert PrescreenResult.objects.get(enterprise=firm, kind=kind("tech_sme")).tier_code == "hitech"


def test_a_new_rule_set_in_force_replaces_the_old_sets_results():
    firm = EnterpriseFactory()
    prescreening.refresh_all(day=datetime.date(2026, 3, 1))
    assert set(PrescreenResult.objects.values_list("rule_set", flat=True)) == {"2022"}
    # 2022 measures had no 科技和创新型 tier.
    assert not PrescreenResult.objects.filter(kind=kind("tech_innovative_sme")).exists()
    prescreening.refresh_all()
    assert set(PrescreenResult.objects.values_list("rule_set", flat=True)) == {"2026"}
    assert PrescreenResult.objects.filter(enterprise=firm).count() == len(KINDS)


def test_a_fresh_database_queues_the_refresh_instead_of_computing(staff_client, monkeypatch):
    from enterprises import tasks

    EnterpriseFactory.create_batch(3)
    queued = []
    monkeypatch.setattr(tasks.refresh_prescreen_all, "delay", lambda *a: queued.append(a))
    prescreening.clear_refresh_state()
    url = reverse("enterprises:prescreen", args=["hitech"])
    response = staff_client.get(url)
    page = response.content.decode()
    assert "当前规则下尚未计算预审结果" in page and "已排队重新计算" in page
    assert not PrescreenResult.objects.exists()
    staff_client.get(url)
    assert len(queued) == 1  # one refresh queued, not one per view
    prescreening.set_progress(1000, 3000)
    assert "已完成 1000 / 3000 家" in staff_client.get(url).content.decode()
    prescreening.clear_refresh_state()


def test_staff_can_ask_for_a_refresh_and_leadership_cannot(staff_client, leader_client):
    firm = EnterpriseFactory()
    url = reverse("enterprises:prescreen", args=["hitech"])
    assert leader_client.post(url, {"action": "refresh"}).status_code == 403
    response = staff_client.post(url, {"action": "refresh", "query": "outcome=eligible"})
    assert response.status_code == 302 and response["Location"].endswith("?outcome=eligible")
    assert PrescreenResult.objects.filter(enterprise=firm).count() == len(KINDS)


def test_the_command_refreshes_one_kind_or_all():
    EnterpriseFactory.create_batch(2)
    out = io.StringIO()
    call_command("prescreen_refresh", "--kind", "hitech", stdout=out)
    assert set(PrescreenResult.objects.values_list("kind__code", flat=True)) == {"hitech"}
    call_command("prescreen_refresh", stdout=out)
    assert PrescreenResult.objects.count() == 2 * len(KINDS)
    assert "预审结果已更新" in out.getvalue()


def test_nightly_beat_runs_the_full_refresh():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["prescreen-nightly"]
    assert entry["task"] == "enterprises.tasks.refresh_prescreen_all"
    from enterprises import tasks

    EnterpriseFactory()
    assert tasks.refresh_prescreen_all.delay().get() == len(KINDS)


# --- The list page: SQL, not Python --------------------------------------------------------------


@pytest.mark.parametrize("n", [5, 50])
def test_page_query_count_does_not_grow_with_rows(staff_client, django_assert_max_num_queries, n):
    zone = ParkZoneFactory(name="光电园")
    for _ in range(n):
        e = EnterpriseFactory(zone=zone)
        AnnualFiguresFactory(enterprise=e, year=2025)
    prescreening.refresh_all()
    url = reverse("enterprises:prescreen", args=["tech_sme"])
    # session + user + groups; kind; kinds; when computed; count; the page's enterprise ids;
    # their rows (enterprise and zone joined); zones for the filter form; session save (3).
    with django_assert_max_num_queries(13):
        response = staff_client.get(url, {"zone": zone.pk, "outcome": "not_eligible"})
    assert response.status_code == 200
    with django_assert_max_num_queries(13):
        staff_client.get(url, {"page": 2, "sort": "-score"})


def test_filters_and_sort_run_in_sql(staff_client, staff_user):
    firms = varied()
    prescreening.refresh_all()
    url = reverse("enterprises:prescreen", args=["specialised_sme"])
    zone = firms[0].zone
    with CaptureQueriesContext(connection) as ctx:
        rows = list(staff_client.get(url, {"zone": zone.pk, "size_class": "micro"}).context["page"])
    sql = "\n".join(q["sql"] for q in ctx.captured_queries)
    assert "enterprises_annualfigures" not in sql  # no facts built per request
    assert "ORDER BY" in sql and "LIMIT" in sql
    expected = {
        e.pk for e in firms if e.is_active and e.zone_id == zone.pk and e.size_class == "micro"
    }
    assert {r.enterprise_id for r in rows} == expected and expected
    # tier: only firms[2] holds 创新型; "none" is everyone else (firms[1] holds 高企, off-ladder)
    tier = staff_client.get(url, {"tier": "innovative_sme"}).context["page"]
    assert [r.enterprise for r in tier] == [firms[2]]
    none = staff_client.get(url, {"tier": "none"}).context["page"]
    assert firms[2].pk not in {r.enterprise_id for r in none}
    # outcome
    eligible = staff_client.get(url, {"outcome": "not_eligible"}).context["page"]
    assert eligible and all(r.outcome == "not_eligible" for r in eligible)
    # sorts
    by_name = [r.enterprise_name for r in staff_client.get(url, {"sort": "name"}).context["page"]]
    assert by_name == sorted(by_name)
    by_score = [r.sort_score for r in staff_client.get(url, {"sort": "-score"}).context["page"]]
    assert by_score == sorted(by_score, reverse=True)
    ranked = staff_client.get(url).context["page"]
    assert [r.enterprise_id for r in ranked] == [
        r[0] for r in old_rows("specialised_sme", timezone.localdate())
    ]


def test_page_shows_when_results_were_computed(staff_client, leader_client):
    EnterpriseFactory()
    prescreening.refresh_all()
    computed = PrescreenResult.objects.first().computed_at
    stamp = timezone.localtime(computed).strftime("%Y-%m-%d %H:%M")
    page = leader_client.get(reverse("enterprises:prescreen", args=["hitech"])).content.decode()
    assert f"预审结果计算于 {stamp}" in page
    assert "重新计算预审结果" not in page  # leadership reads only
    assert (
        "重新计算预审结果"
        in staff_client.get(reverse("enterprises:prescreen", args=["hitech"])).content.decode()
    )
    with translation.override("en"):
        english = staff_client.get(
            reverse("enterprises:prescreen", args=["hitech"]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    assert "Pre-screening results computed at" in english


@pytest.mark.parametrize("code", KINDS)
def test_export_has_the_same_rows_as_the_page(staff_client, code):
    varied(9)
    prescreening.refresh_all()
    url = reverse("enterprises:prescreen", args=[code])
    params = {"size_class": "", "sort": ""}
    page = staff_client.get(url, params).context["page"]
    response = staff_client.get(url, {**params, "export": "xlsx"})
    assert response.streaming  # streamed from a temporary file, not built in memory
    sheet = openpyxl.load_workbook(io.BytesIO(body(response)), read_only=True).active
    rows = list(sheet.values)
    assert rows[1][:3] == ("排名", "企业名称", "统一社会信用代码")
    exported = [(r[0], r[1], r[2], r[6]) for r in rows[2:]]
    shown = [
        (n, r.enterprise.name, r.enterprise.credit_code, r.get_outcome_display())
        for n, r in enumerate(page, start=1)
    ]
    assert exported == shown and shown


def test_export_follows_the_filters(staff_client):
    firms = varied(8)
    prescreening.refresh_all()
    url = reverse("enterprises:prescreen", args=["hitech"])
    response = staff_client.get(url, {"zone": firms[0].zone_id, "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(body(response)), read_only=True).active
    names = {r[1] for r in list(sheet.values)[2:]}
    assert names == {
        e.name for e in firms if e.zone_id == firms[0].zone_id and e.is_active and e != firms[1]
    }


# --- Who may see them ----------------------------------------------------------------------------


def test_enterprise_users_cannot_open_the_lists_or_their_exports(
    enterprise_client, outsider_client, client, enterprise
):
    prescreening.refresh_all()
    for code in ("hitech", "tech_sme"):
        url = reverse("enterprises:prescreen", args=[code])
        assert enterprise_client.get(url).status_code == 403
        assert enterprise_client.get(url, {"export": "xlsx"}).status_code == 403
        assert outsider_client.get(url).status_code == 403
        assert client.get(url).status_code == 302  # to the login page


def test_results_selector_gives_enterprise_users_nothing(enterprise_user, enterprise):
    prescreening.refresh_all()
    qs = selectors.prescreen_results_for_user(
        user=enterprise_user, kind=kind("hitech"), rule_set="2026"
    )
    assert PrescreenResult.objects.filter(enterprise=enterprise).exists() and not qs.exists()


def test_unknown_kind_is_404(staff_client):
    assert staff_client.get(reverse("enterprises:prescreen", args=["nope"])).status_code == 404
    QualificationKind.objects.filter(code="hitech").update(is_active=False)
    assert staff_client.get(reverse("enterprises:prescreen", args=["hitech"])).status_code == 404
