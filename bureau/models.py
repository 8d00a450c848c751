"""Concepts every app shares: users and roles, reporting periods, the application pipeline,
bureau activities and annual targets (DESIGN.md, "Shared concepts")."""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .roles import Role

MIN_YEAR = 2000
MAX_YEAR = 2100


class User(AbstractUser):
    """A portal account; its role is its group (bureau.roles.Role)."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        # Unmasks other people's contact data (bureau.personal_data.CONTACT_DATA_PERMISSION);
        # explicit-only, like talent.view_personal_data.
        permissions = [("view_contact_data", _("可查看联系人个人信息（未脱敏）"))]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def role(self) -> Role | None:
        """The user's role, from its groups; superusers are system admins."""
        if self.is_superuser:
            return Role.SYSTEM_ADMIN
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            names = set(self.groups.values_list("name", flat=True))
            cached = next((r for r in Role if r.group_name in names), False)
            self._role_cache = cached
        return cached or None


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("开放填报")
    LOCKED = "locked", _("已锁定")


class ReportingPeriodQuerySet(models.QuerySet):
    def open(self) -> "ReportingPeriodQuerySet":
        return self.filter(status=PeriodStatus.OPEN)


class ReportingPeriod(models.Model):
    """A year and a quarter; figures of a locked period cannot change."""

    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    status = models.CharField(
        _("状态"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    deadline = models.DateField(_("填报截止日期"), null=True, blank=True)
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True, editable=False)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("锁定人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("填报期")
        verbose_name_plural = _("填报期")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="period_unique_year_quarter"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="period_quarter_1_to_4"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR), name="period_year_range"
            ),
        ]

    def __str__(self) -> str:
        return _("%(year)s年第%(quarter)s季度") % {"year": self.year, "quarter": self.quarter}

    def clean(self) -> None:
        if self.quarter is not None and not 1 <= self.quarter <= 4:
            raise ValidationError({"quarter": _("季度必须为1至4。")})
        if self.year is not None and self.year > timezone.localdate().year + 1:
            raise ValidationError({"year": _("年度不能晚于明年。")})

    @property
    def is_locked(self) -> bool:
        return self.status == PeriodStatus.LOCKED

    @property
    def start_date(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end_date(self) -> datetime.date:
        if self.quarter == 4:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, 3 * self.quarter + 1, 1) - datetime.timedelta(days=1)


# --- Application pipeline -------------------------------------------------------------------


class ApplicationStatus(models.TextChoices):
    CANDIDATE = "candidate", _("培育对象")
    PREPARING = "preparing", _("申报准备")
    SUBMITTED = "submitted", _("已申报")
    UNDER_REVIEW = "under_review", _("审核中")
    APPROVED = "approved", _("已认定")
    REJECTED = "rejected", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")


class Level(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    MUNICIPAL = "municipal", _("市级")
    COUNTY = "county", _("县级")


# Which status may follow which: the one status flow every application shares.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    ApplicationStatus.CANDIDATE: frozenset(
        {ApplicationStatus.PREPARING, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.PREPARING: frozenset(
        {ApplicationStatus.SUBMITTED, ApplicationStatus.CANDIDATE, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.SUBMITTED: frozenset(
        {
            ApplicationStatus.UNDER_REVIEW,
            ApplicationStatus.APPROVED,
            ApplicationStatus.REJECTED,
            ApplicationStatus.WITHDRAWN,
        }
    ),
    ApplicationStatus.UNDER_REVIEW: frozenset(
        {ApplicationStatus.APPROVED, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.APPROVED: frozenset(),
    ApplicationStatus.REJECTED: frozenset({ApplicationStatus.PREPARING}),
    ApplicationStatus.WITHDRAWN: frozenset(
        {ApplicationStatus.CANDIDATE, ApplicationStatus.PREPARING}
    ),
}

# Statuses counted as "in the pipeline" (正在申报/审核中) by figures.
IN_PROGRESS_STATUSES = (
    ApplicationStatus.PREPARING,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.UNDER_REVIEW,
)


class ApplicationQuerySet(models.QuerySet):
    def approved(self) -> "ApplicationQuerySet":
        return self.filter(status=ApplicationStatus.APPROVED)

    def in_progress(self) -> "ApplicationQuerySet":
        return self.filter(status__in=IN_PROGRESS_STATUSES)

    def valid_on(self, day: datetime.date) -> "ApplicationQuerySet":
        """Approved and within its validity on `day` (an open end counts as valid)."""
        return self.approved().filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    # Reads as of a day (bureau.asof): what published figures count, so that a later
    # decision never moves a past period.

    def status_as_of(self, day: datetime.date | datetime.datetime) -> "ApplicationQuerySet":
        """Annotated with `status_then`: each application's status at the end of `day`."""
        from .asof import status_as_of

        return status_as_of(self, day)

    def approved_as_of(self, day: datetime.date | datetime.datetime) -> "ApplicationQuerySet":
        """Approved (已认定) by the end of `day`, by its approval date (stated as
        asof.matching_then does, so that the planner can estimate the rows)."""
        from .asof import matching_then

        return self.status_as_of(day).filter(
            matching_then(self.model, day, status=ApplicationStatus.APPROVED)
        )

    def in_progress_as_of(self, day: datetime.date | datetime.datetime) -> "ApplicationQuerySet":
        """In 申报准备/已申报/审核中 at the end of `day`."""
        from .asof import matching_then

        return self.status_as_of(day).filter(
            matching_then(self.model, day, status__in=IN_PROGRESS_STATUSES)
        )

    def valid_as_of(self, day: datetime.date) -> "ApplicationQuerySet":
        """Approved by the end of `day` and within its validity on `day` (open ends valid)."""
        return self.approved_as_of(day).filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def expired(self, day: datetime.date | None = None) -> "ApplicationQuerySet":
        day = day or timezone.localdate()
        return self.approved().filter(valid_to__lt=day)

    def expiring(self, day: datetime.date | None = None, within_days: int | None = None):
        """Approved, still valid on `day`, and ending within `within_days` (default 180)."""
        day = day or timezone.localdate()
        within = within_days if within_days is not None else settings.EXPIRING_SOON_DAYS
        return self.approved().filter(
            valid_to__gte=day, valid_to__lte=day + datetime.timedelta(days=within)
        )


class Application(models.Model):
    """Abstract base of everything that moves through the shared status flow.

    Subclasses add what is applied for (a tier, a platform level, a recognition…). Status
    changes go through bureau.services.transition_application, which keeps the history.
    """

    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.CANDIDATE,
        db_index=True,
    )
    level = models.CharField(_("级别"), max_length=12, choices=Level.choices, blank=True)
    batch_year = models.PositiveSmallIntegerField(_("批次年度"), null=True, blank=True)
    certificate_no = models.CharField(_("证书编号"), max_length=80, blank=True)
    approved_on = models.DateField(_("认定日期"), null=True, blank=True)
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_to = models.DateField(_("有效期至"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("状态变更时间"), default=timezone.now)
    remark = models.TextField(_("备注"), blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="%(app_label)s_%(class)s_valid_to_after_from",
                violation_error_message=_("有效期至不能早于有效期起。"),
            ),
        ]

    def clean(self) -> None:
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("有效期至不能早于有效期起。")})

    def is_expired(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return (
            self.status == ApplicationStatus.APPROVED
            and self.valid_to is not None
            and self.valid_to < day
        )

    def is_expiring_soon(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return (
            self.status == ApplicationStatus.APPROVED
            and self.valid_to is not None
            and day <= self.valid_to <= day + datetime.timedelta(days=settings.EXPIRING_SOON_DAYS)
        )

    @property
    def transitions(self) -> models.QuerySet:
        """This application's status history, oldest first."""
        return ApplicationTransition.objects.filter(
            content_type=ContentType.objects.get_for_model(type(self)), object_id=self.pk
        ).select_related("by")


class ApplicationTransition(models.Model):
    """One status change of any application: who moved it, when, from what to what, and why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    application = GenericForeignKey("content_type", "object_id")
    from_status = models.CharField(
        _("原状态"), max_length=20, choices=ApplicationStatus.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=20, choices=ApplicationStatus.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    remark = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("申报状态变更")
        verbose_name_plural = _("申报状态变更")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


def created_by_field() -> models.ForeignKey:
    """Who entered a record (录入人): set by the page or service that creates it, kept when the
    account is deleted. One definition for every app's records."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )


# --- Activities and targets ------------------------------------------------------------------


class ActivityKind(models.Model):
    """Reference data: 政策宣讲会, 上门宣讲, 会议, 培训, 交流座谈, 实地考察, …"""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("活动类型")
        verbose_name_plural = _("活动类型")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    """A seminar, visit, meeting, training or forum the bureau held."""

    kind = models.ForeignKey(ActivityKind, verbose_name=_("类型"), on_delete=models.PROTECT)
    date = models.DateField(_("日期"))
    topic = models.CharField(_("主题"), max_length=200)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("局工作人员"), blank=True, related_name="+"
    )
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise",
        verbose_name=_("参与企业"),
        blank=True,
        related_name="activities",
    )
    attendance = models.PositiveIntegerField(_("参加人数"), null=True, blank=True)
    notes = models.TextField(_("纪要"), blank=True)
    created_by = created_by_field()
    history = HistoricalRecords(m2m_fields=[enterprises])

    class Meta:
        verbose_name = _("工作活动")
        verbose_name_plural = _("工作活动")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date__year__gte=MIN_YEAR), name="activity_date_after_2000"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.topic}"


class Target(models.Model):
    """A figure the year's plan commits to: '创小预计申报30家' is a target of 30."""

    year = models.PositiveSmallIntegerField(_("年度"))
    figure_key = models.CharField(
        _("指标"),
        max_length=80,
        help_text=_("各模块发布的指标代码，如 enterprises.tech_sme_registered"),
    )
    label = models.CharField(_("名称"), max_length=120)
    target_value = models.DecimalField(_("目标值"), max_digits=16, decimal_places=2)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")
        ordering = ["-year", "figure_key"]
        constraints = [
            models.UniqueConstraint(fields=["year", "figure_key"], name="target_unique_year_key"),
            models.CheckConstraint(condition=Q(target_value__gte=0), name="target_non_negative"),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR), name="target_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("admin:bureau_target_change", args=[self.pk])


class PeriodLockedError(ValidationError):
    """Raised when a figure of a locked reporting period would change."""


def ensure_period_open(period: ReportingPeriod | None, *, what: str = "") -> None:
    """Refuse a change to figures of a locked period, with a message that says which."""
    if period is not None and period.is_locked:
        raise PeriodLockedError(
            _("%(period)s已锁定，%(what)s不能修改；如需更正，请联系局工作人员解锁。")
            % {"period": period, "what": what or _("该期数据")},
            code="period_locked",
        )
