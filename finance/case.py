"""The enterprise's own view of a financing need (我的融资需求): its stage in words and what
happens next, as plain Python over plain values.

A need is *taken up* (已受理) once staff have acted on it: taken it up in their inbox
(notifications.InboxItem), presented it at a matchmaking event, recorded a signing against it,
or closed it. Until then the enterprise that posted it through the
portal may edit or withdraw it (finance.services); afterwards the bureau's record stands.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import NeedSource, NeedStatus

TAKEN_UP_MESSAGE = gettext_lazy(
    "局工作人员已受理该融资需求，不能再修改或撤回。如需变更，请联系局科技金融科。"
)


@dataclass(frozen=True)
class EventFacts:
    topic: str
    date: datetime.date
    place: str = ""


@dataclass(frozen=True)
class NeedCase:
    """`stage` names the step in words; `next_step` says what happens next; `changeable`
    whether the enterprise may still edit or withdraw it."""

    stage: str
    next_step: str
    changeable: bool
    taken_up: bool


def taken_up(*, status: str, presented: bool, signed: bool, accepted: bool = False) -> bool:
    """Whether staff have acted on the need (the enterprise can no longer change it);
    `accepted`: staff took it up in their inbox."""
    return status != NeedStatus.OPEN or presented or signed or accepted


def need_case(
    *,
    status: str,
    source: str,
    events: list[EventFacts],
    signed_on: datetime.date | None,
    today: datetime.date,
    accepted: bool = False,
) -> NeedCase:
    """The need's stage and next step as the enterprise reads them; `accepted`: staff took
    it up in their inbox."""
    presented = bool(events)
    signed = signed_on is not None
    up = taken_up(status=status, presented=presented, signed=signed, accepted=accepted)
    changeable = not up and source == NeedSource.PORTAL
    if status == NeedStatus.WITHDRAWN:
        return NeedCase(
            _("已撤回"),
            _("您已撤回该融资需求，局工作人员不再对接。如仍需融资，可重新提交一条需求。"),
            False,
            up,
        )
    if status == NeedStatus.MET or signed:
        return NeedCase(
            _("已签约"),
            _("已与金融机构签约；请按合同办理放款手续，放款情况见下方签约记录。"),
            False,
            up,
        )
    coming = sorted((e for e in events if e.date >= today), key=lambda e: e.date)
    if coming:
        event = coming[0]
        where = _("，地点：%(p)s") % {"p": event.place} if event.place else ""
        return NeedCase(
            _("已受理，对接中"),
            _("局工作人员已将需求推介至“%(t)s”（%(d)s%(w)s），请届时参加，与金融机构当面洽谈。")
            % {"t": event.topic, "d": event.date.isoformat(), "w": where},
            False,
            up,
        )
    if presented:
        return NeedCase(
            _("已受理，对接中"),
            _("需求已在对接活动上推介，金融机构将与您联系；也可直接联系下列产品的机构网点。"),
            False,
            up,
        )
    if accepted and source == NeedSource.PORTAL:
        return NeedCase(
            _("已受理，待对接"),
            _("局工作人员已受理该需求，正在为您匹配金融机构，将邀请您参加银企对接活动。"),
            False,
            up,
        )
    if source == NeedSource.STAFF:
        return NeedCase(
            _("已受理，待对接"),
            _("该需求由局工作人员代为登记，工作人员将为您对接合适的金融机构。"),
            False,
            up,
        )
    return NeedCase(
        _("待受理"),
        _(
            "局工作人员将核对需求，邀请您和合适的金融机构参加银企对接活动；"
            "下列产品供您先行了解。受理前您可修改或撤回该需求。"
        ),
        changeable,
        up,
    )
