from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau import receipts, spreadsheets
from bureau.access import BUREAU_ROLES, EDITOR_ROLES, enterprise_user_required, role_required
from bureau.casework import portal_items as collect_portal_items
from bureau.concurrency import ensure_current
from bureau.models import ApplicationStatus, PeriodStatus, ReportingPeriod
from bureau.reminders import portal_reminders, profile_parts
from notifications import events
from upstream.gate import Gate

from . import eligibility, exports, prescreening, selectors, services, tasks
from .filters import EnterpriseFilter, PrescreenResultFilter, QualificationFilter
from .forms import (
    AnnualFiguresForm,
    CandidatesForm,
    EnterpriseProfileForm,
    QuarterlyFiguresForm,
    TransitionForm,
)
from .models import AnnualFigures, Enterprise, QualificationKind, QuarterlyFigures

PAGE_SIZE = 50


@role_required(*BUREAU_ROLES)
def enterprise_list(request):
    qs = selectors.enterprise_list_for_user(user=request.user)
    flt = EnterpriseFilter(request.GET, queryset=qs)
    page = Paginator(flt.qs.order_by("name"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "enterprises/enterprise_list.html",
        {"filter": flt, "page": page, "query": query.urlencode()},
    )


@role_required(*BUREAU_ROLES)
def enterprise_detail(request, pk: int):
    enterprise = selectors.enterprise_detail(user=request.user, pk=pk)
    qualifications = selectors.qualifications_with_timelines(enterprise)
    return render(
        request,
        "enterprises/enterprise_detail.html",
        {
            "profile_parts": profile_parts(enterprise, request),
            "enterprise": enterprise,
            "qualifications": qualifications,
            "ladder": selectors.enterprise_ladder(enterprise, timezone.localdate()),
            "trends": selectors.enterprise_trends(enterprise),
        },
    )


# --- Enterprise portal (企业填报) ---------------------------------------------------------------


@enterprise_user_required
def portal_home(request):
    enterprise = request.enterprise
    open_periods = list(ReportingPeriod.objects.open())
    filled = set(
        QuarterlyFigures.objects.filter(enterprise=enterprise, period__in=open_periods).values_list(
            "period_id", flat=True
        )
    )
    due = [p for p in open_periods if p.pk not in filled]
    last_year = timezone.localdate().year - 1
    has_annual = AnnualFigures.objects.filter(enterprise=enterprise, year=last_year).exists()
    activity_count = enterprise.activities.aggregate(n=Count("id"))["n"]
    ladder = selectors.enterprise_ladder(enterprise, timezone.localdate())
    return render(
        request,
        "enterprises/portal_home.html",
        {
            "reminders": portal_reminders(enterprise),
            "enterprise": enterprise,
            "due_periods": due,
            "last_year": last_year,
            "has_annual": has_annual,
            "activity_count": activity_count,
            "ladder": ladder,
            "qualifications": selectors.qualifications_with_timelines(enterprise),
        },
    )


@enterprise_user_required
def portal_profile(request):
    enterprise = request.enterprise
    form = EnterpriseProfileForm(request.POST or None, instance=enterprise)
    if request.method == "POST" and form.is_valid():
        events.submitted(form.save(), by=request.user)
        messages.success(request, _("企业信息已保存。"))
        return redirect("enterprises:portal_profile")
    return render(
        request, "enterprises/portal_profile.html", {"form": form, "enterprise": enterprise}
    )


@enterprise_user_required
def portal_quarterly(request):
    rows = selectors.quarterly_overview(enterprise=request.enterprise)
    return render(request, "enterprises/portal_quarterly.html", {"rows": rows})


@enterprise_user_required
def portal_quarterly_edit(request, period_id: int):
    period = get_object_or_404(ReportingPeriod, pk=period_id)
    instance = QuarterlyFigures.objects.filter(enterprise=request.enterprise, period=period).first()
    if instance is None:
        instance = QuarterlyFigures(enterprise=request.enterprise, period=period)
    if period.is_locked:
        # A locked period shows its values, not inputs; a POST (an old tab) changes nothing.
        form = QuarterlyFiguresForm(instance=instance)
        messages.warning(
            request,
            _("%(p)s已锁定，数据只能查看；如需更正，请联系局工作人员解锁。") % {"p": period},
        )
        return render(
            request,
            "enterprises/portal_quarterly_edit.html",
            {"form": form, "period": period, "read_only": True},
        )
    form = QuarterlyFiguresForm(request.POST or None, instance=instance)
    gate = Gate(
        enterprise=request.enterprise,
        year=period.year,
        quarter=period.quarter,
        data=request.POST if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid() and gate.check(form):
        form.instance.submitted_by = request.user
        with transaction.atomic():
            saved = form.save()
            waiting = gate.record(by=request.user)
        events.submitted(saved, by=request.user)
        messages.success(request, _("%(p)s数据已保存。") % {"p": period})
        _explained(request, waiting)
        return redirect("enterprises:portal_quarterly")
    if request.method != "POST":
        gate.show(instance)
    return render(
        request,
        "enterprises/portal_quarterly_edit.html",
        {"form": form, "period": period, "read_only": False, "gate": gate},
    )


@enterprise_user_required
def portal_annual(request):
    figures = AnnualFigures.objects.filter(enterprise=request.enterprise).order_by("-year")
    this_year = timezone.localdate().year
    years = sorted({this_year - 1, this_year - 2, *(f.year for f in figures)}, reverse=True)
    by_year = {f.year: f for f in figures}
    locked = set(
        ReportingPeriod.objects.filter(
            year__in=years, quarter=4, status=PeriodStatus.LOCKED
        ).values_list("year", flat=True)
    )
    return render(
        request,
        "enterprises/portal_annual.html",
        {"rows": [(y, by_year.get(y), y in locked) for y in years]},
    )


@enterprise_user_required
def portal_annual_edit(request, year: int):
    if not 2000 <= year <= timezone.localdate().year:
        raise Http404
    instance = AnnualFigures.objects.filter(enterprise=request.enterprise, year=year).first()
    if instance is None:
        instance = AnnualFigures(enterprise=request.enterprise, year=year)
    locking = instance.locking_period()
    if locking is not None and locking.is_locked:
        messages.warning(
            request,
            _("%(y)s年度数据已随%(p)s锁定，只能查看；如需更正，请联系局工作人员解锁。")
            % {"y": year, "p": locking},
        )
        return render(
            request,
            "enterprises/portal_annual_edit.html",
            {"form": AnnualFiguresForm(instance=instance), "year": year, "read_only": True},
        )
    form = AnnualFiguresForm(request.POST or None, instance=instance)
    gate = Gate(
        enterprise=request.enterprise,
        year=year,
        data=request.POST if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid() and gate.check(form):
        with transaction.atomic():
            saved = form.save()
            waiting = gate.record(by=request.user)
        events.submitted(saved, by=request.user)
        messages.success(request, _("%(y)s年度数据已保存。") % {"y": year})
        _explained(request, waiting)
        return redirect("enterprises:portal_annual")
    if request.method != "POST":
        gate.show(instance)
    return render(
        request,
        "enterprises/portal_annual_edit.html",
        {"form": form, "year": year, "read_only": False, "gate": gate},
    )


def _explained(request, waiting: int) -> None:
    """After a save: say that explanations went to the bureau for review (数据核查说明)."""
    if waiting:
        messages.info(
            request,
            _("已提交%(n)s项数据核查说明，局工作人员审核后会在“数据核查说明”中反馈。")
            % {"n": waiting},
        )


@enterprise_user_required
def portal_items(request):
    """我的事项: every need, demand, application and filing of the user's enterprise."""
    return render(
        request, "enterprises/portal_items.html", {"items": collect_portal_items(request.user)}
    )


def _figures_receipt(request, figures, *, title: str, prefix: str, filed_by, back_url: str):
    first, last = receipts.first_and_last_change(figures)
    filed_at = first.history_date if first is not None else figures.updated_at
    receipt = receipts.Receipt(
        title=title,
        reference=receipts.reference_number(prefix, filed_at, figures.pk),
        enterprise=figures.enterprise.name,
        credit_code=figures.enterprise.credit_code,
        filed_at=filed_at,
        filed_by=receipts.person(filed_by),
        status=_("已填报"),
        rows=receipts.field_rows(figures, skip=("year",)),
        updated_at=last.history_date if last is not None and last != first else None,
        back_url=back_url,
    )
    return render(
        request, "portal/receipt.html", {"receipt": receipt, "printed_at": timezone.now()}
    )


@enterprise_user_required
def portal_quarterly_receipt(request, period_id: int):
    figures = get_object_or_404(
        QuarterlyFigures.objects.select_related("enterprise", "period", "submitted_by"),
        enterprise=request.enterprise,
        period_id=period_id,
    )
    return _figures_receipt(
        request,
        figures,
        title=_("%(p)s数据填报") % {"p": figures.period},
        prefix=receipts.QUARTERLY,
        filed_by=figures.submitted_by,
        back_url=reverse("enterprises:portal_quarterly"),
    )


@enterprise_user_required
def portal_annual_receipt(request, year: int):
    figures = get_object_or_404(
        AnnualFigures.objects.select_related("enterprise"),
        enterprise=request.enterprise,
        year=year,
    )
    first = figures.history.select_related("history_user").order_by("history_id").first()
    return _figures_receipt(
        request,
        figures,
        title=_("%(y)s年度数据填报") % {"y": year},
        prefix=receipts.ANNUAL,
        filed_by=first.history_user if first is not None else None,
        back_url=reverse("enterprises:portal_annual"),
    )


# --- The tier ladder (梯次培育) ------------------------------------------------------------------

PRESCREEN_PAGE = 50


def _kind_with_rules(code: str) -> QualificationKind:
    kind = get_object_or_404(QualificationKind, code=code, is_active=True)
    if not kind.rule_family:
        raise Http404
    return kind


@role_required(*BUREAU_ROLES)
def prescreen(request, code: str):
    """All enterprises not yet holding the kind, ranked by their kept pre-screening results
    (enterprises.prescreening): filtered, sorted and paged in SQL; staff add candidates."""
    kind = _kind_with_rules(code)
    day = timezone.localdate()
    if request.method == "POST":
        if request.user.role not in EDITOR_ROLES:
            raise PermissionDenied
        if request.POST.get("action") == "refresh":
            if prescreening.queue_refresh_all():
                messages.success(request, _("已开始重新计算预审结果。"))
            else:
                messages.info(request, _("预审结果正在重新计算，请稍后刷新页面。"))
            return redirect(f"{request.path}?{request.POST.get('query', '')}")
        form = CandidatesForm(request.POST)
        if form.is_valid():
            created = services.add_candidates(
                kind=kind,
                enterprise_ids=[e.pk for e in form.cleaned_data["enterprises"]],
                batch_year=form.cleaned_data["batch_year"],
                by=request.user,
            )
            messages.success(
                request,
                _("已将 %(n)s 家企业加入%(kind)s培育对象。") % {"n": len(created), "kind": kind},
            )
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        return redirect(f"{request.path}?{request.POST.get('query', '')}")
    kinds = selectors.ladder_kinds()
    rule_set = eligibility.rule_set_for(day)
    stats = selectors.prescreen_stats(kind, rule_set.version)
    if stats["newest"] is None:
        # Nothing kept under the rule set in force (a fresh database, or a new rule set): the
        # refresh is queued (run here when there is no broker), never computed per request.
        prescreening.queue_refresh_all()
        stats = selectors.prescreen_stats(kind, rule_set.version)
    tier = request.GET.get("tier", "")
    outcome = request.GET.get("outcome", "")
    sort = request.GET.get("sort", "")
    flt = PrescreenResultFilter(
        request.GET,
        queryset=selectors.prescreen_results_for_user(
            user=request.user,
            kind=kind,
            rule_set=rule_set.version,
            tier=tier,
            outcome=outcome,
            sort=sort,
        ),
    )
    rows = selectors.prescreen_page_rows(flt.qs)
    if request.GET.get("export") == "xlsx":
        filename = f"{kind.short_name or kind.name}预审名单-{day:%Y%m%d}.xlsx"
        return FileResponse(
            exports.prescreen_results_workbook(kind, rows, rule_set.name),
            as_attachment=True,
            filename=filename,
            content_type=spreadsheets.XLSX_CONTENT_TYPE,
        )
    # Paged on the ranking index alone (enterprise ids: kind and rule set are fixed), then the
    # page's full rows fetched by id and put in order here: sorting whole rows (their reasons)
    # would read every row up to the page's offset.
    page = Paginator(flt.qs.values_list("enterprise_id", flat=True), PRESCREEN_PAGE).get_page(
        request.GET.get("page")
    )
    ids = list(page.object_list)
    position = {enterprise_id: n for n, enterprise_id in enumerate(ids)}
    page.object_list = sorted(
        rows.filter(enterprise_id__in=ids).order_by(), key=lambda r: position[r.enterprise_id]
    )
    by_code = {k.code: k for k in kinds}
    digest = prescreening.rules_digest(kinds)
    stale = False
    for row in page:
        row.tier = by_code.get(row.tier_code)
        stale = stale or row.rules_digest != digest
    if stale:
        # The rules or the kinds' set-up changed since these were computed.
        prescreening.queue_refresh_all()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "enterprises/prescreen.html",
        {
            "kind": kind,
            "kinds": [k for k in kinds if k.rule_family],
            "tier_choices": [k for k in kinds if k.ladder_rank],
            "filter": flt,
            "tier": tier,
            "outcome": outcome,
            "outcomes": list(eligibility.Outcome),
            "sort": sort,
            "page": page,
            "total": page.paginator.count,
            "query": query.urlencode(),
            "rule_set": rule_set,
            "stats": stats,
            "stale": stale,
            "refreshing": prescreening.refresh_state(),
            "batch_year": day.year + 1 if day.month >= 10 else day.year,
            "can_edit": request.user.role in EDITOR_ROLES,
        },
    )


@role_required(*BUREAU_ROLES)
def pipeline_board(request):
    """For each kind, how many of the year's batch sit in each stage; each cell a link."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    kinds, counts = selectors.pipeline_board(year)
    statuses = list(ApplicationStatus)
    rows = [
        (kind, [(status, counts.get((kind.pk, status.value), 0)) for status in statuses])
        for kind in kinds
    ]
    return render(
        request,
        "enterprises/pipeline_board.html",
        {
            "year": year,
            "years": range(today.year + 1, today.year - 4, -1),
            "statuses": statuses,
            "rows": rows,
        },
    )


@role_required(*BUREAU_ROLES)
def qualification_list(request):
    qs = selectors.qualification_list_for_user(user=request.user).order_by(
        "-batch_year", "kind__order", "enterprise__name", "pk"
    )
    flt = QualificationFilter(request.GET, queryset=qs)
    page = Paginator(flt.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "enterprises/qualification_list.html",
        {"filter": flt, "page": page, "query": query.urlencode(), "today": timezone.localdate()},
    )


@role_required(*BUREAU_ROLES)
def qualification_detail(request, pk: int):
    qualification = selectors.qualification_get_for_user(user=request.user, pk=pk)
    can_edit = request.user.role in EDITOR_ROLES
    form = TransitionForm(request.POST or None, qualification=qualification)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                with transaction.atomic():
                    ensure_current(qualification, form.submitted_token())
                    services.move_qualification(
                        qualification,
                        form.cleaned_data["to_status"],
                        by=request.user,
                        remark=form.cleaned_data["remark"],
                        **form.transition_fields(),
                    )
            except ValidationError as exc:
                qualification.refresh_from_db()
                _add_errors(form, exc)
            else:
                messages.success(request, _("状态已变更。"))
                return redirect(qualification.get_absolute_url())
    return render(
        request,
        "enterprises/qualification_detail.html",
        {
            "q": qualification,
            "form": form if can_edit and form.fields["to_status"].choices else None,
            "transitions": qualification.transitions,
        },
    )


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@role_required(*EDITOR_ROLES)
def reminder_list(request):
    """Titles expiring within 180 days and tech-SME registrations not renewed this year."""
    day = timezone.localdate()
    lists = selectors.reminders(day)
    if request.GET.get("format") == "xlsx":
        expiring, not_renewed = list(lists["expiring"]), list(lists["not_renewed"])
        for q in expiring:
            q.days_left = (q.valid_to - day).days
        from notifications.exports import XLSX, reminders_xlsx

        response = HttpResponse(
            reminders_xlsx(day, expiring, not_renewed, user=request.user), content_type=XLSX
        )
        name = quote(_("资质提醒") + f"-{day:%Y%m%d}")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}.xlsx"
        response.export_rows = len(expiring) + len(not_renewed)
        from bureau.personal_data import can_view_personal_data

        if can_view_personal_data(request.user, Enterprise):
            from audit.services import record_personal_data

            record_personal_data(
                request=request,
                model=Enterprise._meta.label,
                ids=sorted({q.enterprise_id for q in expiring + not_renewed}),
                context="reminders_export",
                path=request.path,
            )
        return response
    # A province has thousands of each (5,016 expiring and 23,387 not renewed at 100,000
    # enterprises took 13 s as one page): each list is paged on its own; the export has all.
    expiring = Paginator(lists["expiring"], PAGE_SIZE).get_page(request.GET.get("page"))
    not_renewed = Paginator(lists["not_renewed"], PAGE_SIZE).get_page(request.GET.get("rpage"))
    for q in expiring:
        q.days_left = (q.valid_to - day).days

    def without(name: str) -> str:
        params = request.GET.copy()
        params.pop(name, None)
        return params.urlencode()

    return render(
        request,
        "enterprises/reminders.html",
        {
            "day": day,
            "expiring": expiring,
            "not_renewed": not_renewed,
            "expiring_query": without("page"),
            "renewal_query": without("rpage"),
            "digest": tasks.latest_digest(),
        },
    )


@enterprise_user_required
def portal_qualification(request, pk: int):
    qualification = selectors.qualification_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "enterprises/portal_qualification.html",
        {"q": qualification, "transitions": qualification.transitions},
    )


@role_required(*EDITOR_ROLES)
def enterprise_autocomplete(request):
    """JSON for the enterprise picker on staff forms: ?q= part of a name or credit code."""
    results = selectors.enterprise_search(
        term=request.GET.get("q", "")[:100], active_only=request.GET.get("active") == "1"
    )
    return JsonResponse({"results": results, "limit": selectors.PICKER_LIMIT})
