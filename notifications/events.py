"""The events an enterprise hears of, each a function the owning service (or a receiver) calls
with the record: who is told (the enterprise's own accounts), the message and the link.

Also the submissions that go to the staff inbox (`submitted`). Each costs a constant number of
queries; nothing here raises for a record without an enterprise or without accounts.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from . import services
from .models import InboxKind, Kind

# Which inbox kind each submitted model is, and the staff page of the record.
INBOX_KINDS = {
    "finance.financingneed": InboxKind.FINANCING_NEED,
    "talent.technologydemand": InboxKind.TECH_DEMAND,
    "digital.assessment": InboxKind.ASSESSMENT,
    "enterprises.quarterlyfigures": InboxKind.QUARTERLY,
    "enterprises.annualfigures": InboxKind.ANNUAL,
    "enterprises.enterprise": InboxKind.PROFILE,
}


def _staff_url(record) -> str:
    label = record._meta.label_lower
    if label == "enterprises.quarterlyfigures" or label == "enterprises.annualfigures":
        return record.enterprise.get_absolute_url()
    if label == "digital.assessment":
        return reverse("digital:assessment_detail", args=[record.pk])
    return record.get_absolute_url()


def _submission_title(record) -> str:
    label = record._meta.label_lower
    if label == "enterprises.enterprise":
        return _("%(e)s 更新了企业信息") % {"e": record.name}
    if label == "enterprises.quarterlyfigures":
        return _("%(e)s 填报了%(p)s数据") % {"e": record.enterprise.name, "p": record.period}
    if label == "enterprises.annualfigures":
        return _("%(e)s 填报了%(y)s年度数据") % {"e": record.enterprise.name, "y": record.year}
    if label == "digital.assessment":
        return _("%(e)s 提交了数字化自评") % {"e": record.enterprise.name}
    if label == "talent.technologydemand":
        return _("%(e)s 提出技术需求：%(t)s") % {"e": record.enterprise.name, "t": record.title}
    if label == "finance.financingneed":
        return _("%(e)s 发布融资需求：%(p)s") % {"e": record.enterprise.name, "p": record.purpose}
    return str(record)


def submitted(record, *, by=None):
    """An enterprise user submitted `record` (a need, demand, assessment, figures, its profile):
    it waits in the staff inbox until someone handles it."""
    kind = INBOX_KINDS[record._meta.label_lower]
    enterprise = record if kind == InboxKind.PROFILE else record.enterprise
    return services.record_submission(
        kind,
        record,
        enterprise=enterprise,
        title=_submission_title(record),
        url=_staff_url(record),
        by=by,
    )


def need_posted(need, *, by=None):
    """A financing need posted in the portal goes to the inbox (staff entries do not)."""
    from finance.models import NeedSource

    if need.source == NeedSource.PORTAL:
        submitted(need, by=by)


def assessment_submitted(assessment, *, by=None):
    from digital.models import AssessmentSource

    if assessment.source == AssessmentSource.PORTAL:
        submitted(assessment, by=by)


def need_matched(need, *, event, bank=None):
    """Staff matched the need: presented at a finance event, with a bank when chosen."""
    body = _("您的融资需求「%(p)s」已推介至「%(e)s」（%(d)s）。") % {
        "p": need.purpose,
        "e": event.activity.topic,
        "d": event.activity.date.isoformat(),
    }
    if bank is not None:
        body += _("对接银行：%(b)s。") % {"b": bank}
    return services.notify_enterprise(
        need.enterprise,
        Kind.NEED_MATCHED,
        _("您的融资需求已对接"),
        body,
        reverse("finance:portal_need_detail", args=[need.pk]),
    )


def signing_recorded(signing):
    return services.notify_enterprise(
        signing.enterprise,
        Kind.SIGNING,
        _("融资签约已登记"),
        _("与%(b)s的签约（%(a)s万元，%(d)s）已登记。")
        % {
            "b": signing.bank,
            "a": f"{signing.amount / 10000:,.2f}",
            "d": signing.signed_on.isoformat(),
        },
        reverse("finance:portal_signing_detail", args=[signing.pk]),
    )


def demand_matched(match):
    demand = match.demand
    return services.notify_enterprise(
        demand.enterprise,
        Kind.DEMAND_MATCHED,
        _("您的技术需求已匹配院校"),
        _("技术需求「%(t)s」已与%(i)s对接，局工作人员将联系您安排洽谈。")
        % {"t": demand.title, "i": match.institution},
        reverse("talent:portal_demands"),
    )


def assessment_reopened(assessment):
    return services.notify_enterprise(
        assessment.enterprise,
        Kind.ASSESSMENT_REOPENED,
        _("数字化自评已退回修改"),
        _("退回原因：%(r)s") % {"r": assessment.reopen_reason},
        reverse("digital:portal_assessment_edit", args=[assessment.pk]),
    )


def application_moved(application, transition):
    """A pipeline application of an enterprise changed status (bureau.ApplicationTransition)."""
    from bureau.models import ApplicationStatus

    enterprise_id = getattr(application, "enterprise_id", None)
    if not enterprise_id or not transition.from_status:
        return []
    url = reverse("enterprises:portal_home")
    if application._meta.label_lower == "enterprises.qualification":
        url = reverse("enterprises:portal_qualification", args=[application.pk])
    return services.notify(
        services.enterprise_recipients([enterprise_id]),
        Kind.APPLICATION_STAGE,
        _("「%(a)s」状态变更为%(s)s")
        % {"a": application, "s": ApplicationStatus(transition.to_status).label},
        transition.remark,
        url,
    )


def _period_text(period) -> str:
    if period.deadline:
        return _("截止日期为%(d)s。") % {"d": period.deadline.isoformat()}
    return ""


def period_opened(period, *, day: datetime.date):
    """A reporting period opened (created open, or unlocked): every active enterprise's users."""
    from enterprises.models import Enterprise

    return services.notify(
        services.enterprise_recipients(Enterprise.objects.filter(is_active=True)),
        Kind.PERIOD_OPENED,
        _("%(p)s已开放填报") % {"p": period},
        _("请登录平台填报%(p)s的季度数据。") % {"p": period} + _period_text(period),
        reverse("enterprises:portal_quarterly_edit", args=[period.pk]),
        dedupe_key=f"period-opened:{period.pk}:{day.isoformat()}",
    )


def periods_closing(day: datetime.date, within_days: int) -> int:
    """Open periods whose deadline is within `within_days` of `day`: the users of enterprises
    that have not filed are told once per period. Returns notifications created."""
    from bureau.models import ReportingPeriod
    from enterprises.models import Enterprise, QuarterlyFigures

    created = 0
    closing = ReportingPeriod.objects.open().filter(
        deadline__gte=day, deadline__lte=day + datetime.timedelta(days=within_days)
    )
    for period in closing:
        unfiled = Enterprise.objects.filter(is_active=True).exclude(
            Exists(QuarterlyFigures.objects.filter(period=period, enterprise=OuterRef("pk")))
        )
        days_left = (period.deadline - day).days
        created += len(
            services.notify(
                services.enterprise_recipients(unfiled),
                Kind.PERIOD_CLOSING,
                _("%(p)s填报即将截止") % {"p": period},
                _("距截止还有%(n)s天，贵单位尚未填报。") % {"n": days_left} + _period_text(period),
                reverse("enterprises:portal_quarterly_edit", args=[period.pk]),
                dedupe_key=f"period-closing:{period.pk}",
            )
        )
    return created


def qualification_expiring(qualification, *, day: datetime.date):
    """One title nearing its valid-to date, told to its enterprise once per validity."""
    days_left = (qualification.valid_to - day).days
    return services.notify_enterprise(
        qualification.enterprise,
        Kind.QUALIFICATION_EXPIRING,
        _("%(k)s将于%(d)s到期")
        % {"k": qualification.kind, "d": qualification.valid_to.isoformat()},
        _("距到期还有%(n)s天，请及时准备复审或重新认定材料。") % {"n": days_left},
        reverse("enterprises:portal_qualification", args=[qualification.pk]),
        dedupe_key=f"qualification-expiring:{qualification.pk}:{qualification.valid_to.isoformat()}",
    )


def tech_sme_not_renewed(qualification, *, year: int):
    """A 科技型中小企业 registered last year and not registered again in `year`: its enterprise
    is asked to renew, once per year."""
    return services.notify_enterprise(
        qualification.enterprise,
        Kind.QUALIFICATION_EXPIRING,
        _("请办理%(y)s年度科技型中小企业评价入库") % {"y": year},
        _(
            "贵单位上年度已入库科技型中小企业（入库编号%(no)s），本年度尚未重新评价入库；"
            "请登录全国科技型中小企业信息服务平台完成评价。"
        )
        % {"no": qualification.certificate_no or "—"},
        reverse("enterprises:portal_qualification", args=[qualification.pk]),
        dedupe_key=f"tech-sme-renewal:{qualification.enterprise_id}:{year}",
    )


def qualifications_expiring(day: datetime.date) -> int:
    """Every title the ladder reminders list as expiring (enterprises.selectors.reminders)."""
    from enterprises import selectors

    created = 0
    for q in selectors.reminders(day)["expiring"]:
        created += len(qualification_expiring(q, day=day))
    return created
