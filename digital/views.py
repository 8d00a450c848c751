from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau import receipts
from bureau.access import BUREAU_ROLES, EDITOR_ROLES, enterprise_user_required, role_required
from bureau.concurrency import ensure_current
from bureau.roles import Role

from . import charts, exports, selectors, services
from .forms import (
    AssessmentFilter,
    DeliveryFilter,
    QuestionnaireForm,
    ReopenForm,
    ScoredAssessmentForm,
    VisitFilter,
)
from .models import (
    AssessmentStatus,
    DemoGroup,
    DemonstrationEnterprise,
    DemoParkProject,
    DiagnosticRound,
    ProvincialDemoApplication,
    ServiceDelivery,
)

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ANY_SIGNED_IN = (*BUREAU_ROLES, Role.ENTERPRISE_USER)


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return query.urlencode()


def _download(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= 2100:
        raise Http404
    return year


# --- Enterprise portal: the self-assessment ------------------------------------------------


@enterprise_user_required
def portal_assessments(request):
    """The enterprise's assessments, and a button to start (or continue) one."""
    enterprise = request.enterprise
    if request.method == "POST":
        assessment = services.start_assessment(enterprise=enterprise, user=request.user)
        return redirect("digital:portal_assessment_edit", assessment.pk)
    assessments = list(
        selectors.assessment_list_for_user(user=request.user).order_by("-assessed_on", "-pk")
    )
    draft = next((a for a in assessments if a.is_editable), None)
    return render(
        request,
        "digital/portal_assessments.html",
        {
            "enterprise": enterprise,
            "assessments": assessments,
            "draft": draft,
            "reminders": selectors.portal_reminders(enterprise),
        },
    )


def _grouped(form: QuestionnaireForm):
    """Dimensions with their questions' bound fields, for the template."""
    return [
        (d, [(q, form[f"q_{q.code}"]) for q in d.questions_list])
        for d in form.questionnaire.dimensions
    ]


def _scenario_groups(form):
    return [
        (group, [form[f"s_{s.code}"] for s in scenarios])
        for group, scenarios in form.questionnaire.scenario_groups()
    ]


@enterprise_user_required
def portal_assessment_edit(request, pk: int):
    assessment = selectors.assessment_get_for_user(user=request.user, pk=pk)
    if not assessment.is_editable:
        messages.info(request, _("该评测已提交，只能查看。"))
        return redirect("digital:assessment_detail", assessment.pk)
    q = selectors.questionnaire(assessment.version)
    form = QuestionnaireForm(request.POST or None, questionnaire=q, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "save")
        try:
            with transaction.atomic():
                ensure_current(assessment, form.submitted_token())
                if action == "submit":
                    services.submit_assessment(
                        assessment,
                        answers=form.answers(),
                        scenario_levels=form.scenario_levels(),
                        user=request.user,
                    )
                    messages.success(request, _("评测已提交，结果如下。"))
                    return redirect("digital:assessment_detail", assessment.pk)
                services.save_draft(
                    assessment,
                    answers=form.answers(),
                    scenario_levels=form.scenario_levels(),
                    user=request.user,
                )
                messages.success(request, _("草稿已保存，可随时回来继续填写。"))
                return redirect("digital:portal_assessment_edit", assessment.pk)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.add_service_errors(exc.message_dict)
            else:
                form.add_error(None, exc)
            if action == "submit":
                messages.error(request, _("还有未完成的题目，未提交。请补全下方标出的题目。"))
    left_questions, left_scenarios = selectors.unanswered_labels(q, assessment)
    return render(
        request,
        "digital/portal_assessment_edit.html",
        {
            "assessment": assessment,
            "form": form,
            "groups": _grouped(form),
            "scenario_groups": _scenario_groups(form),
            "left_questions": left_questions,
            "left_scenarios": left_scenarios,
            "n_left": len(left_questions) + len(left_scenarios),
            "total_items": len(q.questions) + len(q.scenarios),
        },
    )


# --- An assessment's result (enterprise users: their own; bureau: all) ------------------------


@role_required(*ANY_SIGNED_IN)
def assessment_detail(request, pk: int):
    assessment = selectors.assessment_get_for_user(user=request.user, pk=pk)
    q = selectors.questionnaire(assessment.version)
    axes = selectors.radar_axes(q)
    chart = None
    previous = None
    rows = []
    if assessment.status == AssessmentStatus.SUBMITTED:
        mine = selectors.axis_values(q, assessment.dimension_scores, assessment.scenario_levels)
        park = selectors.park_average(q, on=assessment.assessed_on)
        previous = selectors.previous_assessment(assessment)
        before: dict = {}
        if previous is not None and previous.version_id == assessment.version_id:
            before = selectors.axis_values(q, previous.dimension_scores, previous.scenario_levels)
        series = [
            charts.Series(_("本次评测"), [mine[c] for c, _l in axes], "#b3261e"),
            charts.Series(_("园区平均"), [park.get(c) for c, _l in axes], "#1d4f91", dashed=True),
        ]
        if before:
            label = _("上次评测（%(d)s）") % {"d": previous.assessed_on}
            series.append(
                charts.Series(label, [before[c] for c, _l in axes], "#687582", dashed=True)
            )
        chart = charts.radar_svg(
            [label for _c, label in axes], series, title=_("各维度得分率（%）")
        )
        rows = [(label, mine[c], park.get(c), before.get(c)) for c, label in axes]
    scores = [(d, assessment.dimension_scores.get(d.code)) for d in q.dimensions]
    scenario_rows = [(s, assessment.scenario_levels.get(s.code)) for s in q.scenarios]
    can_reopen = (
        request.user.role in EDITOR_ROLES
        and assessment.status == AssessmentStatus.SUBMITTED
        and assessment.source == "portal"
    )
    return render(
        request,
        "digital/assessment_detail.html",
        {
            "assessment": assessment,
            "chart": chart,
            "rows": rows,
            "scores": scores,
            "scenario_rows": scenario_rows,
            "previous": previous,
            "reopen_form": ReopenForm(lock_record=assessment) if can_reopen else None,
            "history": assessment.history.select_related("history_user").order_by("-history_date")[
                :20
            ]
            if request.user.role in BUREAU_ROLES
            else [],
            "is_enterprise": request.user.role is Role.ENTERPRISE_USER,
        },
    )


@role_required(*EDITOR_ROLES)
@require_POST
def assessment_reopen(request, pk: int):
    assessment = selectors.assessment_get_for_user(user=request.user, pk=pk)
    form = ReopenForm(request.POST, lock_record=assessment)
    if not form.is_valid():
        messages.error(request, _("请填写退回原因。"))
        return redirect("digital:assessment_detail", pk)
    try:
        with transaction.atomic():
            ensure_current(
                assessment,
                form.submitted_token(),
                next_url=reverse("digital:assessment_detail", args=[pk]),
            )
            services.reopen_assessment(
                assessment, user=request.user, reason=form.cleaned_data["reason"]
            )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已退回企业修改。"))
    return redirect("digital:assessment_detail", pk)


# --- Staff pages ----------------------------------------------------------------------------------


@role_required(*BUREAU_ROLES)
def assessment_list(request):
    qs = selectors.assessment_list_for_user(user=request.user).order_by("-assessed_on", "-pk")
    flt = AssessmentFilter(request.GET, queryset=qs)
    if request.GET.get("format") == "xlsx":
        q = selectors.questionnaire(selectors.current_version())
        headers = [
            _("企业名称"),
            _("统一社会信用代码"),
            _("评测日期"),
            _("来源"),
            _("评测机构/平台"),
            _("状态"),
            *[d.name for d in q.dimensions],
            _("总分"),
            _("等级"),
            _("问卷版本"),
        ]
        rows = exports.assessment_rows(flt.qs, [d.code for d in q.dimensions])
        return _download(exports.xlsx(_("数字化评测"), headers, rows), "digital-assessments.xlsx")
    page = Paginator(flt.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "digital/assessment_list.html",
        {
            "filter": flt,
            "page": page,
            "query": _query_without_page(request),
            "can_edit": request.user.role in EDITOR_ROLES,
        },
    )


@role_required(*EDITOR_ROLES)
def assessment_create(request):
    """Staff entry of an assessment made elsewhere (platform or on-site evaluation)."""
    q = selectors.questionnaire(selectors.current_version())
    form = ScoredAssessmentForm(request.POST or None, questionnaire=q)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.record_scored_assessment(
                enterprise=form.cleaned_data["enterprise"],
                version=q.version,
                source=form.cleaned_data["source"],
                assessed_on=form.cleaned_data["assessed_on"],
                dimension_scores=form.dimension_scores(),
                scenario_levels=form.scenario_levels(),
                evaluator=form.cleaned_data["evaluator"],
                external_ref=form.cleaned_data["external_ref"],
                user=request.user,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.add_service_errors(exc.message_dict)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("评测已录入。"))
            return redirect("digital:assessment_detail", assessment.pk)
    return render(request, "digital/assessment_form.html", {"form": form, "version": q.version})


@role_required(*BUREAU_ROLES)
def overview(request):
    """The leadership section: level distribution, share at 二级+, quarter trend, project."""
    year = _year(request)
    from . import metrics

    figures = metrics.figures(year)
    this_year = timezone.localdate().year
    return render(
        request,
        "digital/overview.html",
        {
            "section": selectors.dashboard_section(year),
            "year": year,
            "figures": figures,
            "years": range(this_year, this_year - 5, -1),
        },
    )


@role_required(*BUREAU_ROLES)
def round_list(request):
    rounds = list(selectors.round_list())
    assessed = selectors.round_assessed_counts(rounds)
    rows = [(r, assessed.get(r.pk, 0), r.n_due - assessed.get(r.pk, 0)) for r in rounds]
    return render(request, "digital/round_list.html", {"rows": rows})


@role_required(*BUREAU_ROLES)
def round_detail(request, pk: int):
    diagnostic_round = get_object_or_404(DiagnosticRound.objects.select_related("period"), pk=pk)
    rows = selectors.round_rows(diagnostic_round)
    done = sum(1 for r in rows if r.assessed)
    return render(
        request,
        "digital/round_detail.html",
        {"round": diagnostic_round, "rows": rows, "done": done, "left": len(rows) - done},
    )


@role_required(*BUREAU_ROLES)
def visit_list(request):
    qs = selectors.visit_list_for_user(user=request.user).order_by("-date", "-pk")
    flt = VisitFilter(request.GET, queryset=qs)
    if request.GET.get("format") == "xlsx":
        headers = [
            _("日期"),
            _("企业名称"),
            _("统一社会信用代码"),
            _("类型"),
            _("随行专家/服务商"),
            _("现状与问题"),
            _("建议"),
            _("跟进事项"),
            _("未完成事项"),
        ]
        return _download(
            exports.xlsx(_("调研诊断"), headers, exports.visit_rows(flt.qs)), "digital-visits.xlsx"
        )
    page = Paginator(flt.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "digital/visit_list.html",
        {"filter": flt, "page": page, "query": _query_without_page(request)},
    )


@role_required(*BUREAU_ROLES)
def visit_detail(request, pk: int):
    visit = selectors.visit_get_for_user(user=request.user, pk=pk)
    return render(request, "digital/visit_detail.html", {"visit": visit})


@role_required(*BUREAU_ROLES)
def delivery_list(request):
    qs = ServiceDelivery.objects.select_related("enterprise", "package").order_by(
        "-delivered_on", "-pk"
    )
    flt = DeliveryFilter(request.GET, queryset=qs)
    if request.GET.get("format") == "xlsx":
        headers = [
            _("交付日期"),
            _("企业名称"),
            _("统一社会信用代码"),
            _("服务包"),
            _("类别"),
            _("实施服务商"),
            _("备注"),
        ]
        return _download(
            exports.xlsx(_("服务包交付"), headers, exports.delivery_rows(flt.qs)),
            "digital-deliveries.xlsx",
        )
    page = Paginator(flt.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "digital/delivery_list.html",
        {"filter": flt, "page": page, "query": _query_without_page(request)},
    )


@role_required(*BUREAU_ROLES)
def project_list(request):
    projects = list(DemoParkProject.objects.order_by("-approved_year", "name"))
    if len(projects) == 1:
        return redirect(projects[0].get_absolute_url())
    return render(request, "digital/project_list.html", {"projects": projects})


@role_required(*BUREAU_ROLES)
def project_detail(request, pk: int):
    project = get_object_or_404(DemoParkProject, pk=pk)
    progress = selectors.project_progress(project)
    return render(request, "digital/project_detail.html", {"progress": progress})


@role_required(*BUREAU_ROLES)
def demonstrations(request):
    year = _year(request)
    demos = list(
        DemonstrationEnterprise.objects.filter(year=year)
        .select_related("enterprise", "project")
        .order_by("group", "enterprise__name")
    )
    groups = [(g, [d for d in demos if d.group == g.value]) for g in DemoGroup]
    applications = ProvincialDemoApplication.objects.select_related("enterprise").order_by(
        "-batch_year", "enterprise__name"
    )
    counts = applications.aggregate(
        approved=Count("id", filter=Q(status="approved", batch_year=year)),
    )
    this_year = timezone.localdate().year
    return render(
        request,
        "digital/demonstrations.html",
        {
            "year": year,
            "years": range(this_year, this_year - 5, -1),
            "groups": groups,
            "applications": applications,
            "approved": counts["approved"],
        },
    )


@role_required(*BUREAU_ROLES)
def application_detail(request, pk: int):
    application = get_object_or_404(
        ProvincialDemoApplication.objects.select_related("enterprise"), pk=pk
    )
    return render(request, "digital/application_detail.html", {"application": application})


@enterprise_user_required
def portal_assessment_receipt(request, pk: int):
    assessment = selectors.assessment_get_for_user(user=request.user, pk=pk)
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise Http404  # a draft has not been filed
    receipt = receipts.Receipt(
        title=_("数字化水平自评"),
        reference=receipts.reference_number(
            receipts.ASSESSMENT, assessment.submitted_at, assessment.pk
        ),
        enterprise=assessment.enterprise.name,
        credit_code=assessment.enterprise.credit_code,
        filed_at=assessment.submitted_at,
        filed_by=receipts.person(assessment.submitted_by),
        status=assessment.get_status_display(),
        rows=[
            (_("诊断季度"), receipts.text(assessment.period)),
            (_("问卷版本"), str(assessment.version)),
            (_("评测日期"), receipts.text(assessment.assessed_on)),
            (_("答题数"), str(len(assessment.answers or {}))),
            (_("总分"), receipts.text(assessment.total_score)),
            (_("数字化等级"), receipts.text(assessment.get_level_display())),
        ],
        back_url=reverse("digital:assessment_detail", args=[assessment.pk]),
    )
    return render(
        request, "portal/receipt.html", {"receipt": receipt, "printed_at": timezone.now()}
    )
