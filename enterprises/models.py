"""The enterprise registry and its figures (DESIGN.md: enterprises/)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bureau.models import (
    MIN_YEAR,
    Application,
    ApplicationQuerySet,
    ApplicationStatus,
    Level,
    ReportingPeriod,
    ensure_period_open,
)

from . import credit_code, industries

MONEY = {"max_digits": 18, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class SizeClass(models.TextChoices):
    """Enterprise size (企业规模), 统计上大中小微型企业划分办法（2017）."""

    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class StrategicIndustry(models.TextChoices):
    """战略性新兴产业分类（2018）, the nine top-level categories."""

    NEXT_GEN_IT = "next_gen_it", _("新一代信息技术产业")
    HIGH_END_EQUIPMENT = "high_end_equipment", _("高端装备制造产业")
    NEW_MATERIALS = "new_materials", _("新材料产业")
    BIOTECH = "biotech", _("生物产业")
    NEW_ENERGY_VEHICLES = "new_energy_vehicles", _("新能源汽车产业")
    NEW_ENERGY = "new_energy", _("新能源产业")
    ENERGY_SAVING = "energy_saving", _("节能环保产业")
    DIGITAL_CREATIVE = "digital_creative", _("数字创意产业")
    RELATED_SERVICES = "related_services", _("相关服务业")


class ParkZone(models.Model):
    """A zone (片区/园区) of the development zone; reference data."""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("园区片区")
        verbose_name_plural = _("园区片区")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Enterprise(models.Model):
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        unique=True,
        validators=[credit_code.validate_credit_code],
        error_messages={"unique": _("统一社会信用代码已存在于企业库。")},
    )
    name = models.CharField(_("企业名称"), max_length=120, db_index=True)
    industry_division = models.CharField(
        _("所属行业（大类）"), max_length=2, choices=industries.DIVISION_CHOICES
    )
    size_class = models.CharField(_("企业规模"), max_length=10, choices=SizeClass.choices)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    registered_capital = models.DecimalField(_("注册资本（元）"), null=True, blank=True, **MONEY)
    address = models.CharField(_("注册地址"), max_length=200, blank=True)
    zone = models.ForeignKey(
        ParkZone, verbose_name=_("所在片区"), null=True, blank=True, on_delete=models.PROTECT
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    strategic_industry = models.CharField(
        _("战略性新兴产业类别"), max_length=30, choices=StrategicIndustry.choices, blank=True
    )
    main_products = models.CharField(_("主要产品"), max_length=200, blank=True)
    is_active = models.BooleanField(_("在册"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    # Personal data (bureau.personal_data): masked unless the reader holds the permission.
    PERSONAL_FIELDS = {
        "legal_representative": "name",
        "contact_person": "name",
        "contact_phone": "phone",
    }

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_code__regex=credit_code.DB_REGEX),
                name="enterprise_credit_code_format",
                violation_error_message=_(
                    "统一社会信用代码应为18位数字或大写字母（不含I、O、S、V、Z）。"
                ),
            ),
            models.CheckConstraint(
                condition=Q(industry_division__in=list(industries.DIVISIONS)),
                name="enterprise_industry_division_known",
            ),
            models.CheckConstraint(
                condition=Q(size_class__in=SizeClass.values), name="enterprise_size_class_known"
            ),
            models.CheckConstraint(
                condition=Q(registered_capital__isnull=True) | Q(registered_capital__gte=0),
                name="enterprise_capital_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.credit_code = credit_code.normalize(self.credit_code)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("enterprises:detail", args=[self.pk])

    def clean(self) -> None:
        self.credit_code = credit_code.normalize(self.credit_code)
        if self.established_on and self.established_on > timezone.localdate():
            raise ValidationError({"established_on": _("成立日期不能晚于今天。")})

    @property
    def industry_section(self) -> str:
        return industries.section_of(self.industry_division)

    @property
    def industry_label(self) -> str:
        return f"{industries.section_name(self.industry_section)} / {self.get_industry_division_display()}"


class EnterpriseAccount(models.Model):
    """Links an enterprise user (企业填报员) to exactly one enterprise."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="enterprise_account",
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="accounts"
    )

    class Meta:
        verbose_name = _("企业账号")
        verbose_name_plural = _("企业账号")

    def __str__(self) -> str:
        return f"{self.user} → {self.enterprise}"


def _check_not_future(year: int | None, field: str = "year") -> None:
    if year is not None and year > timezone.localdate().year:
        raise ValidationError(
            {field: _("年度 %(y)s 晚于今年，不能填报未来年度的数据。") % {"y": year}}
        )


class AnnualFigures(models.Model):
    """An enterprise's figures for a financial year (元, persons, counts).

    The year's figures lock with its fourth-quarter reporting period.
    """

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="annual_figures"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    revenue = models.DecimalField(_("营业收入（元）"), null=True, blank=True, **MONEY)
    main_business_revenue = models.DecimalField(
        _("主营业务收入（元）"), null=True, blank=True, **MONEY
    )
    rd_expense = models.DecimalField(_("研发费用（元）"), null=True, blank=True, **MONEY)
    cost_expense_total = models.DecimalField(
        _("成本费用总额（元）"), null=True, blank=True, **MONEY
    )
    hitech_product_revenue = models.DecimalField(
        _("高新技术产品（服务）收入（元）"), null=True, blank=True, **MONEY
    )
    total_assets = models.DecimalField(_("资产总额（元）"), null=True, blank=True, **MONEY)
    total_liabilities = models.DecimalField(_("负债总额（元）"), null=True, blank=True, **MONEY)
    net_profit = models.DecimalField(
        _("净利润（元）"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    equity_financing = models.DecimalField(_("新增股权融资（元）"), null=True, blank=True, **MONEY)
    employees = models.PositiveIntegerField(_("从业人员（人）"), null=True, blank=True)
    tech_staff = models.PositiveIntegerField(_("科技人员（人）"), null=True, blank=True)
    rd_staff = models.PositiveIntegerField(_("研发人员（人）"), null=True, blank=True)
    invention_patents = models.PositiveIntegerField(_("发明专利（件）"), default=0)
    other_class1_ip = models.PositiveIntegerField(_("其他I类知识产权（件）"), default=0)
    utility_models = models.PositiveIntegerField(_("实用新型专利（件）"), default=0)
    design_patents = models.PositiveIntegerField(_("外观设计专利（件）"), default=0)
    software_copyrights = models.PositiveIntegerField(_("软件著作权（件）"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("企业年度数据")
        verbose_name_plural = _("企业年度数据")
        ordering = ["-year", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="annual_unique_year"),
            models.CheckConstraint(condition=Q(year__gte=MIN_YEAR), name="annual_year_after_2000"),
            models.CheckConstraint(
                condition=Q(tech_staff__isnull=True)
                | Q(employees__isnull=True)
                | Q(tech_staff__lte=models.F("employees")),
                name="annual_tech_staff_within_employees",
                violation_error_message=_("科技人员不能多于从业人员。"),
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0}),
                    name=f"annual_{name}_non_negative",
                )
                for name in (
                    "revenue",
                    "main_business_revenue",
                    "rd_expense",
                    "cost_expense_total",
                    "hitech_product_revenue",
                    "total_assets",
                    "total_liabilities",
                    "equity_financing",
                )
            ],
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"

    def save(self, *args, **kwargs) -> None:
        ensure_period_open(self.locking_period(), what=_("年度数据"))
        super().save(*args, **kwargs)

    @property
    def class1_ip(self) -> int:
        return self.invention_patents + self.other_class1_ip

    @property
    def class2_ip(self) -> int:
        return self.utility_models + self.design_patents + self.software_copyrights

    def locking_period(self) -> ReportingPeriod | None:
        return ReportingPeriod.objects.filter(year=self.year, quarter=4).first()

    def clean(self) -> None:
        _check_not_future(self.year)
        if (
            self.tech_staff is not None
            and self.employees is not None
            and self.tech_staff > self.employees
        ):
            raise ValidationError({"tech_staff": _("科技人员不能多于从业人员。")})
        ensure_period_open(self.locking_period(), what=_("年度数据"))


class QuarterlyFigures(models.Model):
    """Year-to-date figures staff collect each quarter (元, persons)."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="quarterly_figures",
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("填报期"), on_delete=models.PROTECT, related_name="+"
    )
    revenue_ytd = models.DecimalField(_("营业收入（本年累计，元）"), null=True, blank=True, **MONEY)
    rd_expense_ytd = models.DecimalField(
        _("研发费用（本年累计，元）"), null=True, blank=True, **MONEY
    )
    industrial_output_ytd = models.DecimalField(
        _("工业总产值（本年累计，元）"), null=True, blank=True, **MONEY
    )
    tax_ytd = models.DecimalField(_("税收（本年累计，元）"), null=True, blank=True, **MONEY)
    employees = models.PositiveIntegerField(_("从业人员（期末，人）"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("企业季度数据")
        verbose_name_plural = _("企业季度数据")
        ordering = ["-period__year", "-period__quarter", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "period"], name="quarterly_unique_period"
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0}),
                    name=f"quarterly_{name}_non_negative",
                )
                for name in ("revenue_ytd", "rd_expense_ytd", "industrial_output_ytd", "tax_ytd")
            ],
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.period}"

    def save(self, *args, **kwargs) -> None:
        ensure_period_open(self.period, what=_("季度数据"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        ensure_period_open(self.period, what=_("季度数据"))
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        if self.period_id:
            _check_not_future(self.period.year, "period")
            ensure_period_open(self.period, what=_("季度数据"))


# --- The tier ladder (梯次培育) ------------------------------------------------------------------


class RuleFamily(models.TextChoices):
    """Which pre-screening rules of enterprises.eligibility apply to a qualification kind."""

    TECH_SME = "tech_sme", _("科技型中小企业评价")
    TECH_INNOVATIVE_SME = "tech_innovative_sme", _("科技和创新型中小企业（2026）")
    HITECH = "hitech", _("高新技术企业认定")
    INNOVATIVE_SME = "innovative_sme", _("创新型中小企业评价")
    SPECIALISED_SME = "specialised_sme", _("专精特新中小企业认定")
    LITTLE_GIANT = "little_giant", _("专精特新“小巨人”认定")
    STRATEGIC_EMERGING = "strategic_emerging", _("战略性新兴产业入库")
    NONE = "", _("无预审规则")


class ValidityRule(models.TextChoices):
    YEAR_OF_ISSUE = "year_of_issue", _("当年有效")
    YEARS = "years", _("自认定日起若干年")
    OPEN = "open", _("长期有效")


class QualificationKind(models.Model):
    """Reference data: a title on the ladder (科小入库, 高企, 创新型, 专精特新, 小巨人, 战新入库…).

    A bureau adds a kind in the admin; `rule_family` links it to pre-screening rules if any.
    """

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    short_name = models.CharField(_("简称"), max_length=20, blank=True)
    rule_family = models.CharField(
        _("预审规则"), max_length=30, choices=RuleFamily.choices, blank=True
    )
    default_level = models.CharField(
        _("默认级别"), max_length=12, choices=Level.choices, blank=True
    )
    validity_rule = models.CharField(
        _("有效期规则"), max_length=20, choices=ValidityRule.choices, default=ValidityRule.YEARS
    )
    validity_years = models.PositiveSmallIntegerField(_("有效年限"), null=True, blank=True)
    requires_certificate = models.BooleanField(
        _("认定须有证书编号"),
        default=True,
        help_text=_("勾选后，认定（已认定）时必须填写证书或入库编号。"),
    )
    ladder_rank = models.PositiveSmallIntegerField(
        _("梯次"), default=0, help_text=_("梯次培育中的层级，数字越大层级越高；0 表示不在梯次中。")
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("资质类型")
        verbose_name_plural = _("资质类型")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(validity_rule="years") | Q(validity_years__gte=1),
                name="qualification_kind_years_given",
                violation_error_message=_("按年限计算有效期时，有效年限至少为1年。"),
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        if self.validity_rule == ValidityRule.YEARS and not self.validity_years:
            raise ValidationError({"validity_years": _("按年限计算有效期时，请填写有效年限。")})

    def validity_for(self, start: datetime.date) -> tuple[datetime.date, datetime.date | None]:
        """(valid_from, valid_to) of a title recognised on `start`."""
        if self.validity_rule == ValidityRule.YEAR_OF_ISSUE:
            return datetime.date(start.year, 1, 1), datetime.date(start.year, 12, 31)
        if self.validity_rule == ValidityRule.YEARS and self.validity_years:
            return start, add_years(start, self.validity_years) - datetime.timedelta(days=1)
        return start, None


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later (29 February becomes 1 March)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return datetime.date(day.year + years, 3, 1)


class QualificationQuerySet(ApplicationQuerySet):
    def overlapping(self, q: "Qualification") -> "QualificationQuerySet":
        """Other approved qualifications of q's enterprise, kind and level whose validity meets q's."""
        qs = self.approved().filter(enterprise_id=q.enterprise_id, kind_id=q.kind_id, level=q.level)
        if q.pk:
            qs = qs.exclude(pk=q.pk)
        if q.valid_to is not None:
            qs = qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=q.valid_to))
        if q.valid_from is not None:
            qs = qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=q.valid_from))
        return qs


class Qualification(Application):
    """One enterprise's application for, or holding of, one title on the ladder.

    Moves through the shared pipeline (bureau.services.transition_application). The database
    refuses valid_to < valid_from (Application) and an approved title without a start date; on
    PostgreSQL an exclusion constraint (migration 0003) also refuses two approved titles of the
    same enterprise, kind and level whose validity overlaps. On SQLite that rule is enforced by
    clean() and by enterprises.services, which lock the enterprise row first.
    """

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="qualifications",
    )
    kind = models.ForeignKey(
        QualificationKind,
        verbose_name=_("资质类型"),
        on_delete=models.PROTECT,
        related_name="qualifications",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = QualificationQuerySet.as_manager()

    class Meta(Application.Meta):
        verbose_name = _("企业资质")
        verbose_name_plural = _("企业资质")
        ordering = ["-batch_year", "kind__order", "enterprise__name"]
        constraints = [
            *Application.Meta.constraints,
            models.CheckConstraint(
                condition=~Q(status=ApplicationStatus.APPROVED) | Q(valid_from__isnull=False),
                name="qualification_approved_has_start",
                violation_error_message=_("已认定的资质必须有有效期起。"),
            ),
            models.CheckConstraint(
                condition=Q(level="") | Q(level__in=Level.values),
                name="qualification_level_known",
            ),
            models.CheckConstraint(
                condition=Q(batch_year__isnull=True)
                | Q(batch_year__gte=MIN_YEAR, batch_year__lte=2100),
                name="qualification_batch_year_range",
            ),
        ]
        indexes = [models.Index(fields=["kind", "status", "batch_year"])]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.kind}"

    def get_absolute_url(self) -> str:
        return reverse("enterprises:qualification_detail", args=[self.pk])

    def clean(self) -> None:
        if self.status == ApplicationStatus.APPROVED and self.kind_id:
            kind = self.kind
            if kind.requires_certificate and not self.certificate_no.strip():
                raise ValidationError(
                    {"certificate_no": _("认定为「已认定」时必须填写证书编号（入库编号）。")}
                )
            start = self.approved_on or self.valid_from
            if start is not None:
                default_from, default_to = kind.validity_for(start)
                if self.valid_from is None:
                    self.valid_from = default_from
                if self.valid_to is None:
                    self.valid_to = default_to
            if not self.level and kind.default_level:
                self.level = kind.default_level
        super().clean()
        if (
            self.status == ApplicationStatus.APPROVED
            and self.enterprise_id
            and self.kind_id
            and Qualification.objects.overlapping(self).exists()
        ):
            raise ValidationError(
                {
                    "valid_from": _(
                        "该企业已有同类型、同级别且有效期重叠的已认定资质，不能重复认定。"
                    )
                }
            )

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return (
            self.status == ApplicationStatus.APPROVED
            and (self.valid_from is None or self.valid_from <= today)
            and (self.valid_to is None or self.valid_to >= today)
        )


class InnovationProfile(models.Model):
    """Facts the tier criteria ask for beyond the yearly figures (criteria.md §1.3, §3).

    Each field left empty means "not known": pre-screening then names it as missing rather
    than guessing.
    """

    enterprise = models.OneToOneField(
        Enterprise,
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="innovation_profile",
    )
    niche_since_year = models.PositiveSmallIntegerField(
        _("深耕细分市场起始年度"), null=True, blank=True
    )
    rd_institution_level = models.CharField(
        _("研发机构最高级别"),
        max_length=12,
        blank=True,
        choices=[*Level.choices, ("none", _("无研发机构"))],
        help_text=_("留空表示未知。"),
    )
    award_level = models.CharField(
        _("科技奖励级别"),
        max_length=12,
        blank=True,
        choices=[*Level.choices, ("none", _("无"))],
        help_text=_("近5年获得的最高级别科学技术奖；留空表示未知。"),
    )
    award_year = models.PositiveSmallIntegerField(_("获奖年度"), null=True, blank=True)
    award_rank = models.PositiveSmallIntegerField(_("获奖单位排名"), null=True, blank=True)
    led_standard_year = models.PositiveSmallIntegerField(
        _("主导制定标准的最近年度"),
        null=True,
        blank=True,
        help_text=_("主导制定国际、国家或行业标准的最近年度；没有则留空。"),
    )
    high_value_class1_ip = models.PositiveIntegerField(
        _("I类高价值知识产权（件）"), null=True, blank=True
    )
    self_developed_class1_ip = models.PositiveIntegerField(
        _("自主研发I类知识产权（件）"), null=True, blank=True
    )
    digital_level = models.PositiveSmallIntegerField(
        _("数字化水平等级"),
        null=True,
        blank=True,
        help_text=_("中小企业数字化水平评测等级1–4；留空表示未测评。"),
    )
    development_score = models.DecimalField(
        _("专精特新发展评价得分"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("优质中小企业梯度培育平台给出的得分（2026年办法），须有佐证。"),
    )
    development_score_year = models.PositiveSmallIntegerField(
        _("发展评价年度"), null=True, blank=True
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("企业创新要素")
        verbose_name_plural = _("企业创新要素")
        constraints = [
            models.CheckConstraint(
                condition=Q(digital_level__isnull=True)
                | Q(digital_level__gte=1, digital_level__lte=4),
                name="innovation_digital_level_1_to_4",
                violation_error_message=_("数字化水平等级应为1至4。"),
            ),
            models.CheckConstraint(
                condition=Q(development_score__isnull=True)
                | Q(development_score__gte=0, development_score__lte=100),
                name="innovation_development_score_0_100",
                violation_error_message=_("发展评价得分应在0至100之间。"),
            ),
            models.CheckConstraint(
                condition=Q(award_rank__isnull=True) | Q(award_rank__gte=1),
                name="innovation_award_rank_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self._meta.verbose_name}"


# --- Pre-screening results (预筛结果) ------------------------------------------------------------


class PrescreenOutcome(models.TextChoices):
    """The same outcomes as `eligibility.Outcome`, in the order the list ranks them."""

    ELIGIBLE = "eligible", _("预估符合")
    CANNOT_TELL = "cannot_tell", _("无法判断")
    NEEDS_REVIEW = "needs_review", _("需人工判断")
    NOT_ELIGIBLE = "not_eligible", _("预估不符合")


class PrescreenResult(models.Model):
    """预筛结果: one enterprise pre-screened for one kind under one rule set, kept as data so the
    pre-screening lists are queries (enterprises.prescreening computes and refreshes them).

    The enterprise's name, zone, industry and size are copied here because the list filters
    and sorts on them with the ranking columns, in one index; a change to the enterprise
    recomputes its rows. `reasons` holds the shown text in every UI language: the rule labels
    are translated when computed, not on every view."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="prescreen_results"
    )
    kind = models.ForeignKey(
        QualificationKind, on_delete=models.CASCADE, related_name="prescreen_results"
    )
    rule_set = models.CharField(_("规则版本"), max_length=20)
    rules_digest = models.CharField(max_length=16)  # the rules' code and the kinds' set-up
    assessed_on = models.DateField(_("预审日期"))
    computed_at = models.DateTimeField(_("计算时间"))
    holds_kind = models.BooleanField(default=False)  # holds the kind on assessed_on: not listed
    outcome = models.CharField(_("预审结果"), max_length=20, choices=PrescreenOutcome.choices)
    outcome_rank = models.PositiveSmallIntegerField()
    score = models.DecimalField(_("得分"), max_digits=7, decimal_places=2, null=True)
    score_max = models.DecimalField(_("得分上限"), max_digits=7, decimal_places=2, null=True)
    sort_score = models.DecimalField(max_digits=7, decimal_places=2, default=0)  # score or 0
    failed_count = models.PositiveSmallIntegerField(default=0)
    tier_code = models.CharField(max_length=40, blank=True)  # highest ladder title held
    enterprise_name = models.CharField(max_length=120)
    zone = models.ForeignKey(ParkZone, null=True, on_delete=models.SET_NULL, related_name="+")
    industry_division = models.CharField(max_length=2)
    size_class = models.CharField(max_length=10, choices=SizeClass.choices)
    # Codes of the counted rules by status: {"pass": [...], "fail": [...], "unknown": [...],
    # "manual": [...]}.
    conditions = models.JSONField(default=dict)
    # Per language code: {"failed": [[label, value, threshold], ...], "missing": [...],
    # "manual": [...]}: what the page and the export show.
    reasons = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("预筛结果")
        verbose_name_plural = _("预筛结果")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "kind", "rule_set"], name="prescreen_result_unique"
            ),
        ]
        indexes = [
            # The list's ranking: WHERE kind, rule set, not holding ORDER BY the rank columns,
            # the filtered columns included, so that counting, filtering and paging read the
            # index alone (PostgreSQL; SQLite ignores INCLUDE).
            models.Index(
                fields=[
                    "kind",
                    "rule_set",
                    "holds_kind",
                    "outcome_rank",
                    "-sort_score",
                    "failed_count",
                    "enterprise_name",
                    "enterprise",
                ],
                include=["zone", "size_class", "industry_division", "outcome", "tier_code"],
                name="prescreen_rank_idx",
            ),
            models.Index(fields=["kind", "rule_set", "computed_at"], name="prescreen_computed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_name} {self.kind_id} {self.rule_set} {self.outcome}"

    def _reasons(self) -> dict:
        from django.utils.translation import get_language

        reasons = self.reasons or {}
        return reasons.get(get_language() or "") or reasons.get(settings.LANGUAGE_CODE) or {}

    @property
    def failed_reasons(self) -> list[list[str]]:
        """[label, value, threshold] of each failed counted rule, in the active language."""
        return self._reasons().get("failed", [])

    @property
    def missing_names(self) -> list[str]:
        return self._reasons().get("missing", [])

    @property
    def manual_labels(self) -> list[str]:
        return self._reasons().get("manual", [])

    @property
    def score_text(self) -> str:
        """The score as the rules state it ("72", "16.5"), a range when unknowns allow more."""
        if self.score is None:
            return "—"
        low = _plain(self.score)
        if self.score_max is not None and self.score_max != self.score:
            return f"{low}–{_plain(self.score_max)}"
        return low


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")
