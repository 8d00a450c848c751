"""Reads of the evidence locker: who sees which document, the lists, what other pages show.

`document_get_for_user` is the one gate for a single document: an enterprise user reaches
only its own enterprise's (another id is a 404), bureau roles reach all of them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from bureau.roles import Role

from .models import EvidenceDocument


def document_list_for_user(*, user) -> QuerySet[EvidenceDocument]:
    """Documents the user may see: all for bureau roles, its own enterprise's for an
    enterprise user, none for anyone else."""
    qs = EvidenceDocument.objects.select_related("enterprise")
    if user.role is Role.ENTERPRISE_USER:
        return qs.filter(enterprise__accounts__user=user)
    if user.role in (Role.BUREAU_STAFF, Role.LEADERSHIP, Role.SYSTEM_ADMIN):
        return qs
    return qs.none()


def document_get_for_user(*, user, pk: int) -> EvidenceDocument:
    try:
        return document_list_for_user(user=user).get(pk=pk)
    except EvidenceDocument.DoesNotExist:
        raise Http404 from None


def expiring_window(day: datetime.date, within_days: int | None = None) -> tuple:
    days = settings.EVIDENCE_EXPIRING_DAYS if within_days is None else within_days
    return day, day + datetime.timedelta(days=days)


def expiring(day: datetime.date, within_days: int | None = None) -> QuerySet[EvidenceDocument]:
    """Documents whose validity ends between `day` and `within_days` later (default
    EVIDENCE_EXPIRING_DAYS), soonest first. One query."""
    start, end = expiring_window(day, within_days)
    return (
        EvidenceDocument.objects.filter(valid_to__gte=start, valid_to__lte=end)
        .select_related("enterprise")
        .order_by("valid_to", "enterprise__name", "pk")
    )


def staff_list(
    *, user, q: str = "", doc_type: str = "", expiring_within: int | None = None, day=None
) -> QuerySet[EvidenceDocument]:
    qs = document_list_for_user(user=user).annotate(n_qualifications=Count("qualifications"))
    if q:
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(enterprise__credit_code__icontains=q))
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if expiring_within is not None:
        start, end = expiring_window(day, expiring_within)
        qs = qs.filter(valid_to__gte=start, valid_to__lte=end)
    return (
        qs.order_by("valid_to", "enterprise__name", "pk")
        if expiring_within is not None
        else (qs.order_by("enterprise__name", "doc_type", "-issued_on", "pk"))
    )


def profile_section(enterprise) -> tuple[str, dict]:
    """The enterprise profile's section listing its documents (1 query)."""
    documents = list(
        EvidenceDocument.objects.filter(enterprise=enterprise)
        .annotate(n_qualifications=Count("qualifications"))
        .order_by("doc_type", "-issued_on", "-pk")
    )
    return "evidence/_enterprise_profile.html", {"documents": documents}


def qualification_documents(qualification) -> list[EvidenceDocument]:
    """The documents that back a qualification (1 query)."""
    return list(qualification.evidence_documents.order_by("doc_type", "-issued_on", "pk"))


def portal_reminders(enterprise) -> list[tuple[str, str]]:
    """The portal home's reminder when documents expire soon (1 query)."""
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext as _

    n = expiring(timezone.localdate()).filter(enterprise=enterprise).count()
    if not n:
        return []
    return [
        (_("%(n)s份证明材料即将到期，请及时更新。") % {"n": n}, reverse("evidence:portal_list"))
    ]


def pack_evidence(
    enterprise_ids: Iterable[int] | QuerySet, year: int, facts: Iterable[str]
) -> dict[int, list[EvidenceDocument]]:
    """{enterprise id: documents supporting any of `facts` for `year`} (one query for any
    number of enterprises; JSON list containment is filtered in Python, as SQLite and
    PostgreSQL spell it differently)."""
    wanted = set(facts)
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    ids = enterprise_ids if isinstance(enterprise_ids, QuerySet) else list(enterprise_ids)
    candidates = EvidenceDocument.objects.filter(enterprise_id__in=ids).filter(
        Q(year=year)
        | Q(year__isnull=True)
        & (Q(valid_from__isnull=True) | Q(valid_from__lte=end))
        & (Q(valid_to__isnull=True) | Q(valid_to__gte=start))
    )
    out: dict[int, list[EvidenceDocument]] = defaultdict(list)
    for doc in candidates.order_by("enterprise_id", "doc_type", "-issued_on", "pk"):
        if wanted & set(doc.facts) and doc.covers_year(year):
            out[doc.enterprise_id].append(doc)
    return out
