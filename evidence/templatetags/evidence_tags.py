"""What other apps' pages show of the evidence locker, so their views stay as they are:
`{% qualification_evidence q %}` on a qualification's page and `{% expiring_evidence day %}`
on the ladder reminders page. One query each; the link form for staff adds two."""

from django import template

from bureau.access import EDITOR_ROLES

from .. import selectors
from ..forms import LinkForm

register = template.Library()


@register.inclusion_tag("evidence/_qualification_documents.html", takes_context=True)
def qualification_evidence(context, qualification) -> dict:
    request = context.get("request")
    documents = selectors.qualification_documents(qualification)
    form = None
    if request is not None and request.user.role in EDITOR_ROLES:
        form = LinkForm(
            qualification=qualification, initial={"documents": [d.pk for d in documents]}
        )
    return {"q": qualification, "documents": documents, "form": form, "request": request}


@register.inclusion_tag("evidence/_reminders.html", takes_context=True)
def expiring_evidence(context, day) -> dict:
    from django.conf import settings

    documents = list(selectors.expiring(day))
    for d in documents:
        d.left = d.days_left(day)
    return {
        "documents": documents,
        "window": settings.EVIDENCE_EXPIRING_DAYS,
        "request": context.get("request"),
    }
