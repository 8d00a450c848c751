import difflib

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau.access import BUREAU_ROLES, EDITOR_ROLES, role_required
from bureau.concurrency import ensure_current, posted_token
from talent.selectors import can_view_personal_data

from . import jobs, services
from .document import build as build_document
from .filters import DashboardFilter, year_choices
from .forms import (
    ExportForm,
    NewTargetForm,
    ParagraphForm,
    PlanItemForm,
    RoundingForm,
    SummaryCreateForm,
    SummaryForm,
    WordTemplateForm,
)
from .models import (
    ACTIVE_EXPORT_STATUSES,
    AnnualSummary,
    ExportJob,
    ExportStatus,
    NarrativeParagraph,
    PlanItem,
    SummarySection,
    WordTemplate,
)
from .selectors import (
    cached_panels,
    collect,
    dashboard_data,
    dashboard_year,
    distinct_count,
    snapshot_values,
    summary_get,
    values_of,
)
from .word import DEFAULT_TEMPLATE


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def _quarter(request: HttpRequest) -> int | None:
    raw = request.GET.get("quarter") or ""
    if raw in {"1", "2", "3", "4"}:
        return int(raw)
    return None


# Stylesheets of the apps whose panels the dashboard shows.
PANEL_STYLES = ["incubation/incubation.css", "digital/digital.css"]


@role_required(*BUREAU_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    """KPI tiles against targets with year-on-year change, quarter trends, distributions."""
    params = request.GET.copy()
    fallback_from = None
    if not params.get("year"):
        # No year asked: the latest with data, not an empty current year.
        years = [y for y, _label in year_choices()]
        chosen, fell_back = dashboard_year(years)
        params["year"] = str(chosen)
        fallback_from = years[0] if fell_back else None
    flt = DashboardFilter(params)
    if not flt.is_valid():
        flt = DashboardFilter({"year": str(timezone.localdate().year)})
        flt.is_valid()
    year = int(flt.form.cleaned_data["year"])
    quarter = int(flt.form.cleaned_data.get("quarter") or 0) or None
    enterprises = flt.qs if flt.narrows else None
    data = dashboard_data(year, quarter, enterprises=enterprises, scope=flt.scope)
    query = request.GET.urlencode()
    return render(
        request,
        "reports/dashboard.html",
        {
            "data": data,
            "filter": flt,
            "year": year,
            "quarter": quarter,
            "query": query,
            "chart_data": {
                "trends": data.trends,
                "distributions": data.distributions,
                "labels": {"count": _("数量"), "money": _("万元"), "missing": _("暂无数据")},
            },
            # The apps' own panels (innovation carriers, digital transformation) are for the
            # whole zone: shown only when no zone or industry filter narrows the figures.
            "panels": [] if data.filtered else cached_panels(year, request),
            "panel_styles": PANEL_STYLES,
            "can_edit": request.user.role in EDITOR_ROLES,
            "fallback_from": fallback_from,
        },
    )


@role_required(*BUREAU_ROLES)
def figure_records(request: HttpRequest, key: str) -> HttpResponse:
    """The records behind one published figure (drill-down), with the dashboard's filters."""
    year = _year(request)
    quarter = _quarter(request)
    flt = DashboardFilter(request.GET)
    enterprises = flt.qs if flt.is_valid() and flt.narrows else None
    app_label = key.split(".", 1)[0]
    # Only this figure: under a filter each figure of the app would be recounted otherwise.
    figure = collect(year, quarter, enterprises=enterprises, apps=[app_label], keys=[key]).get(key)
    if figure is None or figure.records is None:
        raise Http404
    paginator = Paginator(figure.records, 50)
    if figure.records.query.distinct:
        # COUNT over the distinct ids, not COUNT(*) over a SELECT DISTINCT of every column.
        paginator.count = distinct_count(figure.records)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "reports/figure_records.html",
        {"figure": figure, "page": page, "year": year, "query": params.urlencode()},
    )


# --- The annual summary --------------------------------------------------------------------


@role_required(*BUREAU_ROLES)
def summary_list(request: HttpRequest) -> HttpResponse:
    summaries = AnnualSummary.objects.order_by("-year")
    form = SummaryCreateForm()
    return render(
        request,
        "reports/summary_list.html",
        {
            "summaries": summaries,
            "form": form,
            "can_edit": request.user.role in EDITOR_ROLES,
            "template": WordTemplate.objects.filter(is_active=True).first(),
        },
    )


@role_required(*EDITOR_ROLES)
@require_POST
def summary_create(request: HttpRequest) -> HttpResponse:
    form = SummaryCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("reports:summary_list")
    summary = services.ensure_summary(form.cleaned_data["year"])
    services.regenerate(summary)
    messages.success(request, _("已创建%(y)s年度工作总结并生成数据句。") % {"y": summary.year})
    return redirect("reports:summary_edit", year=summary.year)


def _preview_context(summary: AnnualSummary) -> dict:
    values = snapshot_values(summary)
    document = build_document(summary, values)
    # The document is Chinese whatever the reader's language: the live figures it is compared
    # with (and whose labels the page lists) are read in the default language too.
    with translation.override(settings.LANGUAGE_CODE):
        live = values_of(services.take_snapshot(summary.year))
    changed = [
        (values.get(k) or live[k], live.get(k))
        for k in sorted(set(values) | set(live))
        if (values[k].value if k in values else None) != (live[k].value if k in live else None)
    ]
    return {"summary": summary, "document": document, "changed": changed}


@role_required(*BUREAU_ROLES)
def summary_preview(request: HttpRequest, year: int) -> HttpResponse:
    """The whole document as it will export, each figure linked to its records."""
    summary = summary_get(year=year)
    context = _preview_context(summary)
    context["can_edit"] = request.user.role in EDITOR_ROLES
    context["exports"] = [
        (job, job.can_download(request.user))
        for job in summary.exports.select_related("requested_by")[:10]
    ]
    context["export_form"] = ExportForm()
    context["unmasks"] = can_view_personal_data(request.user)
    return render(request, "reports/summary_preview.html", context)


@role_required(*EDITOR_ROLES)
@require_POST
def summary_regenerate(request: HttpRequest, year: int) -> HttpResponse:
    summary = summary_get(year=year)
    services.ensure_summary(year)
    changed = services.regenerate(summary)
    offers = NarrativeParagraph.objects.filter(section__summary=summary).exclude(pending="")
    kept = offers.filter(deleted_at=None).count()
    deleted = offers.exclude(deleted_at=None).count()
    if changed:
        messages.success(
            request,
            _("已重新生成数据句，%(n)s项指标有变化；工作人员撰写的段落未改动。")
            % {"n": len(changed)},
        )
    else:
        messages.success(request, _("已重新生成数据句，指标无变化。"))
    if kept:
        messages.info(
            request,
            _("%(k)s段工作人员修改过的段落保留原文，新的起草稿附在旁边供选用。") % {"k": kept},
        )
    if deleted:
        messages.info(
            request,
            _("%(k)s段已删除的段落数据有变化，仍保持删除；新的起草稿附在编辑页供选用。")
            % {"k": deleted},
        )
    return redirect("reports:summary_preview", year=year)


@role_required(*EDITOR_ROLES)
def summary_edit(request: HttpRequest, year: int) -> HttpResponse:
    """Staff write the narrative: each section's paragraphs, the plan items, the title, and
    how the drafted counts are rounded."""
    summary = summary_get(year=year)
    form = SummaryForm(request.POST or None, instance=summary)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("标题已保存。"))
        return redirect("reports:summary_edit", year=year)
    return render(
        request,
        "reports/summary_edit.html",
        {
            "summary": summary,
            "form": form,
            "rounding_form": RoundingForm(summary=summary),
            "sections": summary.sections.all(),
            "plan_items": summary.plan_items.all(),
            "new_paragraph_form": ParagraphForm(),
        },
    )


@role_required(*EDITOR_ROLES)
@require_POST
def summary_rounding(request: HttpRequest, year: int) -> HttpResponse:
    """Save how each roundable count is written, then draft again so the text follows."""
    summary = summary_get(year=year)
    form = RoundingForm(request.POST, summary=summary)
    if form.is_valid():
        with transaction.atomic():
            ensure_current(summary, form.submitted_token(), next_url=_edit_url(year))
            summary.rounding = form.rounding()
            summary.save(update_fields=["rounding", "updated_at"])
        services.regenerate(summary)
        messages.success(request, _("数字写法已保存，数据句已重新生成。"))
    else:
        messages.error(request, _("数字写法无效。"))
    return redirect(f"{_edit_url(year)}#rounding")


@role_required(*EDITOR_ROLES)
@require_POST
def paragraph_add(request: HttpRequest, section_id: int) -> HttpResponse:
    section = get_object_or_404(SummarySection.objects.select_related("summary"), pk=section_id)
    form = ParagraphForm(request.POST)
    if form.is_valid():
        paragraph = form.save(commit=False)
        paragraph.section = section
        services.save_paragraph(paragraph, text=form.cleaned_data["text"], by=request.user)
        messages.success(request, _("段落已添加。"))
    else:
        messages.error(request, _("段落内容不能为空。"))
    return redirect(f"{_edit_url(section.summary.year)}#section-{section.code}")


def _edit_url(year: int) -> str:
    from django.urls import reverse

    return reverse("reports:summary_edit", args=[year])


@role_required(*EDITOR_ROLES)
def paragraph_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a paragraph; its history with each version's differences, restore a version, take
    or leave the new draft offered beside staff's text."""
    paragraph = get_object_or_404(
        NarrativeParagraph.objects.select_related("section__summary"), pk=pk
    )
    year = paragraph.section.summary.year
    back = f"{_edit_url(year)}#section-{paragraph.section.code}"
    form = ParagraphForm(request.POST or None, instance=paragraph)
    if request.method == "POST":
        # Deleting, taking the new draft, keeping staff's text and restoring a version each
        # replace what the page showed: from a page opened before another save, refused.
        if request.POST.get("delete"):
            with transaction.atomic():
                ensure_current(paragraph, posted_token(request))
                services.delete_paragraph(paragraph, by=request.user)
            messages.success(
                request, _("段落已删除，重新生成数据句时不会再加回（可在编辑页恢复）。")
            )
            return redirect("reports:summary_edit", year=year)
        if request.POST.get("undelete"):
            with transaction.atomic():
                ensure_current(paragraph, posted_token(request))
                services.restore_paragraph(paragraph, by=request.user)
            messages.success(request, _("段落已恢复。"))
            return redirect(back)
        if request.POST.get("accept_draft"):
            with transaction.atomic():
                ensure_current(paragraph, posted_token(request))
                services.accept_draft(paragraph, by=request.user)
            messages.success(request, _("已采用新的数据起草稿。"))
            return redirect(back)
        if request.POST.get("dismiss_draft"):
            with transaction.atomic():
                ensure_current(paragraph, posted_token(request))
                services.dismiss_draft(paragraph, by=request.user)
            messages.success(request, _("已保留工作人员撰写的文字。"))
            return redirect(back)
        if request.POST.get("restore"):
            try:
                with transaction.atomic():
                    ensure_current(paragraph, posted_token(request))
                    services.restore_version(
                        paragraph, int(request.POST["restore"]), by=request.user
                    )
            except (ValueError, paragraph.history.model.DoesNotExist):
                raise Http404 from None
            messages.success(request, _("已恢复所选版本。"))
            return redirect("reports:paragraph_edit", pk=paragraph.pk)
        if form.is_valid():
            with transaction.atomic():
                ensure_current(form.instance, form.submitted_token())
                services.save_paragraph(
                    form.instance, text=form.cleaned_data["text"], by=request.user
                )
            messages.success(request, _("段落已保存。"))
            return redirect(back)
    history = list(
        paragraph.history.select_related("history_user").order_by("history_date", "history_id")
    )
    versions = []
    previous = ""
    for version in history:
        versions.append({"version": version, "diff": text_diff(previous, version.text)})
        previous = version.text
    versions.reverse()
    return render(
        request,
        "reports/paragraph_form.html",
        {
            "form": form,
            "paragraph": paragraph,
            "versions": versions[:20],
            "pending_diff": text_diff(paragraph.text, paragraph.pending)
            if paragraph.pending
            else None,
        },
    )


def text_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The differences between two versions of a paragraph, character by character (Chinese
    has no spaces between words): (op, text) with op '=', '+' or '-'."""
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    result: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            result.append(("=", old[i1:i2]))
            continue
        if i2 > i1:
            result.append(("-", old[i1:i2]))
        if j2 > j1:
            result.append(("+", new[j1:j2]))
    return result


@role_required(*EDITOR_ROLES)
def plan_item_edit(request: HttpRequest, year: int, pk: int | None = None) -> HttpResponse:
    """Add or edit a plan item of section 四, tie it to next year's targets or create one."""
    summary = summary_get(year=year)
    item = get_object_or_404(PlanItem, pk=pk, summary=summary) if pk else PlanItem(summary=summary)
    form = PlanItemForm(request.POST or None, instance=item, summary=summary, prefix="item")
    target_form = NewTargetForm(
        request.POST if request.POST.get("new_target-figure_key") else None,
        year=year + 1,
        prefix="new_target",
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and (not target_form.is_bound or target_form.is_valid())
    ):
        with transaction.atomic():
            item = form.save()
            if target_form.is_bound:
                item.targets.add(target_form.save())
        messages.success(request, _("工作安排已保存。"))
        return redirect(f"{_edit_url(year)}#section-plan")
    return render(
        request,
        "reports/plan_item_form.html",
        {"summary": summary, "form": form, "target_form": target_form, "item": item},
    )


# --- Exports -------------------------------------------------------------------------------


@role_required(*BUREAU_ROLES)
@require_POST
def export_request(request: HttpRequest, year: int) -> HttpResponse:
    summary = get_object_or_404(AnnualSummary, year=year)
    form = ExportForm(request.POST)
    if not form.is_valid():
        raise Http404
    job, started = services.request_export(
        summary,
        form.cleaned_data["fmt"],
        by=request.user,
        appendix=form.cleaned_data["appendix"],
    )
    if not started:
        messages.info(request, _("该格式的导出正在进行中，请稍候。"))
    elif ExportJob.objects.filter(pk=job.pk, status=ExportStatus.FAILED).exists():
        # The broker refused the task (Redis down): the job is failed, not left pending.
        messages.error(request, _("导出服务暂不可用，导出未能开始。请稍后点击“重新导出”重试。"))
    return redirect("reports:export_status", pk=job.pk)


@role_required(*BUREAU_ROLES)
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ExportJob.objects.select_related("summary"), pk=pk)
    if job.status in ACTIVE_EXPORT_STATUSES and jobs.sweep(pk=job.pk):
        # Its worker is gone: the page says so now, not after the next beat.
        job.refresh_from_db()
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "status": job.status,
                "status_display": job.get_status_display(),
                "progress": job.progress,
                "error": job.error,
                "download": job.status == ExportStatus.DONE and job.can_download(request.user),
            }
        )
    return render(
        request,
        "reports/export_status.html",
        {"job": job, "can_download": job.can_download(request.user)},
    )


@role_required(*BUREAU_ROLES)
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = get_object_or_404(ExportJob.objects.select_related("summary"), pk=pk)
    if job.status != ExportStatus.DONE or not job.file or not job.can_download(request.user):
        # A file with unmasked personal data is its requester's alone.
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)


@role_required(*EDITOR_ROLES)
def template_upload(request: HttpRequest) -> HttpResponse:
    """Upload a bureau's own Word template; it replaces the default for every export."""
    form = WordTemplateForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if request.POST.get("reset"):
            WordTemplate.objects.filter(is_active=True).update(is_active=False)
            messages.success(request, _("已恢复使用默认模板。"))
            return redirect("reports:template_upload")
        if form.is_valid():
            services.activate_template(form.save(commit=False), by=request.user)
            messages.success(request, _("模板已上传并启用。"))
            return redirect("reports:template_upload")
    return render(
        request,
        "reports/template_upload.html",
        {"form": form, "templates": WordTemplate.objects.select_related("uploaded_by")[:20]},
    )


@role_required(*BUREAU_ROLES)
def template_default(request: HttpRequest) -> FileResponse:
    """The default template shipped in the repo, for staff to open and change in Word."""
    return FileResponse(
        DEFAULT_TEMPLATE.open("rb"), as_attachment=True, filename="年度工作总结默认模板.docx"
    )
