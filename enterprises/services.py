"""Writes of the tier ladder: adding candidates and moving qualifications through the pipeline."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bureau.models import ApplicationStatus, User
from bureau.services import record_initial_status, transition_application

from .models import Enterprise, Qualification, QualificationKind

# Statuses after which a new application of the same kind and batch may be opened.
CLOSED_STATUSES = (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN)


@transaction.atomic
def add_candidates(
    *,
    kind: QualificationKind,
    enterprise_ids: Iterable[int],
    batch_year: int,
    by: User | None,
    remark: str = "",
) -> list[Qualification]:
    """Put enterprises into the pipeline as candidates (培育对象) for `kind` in `batch_year`.

    Enterprises that already have an open application of that kind for the batch are skipped.
    """
    ids = set(enterprise_ids)
    taken = set(
        Qualification.objects.filter(kind=kind, batch_year=batch_year, enterprise_id__in=ids)
        .exclude(status__in=CLOSED_STATUSES)
        .values_list("enterprise_id", flat=True)
    )
    created = []
    for enterprise in Enterprise.objects.filter(pk__in=ids - taken).order_by("pk"):
        qualification = Qualification.objects.create(
            enterprise=enterprise,
            kind=kind,
            batch_year=batch_year,
            level=kind.default_level,
        )
        record_initial_status(qualification, by=by, remark=remark or _("由预审名单加入培育对象"))
        created.append(qualification)
    return created


@transaction.atomic
def move_qualification(
    qualification: Qualification,
    to_status: str,
    *,
    by: User | None,
    remark: str = "",
    at: datetime.datetime | None = None,
    **fields,
):
    """Move a qualification through the shared flow; approval locks the enterprise row first.

    Locking the enterprise serialises concurrent approvals of the same enterprise, so the
    overlap check in Qualification.clean() cannot be raced on databases without the
    exclusion constraint (SQLite takes a write lock for the whole transaction anyway).
    """
    if to_status == ApplicationStatus.APPROVED:
        Enterprise.objects.select_for_update().filter(pk=qualification.enterprise_id).first()
        qualification.refresh_from_db()
        if not (fields.get("certificate_no") or qualification.certificate_no).strip() and (
            qualification.kind.requires_certificate
        ):
            raise ValidationError(
                {"certificate_no": _("认定为「已认定」时必须填写证书编号（入库编号）。")}
            )
    return transition_application(qualification, to_status, by=by, remark=remark, at=at, **fields)
