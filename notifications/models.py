"""Notifications (消息通知) to portal users, what was sent on which channel, each user's
channel preferences, the staff inbox (待办) of what enterprises submitted, and the filing
reminders (催报) sent per period."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    NEED_MATCHED = "need_matched", _("融资需求已对接")
    SIGNING = "signing", _("融资签约已登记")
    DEMAND_MATCHED = "demand_matched", _("技术需求已匹配院校")
    ASSESSMENT_REOPENED = "assessment_reopened", _("评测已退回修改")
    PERIOD_OPENED = "period_opened", _("填报期已开放")
    PERIOD_CLOSING = "period_closing", _("填报期即将截止")
    FILING_REMINDER = "filing_reminder", _("催报提醒")
    QUALIFICATION_EXPIRING = "qualification_expiring", _("资质即将到期")
    APPLICATION_STAGE = "application_stage", _("申报状态变更")
    SUBMISSION_HANDLED = "submission_handled", _("提交事项已受理")
    EXPLANATION_RETURNED = "explanation_returned", _("数据核查说明被退回")
    EXPLANATION_NEEDED = "explanation_needed", _("数据核查待企业说明")


class Channel(models.TextChoices):
    PORTAL = "portal", _("站内消息")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


# Channels besides the portal (always on) that each kind uses until the user says otherwise:
# e-mail for everything, SMS only where a missed message costs the enterprise a deadline.
DEFAULT_CHANNELS: dict[str, frozenset[str]] = {
    kind: frozenset({Channel.EMAIL})
    | (
        frozenset({Channel.SMS})
        if kind in (Kind.PERIOD_CLOSING, Kind.FILING_REMINDER, Kind.QUALIFICATION_EXPIRING)
        else frozenset()
    )
    for kind in Kind.values
}


class Notification(models.Model):
    """One message to one user, shown in the portal's bell; `dedupe_key` (when set) is sent
    to a user once only (daily reminders)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    dedupe_key = models.CharField(_("去重键"), max_length=120, blank=True, editable=False)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_once_per_key",
            ),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="notification_kind"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notifications:list")

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Preference(models.Model):
    """A user's choice of channels for one kind; without a row the kind's defaults apply."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    email = models.BooleanField(_("电子邮件"), default=True)
    sms = models.BooleanField(_("短信"), default=False)

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_unique_user_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    SKIPPED = "skipped", _("未发送（无地址）")


class Delivery(models.Model):
    """A record of what was sent to whom: one notification on one channel (e-mail or SMS),
    the address masked (bureau.masking), and how the sending went."""

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("消息"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("地址（脱敏）"), max_length=120, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    error = models.TextField(_("错误"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    created = models.DateTimeField(_("创建时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["status", "created"], name="delivery_status_created")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address}"


class InboxKind(models.TextChoices):
    FINANCING_NEED = "financing_need", _("融资需求")
    TECH_DEMAND = "tech_demand", _("技术需求")
    ASSESSMENT = "assessment", _("数字化自评")
    QUARTERLY = "quarterly", _("季度数据")
    ANNUAL = "annual", _("年度数据")
    PROFILE = "profile", _("企业信息变更")


class InboxStatus(models.TextChoices):
    NEW = "new", _("待受理")
    TAKEN = "taken", _("办理中")
    HANDLED = "handled", _("已办结")


class InboxItem(models.Model):
    """Something an enterprise submitted that staff have to handle (待办): the record by content
    type and id, with its title and staff page kept so the inbox lists without reading them."""

    kind = models.CharField(_("类型"), max_length=20, choices=InboxKind.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="inbox_items",
    )
    title = models.CharField(_("事项"), max_length=200)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=InboxStatus.choices, default=InboxStatus.NEW
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    taken_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    handled_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("待办事项")
        verbose_name_plural = _("待办事项")
        ordering = ["submitted_at", "pk"]
        indexes = [models.Index(fields=["status", "submitted_at"], name="inbox_status_submitted")]
        constraints = [
            # One open item per record: a second submission refreshes it.
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id"],
                condition=~Q(status="handled"),
                name="inbox_one_open_item_per_record",
            ),
            models.CheckConstraint(condition=Q(kind__in=InboxKind.values), name="inbox_kind"),
            models.CheckConstraint(condition=Q(status__in=InboxStatus.values), name="inbox_status"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status != InboxStatus.HANDLED

    @property
    def waited_days(self) -> int:
        """Whole days since it was submitted (until handled)."""
        return ((self.handled_at or timezone.now()) - self.submitted_at).days


class FilingReminder(models.Model):
    """A filing reminder (催报) sent to an enterprise for a period on a day: at most one a day."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="filing_reminders",
    )
    period = models.ForeignKey(
        "bureau.ReportingPeriod",
        verbose_name=_("填报期"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_on = models.DateField(_("发送日期"), default=timezone.localdate)
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recipients = models.PositiveIntegerField(_("接收账号数"), default=0)

    class Meta:
        verbose_name = _("催报记录")
        verbose_name_plural = _("催报记录")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "period", "sent_on"], name="filing_reminder_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.period} · {self.sent_on}"
