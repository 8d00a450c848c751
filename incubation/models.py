"""Innovation carriers (创新载体): incubators and their tenants, R&D platforms, and platform
recognitions (DESIGN.md: incubation/, section (一) of the summary).

Level upgrades, platform recognitions and 数字化车间/智能工厂… all move through the shared
application pipeline (bureau.models.Application); status changes go through
incubation.services, which wraps bureau.services.transition_application.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bureau.models import MIN_YEAR, Application, ApplicationStatus, Level

# Statuses in which an application is still open (not approved, rejected or withdrawn).
OPEN_STATUSES = (
    ApplicationStatus.CANDIDATE,
    ApplicationStatus.PREPARING,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.UNDER_REVIEW,
)

AREA = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}
MONEY = {"max_digits": 18, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


def _approved_has_level(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=~Q(status=ApplicationStatus.APPROVED) | ~Q(level=""),
        name=f"{prefix}_approved_has_level",
        violation_error_message=_("已认定的申报必须填写级别。"),
    )


# --- Incubators --------------------------------------------------------------------------------


class IncubatorKind(models.TextChoices):
    INCUBATOR = "incubator", _("孵化器")  # 科技企业孵化器
    MAKERSPACE = "makerspace", _("众创空间")
    ACCELERATOR = "accelerator", _("加速器")


class Incubator(models.Model):
    """An incubator, makerspace or accelerator in the zone, with the figures its level needs."""

    name = models.CharField(_("名称"), max_length=120, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=IncubatorKind.choices)
    operator = models.CharField(
        _("运营主体"), max_length=120, help_text=_("运营机构名称，如某孵化器运营公司")
    )
    operator_enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("运营主体（企业库）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="operated_incubators",
    )
    level = models.CharField(
        _("认定级别"),
        max_length=12,
        choices=Level.choices,
        blank=True,
        help_text=_("当前已认定的级别；升级经申报流程认定后自动更新"),
    )
    zone = models.ForeignKey(
        "enterprises.ParkZone",
        verbose_name=_("所在片区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    established_on = models.DateField(_("开始运营日期"), null=True, blank=True)
    area_m2 = models.DecimalField(_("自有孵化场地面积（㎡）"), null=True, blank=True, **AREA)
    tenant_area_m2 = models.DecimalField(
        _("在孵企业使用面积（㎡）"),
        null=True,
        blank=True,
        help_text=_("含公共服务场地"),
        **AREA,
    )
    capacity = models.PositiveIntegerField(_("可容纳企业数（家）"), null=True, blank=True)
    services = models.TextField(_("服务内容"), blank=True, help_text=_("每行一项"))
    seed_fund = models.DecimalField(_("种子（孵化）资金（元）"), null=True, blank=True, **MONEY)
    financed_tenants = models.PositiveIntegerField(
        _("获得投融资的在孵企业（家）"), null=True, blank=True
    )
    fund_use_cases = models.PositiveIntegerField(_("孵化资金使用案例（个）"), null=True, blank=True)
    staff_total = models.PositiveIntegerField(_("管理机构从业人员（人）"), null=True, blank=True)
    professional_staff = models.PositiveIntegerField(
        _("专业孵化服务人员（人）"), null=True, blank=True
    )
    mentors = models.PositiveIntegerField(_("创业导师（人）"), null=True, blank=True)
    tenants_with_patent_filings = models.PositiveIntegerField(
        _("申请专利的在孵企业（家）"), null=True, blank=True
    )
    tenants_with_valid_ip = models.PositiveIntegerField(
        _("拥有有效知识产权的在孵企业（家）"), null=True, blank=True
    )
    statistics_years = models.PositiveSmallIntegerField(
        _("连续报送统计数据年数"), null=True, blank=True
    )
    prior_graduates = models.PositiveIntegerField(
        _("系统录入前累计毕业企业（家）"),
        default=0,
        help_text=_("本系统登记之前已毕业的企业数，计入累计毕业企业"),
    )
    hardship_region = models.BooleanField(
        _("适用欠发达地区降低标准"), default=False, help_text=_("国家级条件数量指标降低20%")
    )
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_active = models.BooleanField(_("运营中"), default=True)
    closed_on = models.DateField(
        _("停止运营日期"),
        null=True,
        blank=True,
        help_text=_("停止运营的载体填写此日期（并取消“运营中”）：此前各期的统计仍计入该载体"),
    )
    history = HistoricalRecords()

    # Personal data (bureau.personal_data): masked unless the reader holds the permission.
    PERSONAL_FIELDS = {"contact_person": "name", "contact_phone": "phone"}

    class Meta:
        verbose_name = _("孵化载体")
        verbose_name_plural = _("孵化载体")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=IncubatorKind.values), name="incubator_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(level="") | Q(level__in=Level.values), name="incubator_level_known"
            ),
            models.CheckConstraint(
                condition=Q(tenant_area_m2__isnull=True)
                | Q(area_m2__isnull=True)
                | Q(tenant_area_m2__lte=models.F("area_m2")),
                name="incubator_tenant_area_within_area",
                violation_error_message=_("在孵企业使用面积不能大于孵化场地面积。"),
            ),
            models.CheckConstraint(
                condition=Q(professional_staff__isnull=True)
                | Q(staff_total__isnull=True)
                | Q(professional_staff__lte=models.F("staff_total")),
                name="incubator_professionals_within_staff",
                violation_error_message=_("专业孵化服务人员不能多于从业人员。"),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(is_active=False),
                name="incubator_closed_not_active",
                violation_error_message=_("填写了停止运营日期的载体不能仍为“运营中”。"),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(established_on__isnull=True)
                | Q(closed_on__gte=models.F("established_on")),
                name="incubator_closed_after_established",
                violation_error_message=_("停止运营日期不能早于开始运营日期。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("incubation:incubator_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if (
            self.tenant_area_m2 is not None
            and self.area_m2 is not None
            and self.tenant_area_m2 > self.area_m2
        ):
            errors["tenant_area_m2"] = _("在孵企业使用面积不能大于孵化场地面积。")
        if (
            self.professional_staff is not None
            and self.staff_total is not None
            and self.professional_staff > self.staff_total
        ):
            errors["professional_staff"] = _("专业孵化服务人员不能多于从业人员。")
        if self.closed_on is not None and self.is_active:
            errors["is_active"] = _("填写了停止运营日期的载体不能仍为“运营中”。")
        if (
            self.closed_on is not None
            and self.established_on is not None
            and self.closed_on < self.established_on
        ):
            errors["closed_on"] = _("停止运营日期不能早于开始运营日期。")
        if errors:
            raise ValidationError(errors)

    @property
    def applying_level_label(self) -> str:
        """The level an open application aims at (set by selectors.incubator_list)."""
        level = getattr(self, "applying_level", "") or ""
        return Level(level).label if level else ""

    @property
    def service_list(self) -> list[str]:
        return [line.strip() for line in self.services.splitlines() if line.strip()]


class IncubatorLevelApplication(Application):
    """An incubator's application to be recognised at a (higher) level: 争创国家级孵化器."""

    incubator = models.ForeignKey(
        Incubator,
        verbose_name=_("孵化载体"),
        on_delete=models.CASCADE,
        related_name="level_applications",
    )
    # The incubator's level just before this application was approved: the figures read an
    # incubator's level on a past day from its approvals, and before its first approval only
    # this records what the level was (Incubator.level is overwritten by the approval).
    previous_level = models.CharField(
        _("认定前级别"),
        max_length=12,
        choices=Level.choices,
        blank=True,
        help_text=_("认定时该孵化载体原有的级别，认定时自动记录；空表示原无级别或不详"),
    )
    history = HistoricalRecords()

    class Meta(Application.Meta):
        verbose_name = _("孵化载体升级申报")
        verbose_name_plural = _("孵化载体升级申报")
        ordering = ["-status_changed_at", "-pk"]
        constraints = [
            *Application.Meta.constraints,
            models.CheckConstraint(
                condition=~Q(level=""),
                name="incubator_application_level_required",
                violation_error_message=_("请填写申报级别。"),
            ),
            models.UniqueConstraint(
                fields=["incubator", "level"],
                condition=Q(status__in=OPEN_STATUSES),
                name="incubator_application_one_open_per_level",
                violation_error_message=_("该孵化载体已有同级别的申报正在进行。"),
            ),
        ]

    def __str__(self) -> str:
        return _("%(i)s申报%(l)s") % {"i": self.incubator, "l": self.get_level_display()}

    def get_absolute_url(self) -> str:
        return reverse("incubation:incubator_detail", args=[self.incubator_id])


class ExitReason(models.TextChoices):
    GRADUATED = "graduated", _("毕业")
    MOVED_OUT = "moved_out", _("迁出")
    DEREGISTERED = "deregistered", _("注销")
    OTHER = "other", _("其他")


class GraduationBasis(models.TextChoices):
    """The graduation criteria of 国科发区〔2018〕300号 (any one suffices)."""

    HITECH = "hitech", _("认定为高新技术企业")
    FINANCING = "financing", _("累计获得天使或风险投资500万元以上")
    REVENUE = "revenue", _("连续2年营业收入累计超过1000万元")
    ACQUIRED_OR_LISTED = "acquired_or_listed", _("被兼并、收购或上市")
    OTHER = "other", _("其他")


class Tenancy(models.Model):
    """An enterprise's stay in an incubator (在孵企业): entry, and exit or graduation (毕业).

    One enterprise's stays do not overlap: a stay covers [entered_on, exited_on), so a stay
    may begin on the day another ends. The database refuses a second current stay (the partial
    unique constraint below) and, on PostgreSQL, any overlap (exclusion constraint of
    migration 0004, no btree_gist needed). On SQLite the overlap of closed stays is enforced
    by clean() and by incubation.services.admit_tenant and the Excel import, which lock the
    enterprise row first.
    """

    incubator = models.ForeignKey(
        Incubator, verbose_name=_("孵化载体"), on_delete=models.CASCADE, related_name="tenancies"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="tenancies",
    )
    entered_on = models.DateField(_("入孵日期"))
    exited_on = models.DateField(_("离孵日期"), null=True, blank=True)
    exit_reason = models.CharField(
        _("离孵原因"), max_length=20, choices=ExitReason.choices, blank=True
    )
    graduation_basis = models.CharField(
        _("毕业条件"), max_length=20, choices=GraduationBasis.choices, blank=True
    )
    area_m2 = models.DecimalField(_("使用面积（㎡）"), null=True, blank=True, **AREA)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("在孵企业")
        verbose_name_plural = _("在孵企业")
        ordering = ["-entered_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(exited_on__isnull=True),
                name="tenancy_one_current_incubator_per_enterprise",
                violation_error_message=_("该企业已在另一孵化载体在孵，请先办理离孵。"),
            ),
            models.CheckConstraint(
                condition=Q(exited_on__isnull=True) | Q(exited_on__gte=models.F("entered_on")),
                name="tenancy_exit_after_entry",
                violation_error_message=_("离孵日期不能早于入孵日期。"),
            ),
            models.CheckConstraint(
                condition=(Q(exited_on__isnull=True) & Q(exit_reason=""))
                | (Q(exited_on__isnull=False) & Q(exit_reason__in=ExitReason.values)),
                name="tenancy_exit_reason_iff_exited",
                violation_error_message=_("离孵日期与离孵原因须同时填写。"),
            ),
            models.CheckConstraint(
                condition=Q(graduation_basis="") | Q(exit_reason=ExitReason.GRADUATED),
                name="tenancy_basis_only_when_graduated",
                violation_error_message=_("只有毕业企业才填写毕业条件。"),
            ),
            models.CheckConstraint(
                condition=Q(entered_on__year__gte=MIN_YEAR), name="tenancy_entry_after_2000"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} @ {self.incubator}"

    def get_absolute_url(self) -> str:
        return reverse("incubation:incubator_detail", args=[self.incubator_id])

    @property
    def is_current(self) -> bool:
        return self.exited_on is None

    @property
    def graduated(self) -> bool:
        return self.exit_reason == ExitReason.GRADUATED

    @property
    def graduated_on(self):
        return self.exited_on if self.graduated else None

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.exited_on and self.entered_on and self.exited_on < self.entered_on:
            errors["exited_on"] = _("离孵日期不能早于入孵日期。")
        if self.exited_on and not self.exit_reason:
            errors["exit_reason"] = _("请填写离孵原因。")
        if self.exit_reason and not self.exited_on:
            errors["exited_on"] = _("填写了离孵原因，请同时填写离孵日期。")
        if self.graduation_basis and self.exit_reason != ExitReason.GRADUATED:
            errors["graduation_basis"] = _("只有毕业企业才填写毕业条件。")
        if not errors and self.enterprise_id and self.entered_on:
            overlapping = self._overlapping()
            if overlapping is not None:
                errors["enterprise"] = _(
                    "该企业在 %(d)s 起已在「%(i)s」在孵，在孵期间不能重叠。"
                ) % {"d": overlapping.entered_on, "i": overlapping.incubator}
        if errors:
            raise ValidationError(errors)

    def _overlapping(self) -> "Tenancy | None":
        """Another stay of the same enterprise whose dates overlap this one's, each stay being
        [entered_on, exited_on): leaving on the day of entering elsewhere is no overlap. The
        exclusion constraint of migration 0004 refuses the same on PostgreSQL."""
        others = Tenancy.objects.filter(enterprise_id=self.enterprise_id).exclude(pk=self.pk)
        others = others.filter(Q(exited_on__isnull=True) | Q(exited_on__gt=self.entered_on))
        if self.exited_on:
            others = others.filter(entered_on__lt=self.exited_on)
        return others.select_related("incubator").first()


# --- R&D platforms -----------------------------------------------------------------------------


class RDPlatformKind(models.Model):
    """Reference data: 企业技术中心, 工程技术研究中心, 重点实验室, … and others a bureau adds."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("研发平台类型")
        verbose_name_plural = _("研发平台类型")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class RDPlatform(Application):
    """An enterprise's R&D platform (研发平台/研发中心) and its recognition at a level."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("依托企业"),
        on_delete=models.CASCADE,
        related_name="rd_platforms",
    )
    kind = models.ForeignKey(RDPlatformKind, verbose_name=_("平台类型"), on_delete=models.PROTECT)
    name = models.CharField(_("平台名称"), max_length=120)
    tech_field = models.CharField(_("技术领域"), max_length=80, blank=True)
    history = HistoricalRecords()

    class Meta(Application.Meta):
        verbose_name = _("研发平台")
        verbose_name_plural = _("研发平台")
        ordering = ["-approved_on", "name", "pk"]
        constraints = [
            *Application.Meta.constraints,
            _approved_has_level("rdplatform"),
            models.UniqueConstraint(
                fields=["enterprise", "kind", "level"],
                condition=Q(status__in=OPEN_STATUSES),
                name="rdplatform_one_open_per_kind_level",
                violation_error_message=_("该企业已有同类型、同级别的研发平台申报正在进行。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("incubation:platform_detail", args=[self.pk])


# --- Platform recognitions ---------------------------------------------------------------------


class RecognitionKind(models.TextChoices):
    DIGITAL_WORKSHOP = "digital_workshop", _("数字化车间")
    SMART_FACTORY = "smart_factory", _("智能工厂")
    GREEN_FACTORY = "green_factory", _("绿色工厂")
    BIG_DATA_ENTERPRISE = "big_data_enterprise", _("大数据企业")
    FIRST_SET = "first_set", _("首台套")  # 首台（套）重大技术装备
    FIRST_BATCH = "first_batch", _("首批次")  # 首批次新材料
    FIRST_VERSION = "first_version", _("首版次")  # 首版次软件


# The "三首" products: recognised for one of an enterprise's products, so a product is named.
PRODUCT_KINDS = (
    RecognitionKind.FIRST_SET,
    RecognitionKind.FIRST_BATCH,
    RecognitionKind.FIRST_VERSION,
)


class PlatformRecognition(Application):
    """A recognition of an enterprise (or one of its products, for 三首) at a level."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="platform_recognitions",
    )
    kind = models.CharField(_("认定类别"), max_length=30, choices=RecognitionKind.choices)
    product_name = models.CharField(
        _("产品名称"), max_length=120, blank=True, help_text=_("“三首”产品必填")
    )
    title = models.CharField(
        _("名称"), max_length=120, blank=True, help_text=_("如车间、工厂名称（可选）")
    )
    history = HistoricalRecords()

    class Meta(Application.Meta):
        verbose_name = _("平台认定")
        verbose_name_plural = _("平台认定")
        ordering = ["-approved_on", "-status_changed_at", "pk"]
        constraints = [
            *Application.Meta.constraints,
            _approved_has_level("recognition"),
            models.CheckConstraint(
                condition=Q(kind__in=RecognitionKind.values), name="recognition_kind_known"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=PRODUCT_KINDS) | ~Q(product_name=""),
                name="recognition_product_named",
                violation_error_message=_("“三首”产品认定须填写产品名称。"),
            ),
            models.UniqueConstraint(
                fields=["enterprise", "kind", "level", "product_name"],
                condition=Q(status__in=OPEN_STATUSES),
                name="recognition_one_open_per_kind_level",
                violation_error_message=_("该企业已有同类别、同级别的认定申报正在进行。"),
            ),
        ]

    def __str__(self) -> str:
        level = self.get_level_display() if self.level else ""
        what = f"{level}{self.get_kind_display()}"
        if self.product_name:
            what += f"「{self.product_name}」"
        return f"{self.enterprise} · {what}"

    def get_absolute_url(self) -> str:
        return reverse("incubation:recognition_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.kind in PRODUCT_KINDS and not self.product_name.strip():
            raise ValidationError({"product_name": _("“三首”产品认定须填写产品名称。")})
