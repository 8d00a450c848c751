"""The enterprise registry and its figures (DESIGN.md: enterprises/)."""

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

from bureau.models import MIN_YEAR, ReportingPeriod, ensure_period_open

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
