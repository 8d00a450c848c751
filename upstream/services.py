"""Writes of the quality gate's review: staff accept an explanation or send it back with a
comment; a send-back tells the enterprise (notifications)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import Kind
from notifications.services import notify_enterprise

from .models import Explanation, ExplanationStatus


def review(pk: int, *, revision: int, accept: bool, comment: str, by) -> Explanation:
    """Accept or send back a pending explanation as the reviewer saw it (`revision`).

    Refused (ValidationError) when it is no longer pending or the enterprise changed it since
    the page was read, and when a send-back has no comment. One conditional UPDATE, so two
    reviewers cannot both decide the same revision.
    """
    comment = comment.strip()
    if not accept and not comment:
        raise ValidationError({"comment": _("退回时请填写审核意见，告诉企业需要补充什么。")})
    status = ExplanationStatus.ACCEPTED if accept else ExplanationStatus.RETURNED
    with transaction.atomic():
        changed = Explanation.objects.filter(
            pk=pk, status=ExplanationStatus.PENDING, revision=revision
        ).update(
            status=status,
            reviewer=by,
            reviewed_at=timezone.now(),
            review_comment=comment,
            updated_at=timezone.now(),
        )
        if not changed:
            raise ValidationError(
                _("该说明已被他人审核，或企业已修改说明；请查看最新内容后再审核。")
            )
        explanation = Explanation.objects.select_related("enterprise").get(pk=pk)
        if not accept:
            notify_enterprise(
                explanation.enterprise,
                Kind.EXPLANATION_RETURNED,
                _("%(f)s数据核查说明被退回") % {"f": explanation.filing_label},
                # The message, never the rule's code: codes are internal to the bureau.
                _("核查提示：%(m)s 审核意见：%(r)s") % {"m": explanation.message, "r": comment},
                explanation.portal_url(),
            )
    return explanation
