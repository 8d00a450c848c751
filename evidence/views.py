"""The evidence locker's pages: an enterprise keeps its own documents in the portal; bureau
roles list them across enterprises and download them; staff link them to qualifications and
tell enterprises of expiring ones. Every download checks access and writes an audit entry."""

from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau.access import BUREAU_ROLES, EDITOR_ROLES, enterprise_user_required, role_required
from bureau.concurrency import annotate_edit_tokens, ensure_current, posted_token
from bureau.roles import Role
from enterprises.selectors import qualification_get_for_user

from . import selectors, services
from .forms import DocumentFilterForm, DocumentForm, LinkForm
from .models import CrossEnterpriseLink, EvidenceDocument

PAGE_SIZE = 30


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Enterprise portal ------------------------------------------------------------------------


@enterprise_user_required
def portal_list(request):
    """The enterprise's own documents (paginated in SQL) and the upload form."""
    enterprise = request.enterprise
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        instance=EvidenceDocument(enterprise=enterprise),
    )
    if request.method == "POST" and form.is_valid():
        document = services.save_document(form, enterprise=enterprise, by=request.user)
        messages.success(request, _("证明材料「%(t)s」已上传。") % {"t": document.title})
        return redirect("evidence:portal_list")
    # Each row's delete form carries its stale-form token: one subquery, not one per row.
    qs = annotate_edit_tokens(
        EvidenceDocument.objects.filter(enterprise=enterprise).order_by(
            "doc_type", "-issued_on", "-pk"
        )
    )
    return render(
        request,
        "evidence/portal_list.html",
        {"form": form, "page": _page(request, qs), "query": _query(request), "today": _today()},
    )


@enterprise_user_required
def portal_edit(request, pk: int):
    """Edit a document's details or replace its file (another enterprise's id is a 404)."""
    document = selectors.document_get_for_user(user=request.user, pk=pk)
    form = DocumentForm(request.POST or None, request.FILES or None, instance=document)
    if request.method == "POST" and form.is_valid():
        services.save_document(form, enterprise=request.enterprise, by=request.user)
        messages.success(request, _("证明材料已保存。"))
        return redirect("evidence:portal_list")
    return render(request, "evidence/portal_edit.html", {"form": form, "document": document})


@enterprise_user_required
@require_POST
def portal_delete(request, pk: int):
    document = selectors.document_get_for_user(user=request.user, pk=pk)
    # A delete from a page opened before someone changed the document is refused too.
    with transaction.atomic():
        ensure_current(document, posted_token(request), next_url=reverse("evidence:portal_list"))
        services.delete_document(document)
    messages.success(request, _("证明材料「%(t)s」已删除。") % {"t": document.title})
    return redirect("evidence:portal_list")


# --- Bureau -----------------------------------------------------------------------------------


def _today():
    return timezone.localdate()


@role_required(*BUREAU_ROLES)
def staff_list(request):
    """Documents across enterprises, filtered by enterprise, type and expiry window."""
    form = DocumentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.staff_list(
        user=request.user,
        q=(filters.get("q") or "").strip(),
        doc_type=filters.get("doc_type") or "",
        expiring_within=filters.get("expiring_within"),
        day=_today(),
    )
    return render(
        request,
        "evidence/staff_list.html",
        {"form": form, "page": _page(request, qs), "query": _query(request), "today": _today()},
    )


@role_required(*BUREAU_ROLES, Role.ENTERPRISE_USER)
def download(request, pk: int):
    """The one way to a stored file: access checked by the selector, the download logged."""
    document = selectors.document_get_for_user(user=request.user, pk=pk)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    services.record_download(document, request=request)
    response = FileResponse(
        handle,
        as_attachment=True,
        content_type=document.content_type or "application/octet-stream",
    )
    name = document.original_name or document.file.name.rsplit("/", 1)[-1]
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response.audit_recorded = True  # logged above, with the document's id (audit.middleware)
    return response


def _back(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return fallback


@role_required(*EDITOR_ROLES)
@require_POST
def link_qualification(request, pk: int):
    """Staff set which of the enterprise's documents back a qualification."""
    qualification = qualification_get_for_user(user=request.user, pk=pk)
    form = LinkForm(request.POST, qualification=qualification)
    if not form.is_valid():
        messages.error(request, _("所选材料不属于该企业，未保存。"))
    else:
        try:
            services.set_qualification_documents(qualification, form.cleaned_data["documents"])
        except CrossEnterpriseLink as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("支撑材料已更新。"))
    return redirect(qualification.get_absolute_url())


@role_required(*EDITOR_ROLES)
@require_POST
def notify(request):
    """From the ladder reminders: tell the chosen documents' enterprises (once per document)."""
    ids = [int(v) for v in request.POST.getlist("document") if v.isdigit()]
    if not ids:
        messages.error(request, _("请先选择要提醒的证明材料。"))
        return redirect(_back(request, "enterprises:reminders"))
    day = _today()
    told = skipped = 0
    chosen = (
        EvidenceDocument.objects.filter(pk__in=ids, valid_to__isnull=False)
        .select_related("enterprise")
        .order_by("pk")
    )
    for document in chosen:
        if services.notify_expiring(document, day=day):
            told += 1
        else:
            skipped += 1
    text = _("已提醒%(n)s份材料的企业。") % {"n": told}
    if skipped:
        text += _("%(n)s份此前已提醒过或企业没有账号，未重复发送。") % {"n": skipped}
    messages.success(request, text)
    return redirect(_back(request, "enterprises:reminders"))
