"""Technology finance (科技金融, summary section 五): institutions, products, the 科技担
guarantee scheme, financing needs, matchmaking events, signings and disbursements.

Money is Decimal in 元; rates are annual percentages; terms are months.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q, Sum
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bureau.masking import mask_name
from bureau.models import Application, created_by_field

from .tiers import tier_label

POSITIVE_MONEY = {
    "max_digits": 16,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0.01"), message=_("金额必须大于0。"))],
}
RATE = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0"), message=_("利率不能为负数。"))],
}


# --- Institutions ----------------------------------------------------------------------------


class InstitutionKind(models.TextChoices):
    BANK = "bank", _("银行")
    GUARANTOR = "guarantor", _("担保公司")
    INVESTOR = "investor", _("投资机构")
    OTHER = "other", _("其他金融机构")


class Institution(models.Model):
    """A bank, guarantee company or other financial institution (金融机构)."""

    name = models.CharField(_("机构名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    kind = models.CharField(_("机构类型"), max_length=12, choices=InstitutionKind.choices)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("合作中"), default=True)
    notes = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("金融机构")
        verbose_name_plural = _("金融机构")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=InstitutionKind.values), name="finance_institution_kind_known"
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class Branch(models.Model):
    """A branch (支行/营业部) of an institution serving the zone."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("所属机构"), on_delete=models.CASCADE, related_name="branches"
    )
    name = models.CharField(_("网点名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("机构网点")
        verbose_name_plural = _("机构网点")
        ordering = ["institution__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "name"], name="finance_branch_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.name}"


class Contact(models.Model):
    """A person at an institution the bureau deals with (客户经理, 对接人)."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("所属机构"), on_delete=models.CASCADE, related_name="contacts"
    )
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("网点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
    )
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    history = HistoricalRecords()

    # Personal data (bureau.personal_data): masked unless the reader holds the permission.
    PERSONAL_FIELDS = {"name": "name", "phone": "phone", "email": "email"}

    class Meta:
        verbose_name = _("机构联系人")
        verbose_name_plural = _("机构联系人")
        ordering = ["institution__name", "name"]

    def __str__(self) -> str:
        # Masked on purpose: __str__ shows up in dropdowns, history lists and the admin log.
        return f"{mask_name(self.name)}（{self.institution}）"

    def clean(self) -> None:
        if (
            self.branch_id
            and self.institution_id
            and self.branch.institution_id != self.institution_id
        ):
            raise ValidationError({"branch": _("网点不属于所选机构。")})


# --- Products --------------------------------------------------------------------------------


class ProductKind(models.TextChoices):
    CREDIT_LOAN = "credit_loan", _("信用贷款")
    GUARANTEE_LOAN = "guarantee_loan", _("担保贷款")
    IP_PLEDGE = "ip_pledge", _("知识产权质押贷款")
    SUPPLY_CHAIN = "supply_chain", _("供应链金融")
    EQUITY = "equity", _("股权融资")


class ProductStatus(models.TextChoices):
    ACTIVE = "active", _("在办")
    RETIRED = "retired", _("已停办")


def _range_check(low: str, high: str, name: str, message) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{low}__isnull": True})
        | Q(**{f"{high}__isnull": True})
        | Q(**{f"{high}__gte": F(low)}),
        name=name,
        violation_error_message=message,
    )


class FinancialProduct(models.Model):
    """A financial product (金融产品) such as 智造贷 or 善科贷, with its terms and eligibility.

    Eligibility lists are empty when the product does not restrict on them: `eligible_tiers`
    holds tier codes (finance.tiers), `eligible_sizes` size classes, `eligible_industries`
    GB/T 4754 division codes or section letters.
    """

    name = models.CharField(_("产品名称"), max_length=60)
    provider = models.ForeignKey(
        Institution, verbose_name=_("提供机构"), on_delete=models.PROTECT, related_name="products"
    )
    kind = models.CharField(_("产品类型"), max_length=20, choices=ProductKind.choices)
    min_amount = models.DecimalField(_("最低额度（元）"), null=True, blank=True, **POSITIVE_MONEY)
    max_amount = models.DecimalField(_("最高额度（元）"), null=True, blank=True, **POSITIVE_MONEY)
    min_rate = models.DecimalField(_("最低年利率（%）"), null=True, blank=True, **RATE)
    max_rate = models.DecimalField(_("最高年利率（%）"), null=True, blank=True, **RATE)
    min_term_months = models.PositiveSmallIntegerField(_("最短期限（月）"), null=True, blank=True)
    max_term_months = models.PositiveSmallIntegerField(_("最长期限（月）"), null=True, blank=True)
    requires_collateral = models.BooleanField(_("需要抵质押"), default=False)
    collateral_note = models.CharField(_("抵质押/担保要求"), max_length=200, blank=True)
    eligible_tiers = models.JSONField(_("适用企业梯次"), default=list, blank=True)
    eligible_sizes = models.JSONField(_("适用企业规模"), default=list, blank=True)
    eligible_industries = models.JSONField(_("适用行业"), default=list, blank=True)
    description = models.TextField(_("产品说明"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ProductStatus.choices, default=ProductStatus.ACTIVE
    )
    launched_on = models.DateField(_("推出日期"), null=True, blank=True)
    retired_on = models.DateField(_("停办日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("金融产品")
        verbose_name_plural = _("金融产品")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "name"], name="finance_product_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ProductKind.values), name="finance_product_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(min_amount__isnull=True) | Q(min_amount__gt=0),
                name="finance_product_min_amount_positive",
                violation_error_message=_("最低额度必须大于0。"),
            ),
            models.CheckConstraint(
                condition=Q(max_amount__isnull=True) | Q(max_amount__gt=0),
                name="finance_product_max_amount_positive",
                violation_error_message=_("最高额度必须大于0。"),
            ),
            models.CheckConstraint(
                condition=Q(min_rate__isnull=True) | Q(min_rate__gte=0),
                name="finance_product_min_rate_non_negative",
            ),
            _range_check(
                "min_amount",
                "max_amount",
                "finance_product_amount_range",
                _("最高额度不能低于最低额度。"),
            ),
            _range_check(
                "min_rate",
                "max_rate",
                "finance_product_rate_range",
                _("最高利率不能低于最低利率。"),
            ),
            _range_check(
                "min_term_months",
                "max_term_months",
                "finance_product_term_range",
                _("最长期限不能短于最短期限。"),
            ),
            _range_check(
                "launched_on",
                "retired_on",
                "finance_product_retired_after_launch",
                _("停办日期不能早于推出日期。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("finance:product_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        pairs = [
            ("min_amount", "max_amount", _("最高额度不能低于最低额度。")),
            ("min_rate", "max_rate", _("最高利率不能低于最低利率（利率区间上下颠倒）。")),
            ("min_term_months", "max_term_months", _("最长期限不能短于最短期限。")),
            ("launched_on", "retired_on", _("停办日期不能早于推出日期。")),
        ]
        for low, high, message in pairs:
            a, b = getattr(self, low), getattr(self, high)
            if a is not None and b is not None and b < a:
                errors[high] = message
        if errors:
            raise ValidationError(errors)

    @property
    def is_active(self) -> bool:
        return self.status == ProductStatus.ACTIVE

    @property
    def tier_labels(self) -> list[str]:
        return [tier_label(code) for code in self.eligible_tiers]


# --- The 科技担 guarantee scheme ------------------------------------------------------------


class SchemeStage(models.TextChoices):
    """The approval path of a guarantee scheme, in order."""

    DESIGN = "design", _("方案设计")
    CONTRACT = "contract", _("合同拟定")
    JUDICIAL_REVIEW = "judicial_review", _("司法审查")
    COUNTY_REVIEW = "county_review", _("县政府审核")
    SIGNING = "signing", _("签约")
    LAUNCHED = "launched", _("上线")


SCHEME_STAGE_ORDER: list[str] = list(SchemeStage.values)


def stage_number(stage: str) -> int:
    """1-based position of a stage on the approval path (方案设计 = 1 … 上线 = 6)."""
    return SCHEME_STAGE_ORDER.index(stage) + 1


_SHARE_SUM = F("bank_share") + F("guarantor_share") + F("government_share")


class GuaranteeScheme(Application):
    """A guarantee scheme (担保计划) such as 科技担: a bank lends, a guarantor guarantees, the
    government's risk-compensation pool shares the losses, and the line is amplified.

    It moves through the shared pipeline (bureau.models.Application) and, in finer grain, through
    its own stages (SchemeStage), each kept as a SchemeStageEntry.
    """

    name = models.CharField(_("计划名称"), max_length=60, unique=True)
    bank = models.ForeignKey(
        Institution,
        verbose_name=_("合作银行"),
        on_delete=models.PROTECT,
        related_name="schemes_as_bank",
        limit_choices_to={"kind": InstitutionKind.BANK},
    )
    guarantor = models.ForeignKey(
        Institution,
        verbose_name=_("担保机构"),
        on_delete=models.PROTECT,
        related_name="schemes_as_guarantor",
        limit_choices_to={"kind": InstitutionKind.GUARANTOR},
    )
    stage = models.CharField(
        _("当前阶段"), max_length=20, choices=SchemeStage.choices, default=SchemeStage.DESIGN
    )
    compensation_fund = models.DecimalField(
        _("政府风险补偿资金（元）"), null=True, blank=True, **POSITIVE_MONEY
    )
    amplification_multiple = models.DecimalField(
        _("授信放大倍数"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("1"), message=_("放大倍数不能小于1。"))],
    )
    total_line = models.DecimalField(_("授信总额度（元）"), **POSITIVE_MONEY)
    bank_share = models.DecimalField(_("银行分担比例（%）"), max_digits=5, decimal_places=2)
    guarantor_share = models.DecimalField(
        _("担保机构分担比例（%）"), max_digits=5, decimal_places=2
    )
    government_share = models.DecimalField(
        _("政府风险补偿比例（%）"), max_digits=5, decimal_places=2
    )
    max_loan_per_enterprise = models.DecimalField(
        _("单户最高额度（元）"), null=True, blank=True, **POSITIVE_MONEY
    )
    product = models.ForeignKey(
        FinancialProduct,
        verbose_name=_("对应金融产品"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="schemes",
    )
    history = HistoricalRecords()

    class Meta(Application.Meta):
        verbose_name = _("担保计划")
        verbose_name_plural = _("担保计划")
        ordering = ["name"]
        constraints = [
            *Application.Meta.constraints,
            models.CheckConstraint(
                condition=Q(bank_share__gte=0)
                & Q(guarantor_share__gte=0)
                & Q(government_share__gte=0),
                name="finance_scheme_shares_non_negative",
                violation_error_message=_("风险分担比例不能为负数。"),
            ),
            # The three shares must add up to 100%; a tolerance of half a hundredth keeps the
            # check exact for two-decimal percentages on SQLite, which sums them as floats.
            models.CheckConstraint(
                condition=Q(
                    GreaterThanOrEqual(_SHARE_SUM, Decimal("99.995")),
                    LessThanOrEqual(_SHARE_SUM, Decimal("100.005")),
                ),
                name="finance_scheme_shares_sum_100",
                violation_error_message=_("银行、担保机构、政府三方风险分担比例之和必须为100%。"),
            ),
            models.CheckConstraint(
                condition=Q(total_line__gt=0), name="finance_scheme_total_line_positive"
            ),
            models.CheckConstraint(
                condition=Q(amplification_multiple__gte=1),
                name="finance_scheme_multiple_at_least_1",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=SchemeStage.values), name="finance_scheme_stage_known"
            ),
            models.CheckConstraint(
                condition=~Q(bank=F("guarantor")), name="finance_scheme_bank_not_guarantor"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("finance:scheme_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        shares = (self.bank_share, self.guarantor_share, self.government_share)
        if all(s is not None for s in shares):
            if any(s < 0 for s in shares):
                raise ValidationError({"bank_share": _("风险分担比例不能为负数。")})
            if sum(shares) != Decimal("100"):
                raise ValidationError(
                    {
                        "government_share": _(
                            "银行、担保机构、政府三方风险分担比例之和必须为100%%（现为%(s)s%%）。"
                        )
                        % {"s": sum(shares)}
                    }
                )
        if self.bank_id and self.guarantor_id and self.bank_id == self.guarantor_id:
            raise ValidationError({"guarantor": _("担保机构不能与合作银行相同。")})

    @property
    def stage_number(self) -> int:
        return stage_number(self.stage)


class SchemeStageEntry(models.Model):
    """The scheme entered `stage` on `entered_on`: its approval path, with remarks."""

    scheme = models.ForeignKey(
        GuaranteeScheme,
        verbose_name=_("担保计划"),
        on_delete=models.CASCADE,
        related_name="stage_entries",
    )
    stage = models.CharField(_("阶段"), max_length=20, choices=SchemeStage.choices)
    entered_on = models.DateField(_("进入日期"))
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    remark = models.TextField(_("备注"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("担保计划阶段")
        verbose_name_plural = _("担保计划阶段")
        ordering = ["scheme", "entered_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "stage"], name="finance_stage_once"),
            _range_check(
                "entered_on",
                "completed_on",
                "finance_stage_completed_after_entered",
                _("完成日期不能早于进入日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} · {self.get_stage_display()}"


class SchemeLoan(models.Model):
    """A loan granted under a guarantee scheme (担保贷款)."""

    scheme = models.ForeignKey(
        GuaranteeScheme, verbose_name=_("担保计划"), on_delete=models.PROTECT, related_name="loans"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="scheme_loans",
    )
    amount = models.DecimalField(_("贷款金额（元）"), **POSITIVE_MONEY)
    granted_on = models.DateField(_("放款日期"))
    term_months = models.PositiveSmallIntegerField(_("期限（月）"), null=True, blank=True)
    guarantee_fee_rate = models.DecimalField(_("担保费率（%）"), null=True, blank=True, **RATE)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("担保计划贷款")
        verbose_name_plural = _("担保计划贷款")
        ordering = ["-granted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="finance_scheme_loan_amount_positive",
                violation_error_message=_("贷款金额必须大于0。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.amount}"

    def clean(self) -> None:
        if not self.scheme_id or self.amount is None:
            return
        scheme = self.scheme
        if scheme.stage != SchemeStage.LAUNCHED:
            raise ValidationError(
                {
                    "scheme": _("担保计划尚未上线（当前阶段：%(s)s），不能登记贷款。")
                    % {"s": scheme.get_stage_display()}
                }
            )
        if scheme.max_loan_per_enterprise and self.amount > scheme.max_loan_per_enterprise:
            raise ValidationError({"amount": _("贷款金额超过单户最高额度。")})
        used = (
            SchemeLoan.objects.filter(scheme=scheme)
            .exclude(pk=self.pk)
            .aggregate(s=Sum("amount"))["s"]
            or 0
        )
        if used + self.amount > scheme.total_line:
            raise ValidationError({"amount": _("累计贷款将超过担保计划授信总额度。")})


# --- Financing needs -------------------------------------------------------------------------


class NeedStatus(models.TextChoices):
    OPEN = "open", _("待对接")
    MET = "met", _("已满足")
    WITHDRAWN = "withdrawn", _("已撤回")


class NeedSource(models.TextChoices):
    PORTAL = "portal", _("企业填报")
    STAFF = "staff", _("工作人员录入")


class FinancingNeed(models.Model):
    """A financing need (融资需求) an enterprise posted or staff entered for it."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="financing_needs",
    )
    amount = models.DecimalField(_("融资金额（元）"), **POSITIVE_MONEY)
    purpose = models.CharField(_("资金用途"), max_length=200)
    term_months = models.PositiveSmallIntegerField(
        _("期限（月）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1, message=_("期限至少1个月。"))],
    )
    collateral_available = models.BooleanField(_("可提供抵质押"), default=False)
    collateral_note = models.CharField(_("可提供的抵质押物/担保"), max_length=200, blank=True)
    wanted_by = models.DateField(_("期望到位日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    source = models.CharField(
        _("来源"), max_length=10, choices=NeedSource.choices, default=NeedSource.STAFF
    )
    posted_on = models.DateField(_("登记日期"), default=timezone.localdate)
    met_on = models.DateField(_("满足日期"), null=True, blank=True)
    created_by = created_by_field()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("融资需求")
        verbose_name_plural = _("融资需求")
        ordering = ["-posted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="finance_need_amount_positive",
                violation_error_message=_("融资金额必须大于0。"),
            ),
            models.CheckConstraint(
                condition=Q(term_months__isnull=True) | Q(term_months__gte=1),
                name="finance_need_term_positive",
            ),
            models.CheckConstraint(
                condition=Q(status__in=NeedStatus.values), name="finance_need_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status=NeedStatus.MET) | Q(met_on__isnull=False),
                name="finance_need_met_has_date",
            ),
        ]

    def __str__(self) -> str:
        return _("%(e)s：%(p)s") % {"e": self.enterprise, "p": self.purpose}

    def get_absolute_url(self) -> str:
        return reverse("finance:need_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == NeedStatus.OPEN


# --- Events, signings, disbursements ---------------------------------------------------------

# Activity kinds (bureau.ActivityKind codes) that are finance events.
GOV_BANK_MEETING = "gov_bank_meeting"  # 政银推进会
MATCHMAKING = "bank_enterprise_matchmaking"  # 银企对接会
FINANCE_ACTIVITY_KINDS = (GOV_BANK_MEETING, MATCHMAKING)


class FinanceEvent(models.Model):
    """The finance side of a bureau activity (政银推进会, 银企对接会, …).

    The date, kind, topic, place and attending enterprises live on the bureau's Activity, so
    the event is counted once with every other activity; this row adds the banks that came, the
    needs presented and the co-organiser.
    """

    activity = models.OneToOneField(
        "bureau.Activity",
        verbose_name=_("工作活动"),
        on_delete=models.PROTECT,
        related_name="finance_event",
    )
    co_organizer = models.CharField(_("协办单位"), max_length=100, blank=True)
    institutions = models.ManyToManyField(
        Institution, verbose_name=_("参加机构"), blank=True, related_name="events"
    )
    needs_presented = models.ManyToManyField(
        FinancingNeed, verbose_name=_("推介的融资需求"), blank=True, related_name="events"
    )
    history = HistoricalRecords(m2m_fields=[institutions, needs_presented])

    class Meta:
        verbose_name = _("金融对接活动")
        verbose_name_plural = _("金融对接活动")
        ordering = ["-activity__date", "-pk"]

    def __str__(self) -> str:
        return str(self.activity)

    def get_absolute_url(self) -> str:
        return reverse("finance:event_detail", args=[self.pk])

    @property
    def date(self) -> datetime.date:
        return self.activity.date


class Signing(models.Model):
    """A loan or financing agreement signed (签约), usually on site at an event."""

    event = models.ForeignKey(
        FinanceEvent,
        verbose_name=_("签约活动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signings",
        help_text=_("在对接活动现场签约时选择；活动后单独签约可留空。"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="finance_signings",
    )
    bank = models.ForeignKey(
        Institution, verbose_name=_("金融机构"), on_delete=models.PROTECT, related_name="signings"
    )
    product = models.ForeignKey(
        FinancialProduct,
        verbose_name=_("金融产品"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signings",
    )
    need = models.ForeignKey(
        FinancingNeed,
        verbose_name=_("对应融资需求"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signings",
    )
    amount = models.DecimalField(_("签约金额（元）"), **POSITIVE_MONEY)
    signed_on = models.DateField(_("签约日期"))
    created_by = created_by_field()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("签约")
        verbose_name_plural = _("签约")
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="finance_signing_amount_positive",
                violation_error_message=_("签约金额必须大于0。"),
            )
        ]

    def __str__(self) -> str:
        return _("%(d)s %(e)s × %(b)s") % {
            "d": self.signed_on,
            "e": self.enterprise,
            "b": self.bank,
        }

    def get_absolute_url(self) -> str:
        return reverse("finance:signing_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.signed_on and self.signed_on > timezone.localdate():
            errors["signed_on"] = _("签约日期不能晚于今天。")
        elif self.event_id and self.signed_on and self.signed_on < self.event.activity.date:
            errors["signed_on"] = _("签约日期不能早于签约活动日期（%(d)s）。") % {
                "d": self.event.activity.date
            }
        if self.product_id and self.bank_id and self.product.provider_id != self.bank_id:
            errors["product"] = _("所选产品不是该金融机构的产品。")
        if self.need_id and self.enterprise_id and self.need.enterprise_id != self.enterprise_id:
            errors["need"] = _("所选融资需求不属于该企业。")
        if self.amount is not None and self.pk:
            paid = self.disbursements.aggregate(s=Sum("amount"))["s"] or 0
            if paid > self.amount:
                errors["amount"] = _("签约金额不能低于已放款金额。")
        if errors:
            raise ValidationError(errors)


class Disbursement(models.Model):
    """Money paid out (放款) under a signing; the total never exceeds the signed amount."""

    signing = models.ForeignKey(
        Signing, verbose_name=_("签约"), on_delete=models.PROTECT, related_name="disbursements"
    )
    amount = models.DecimalField(_("放款金额（元）"), **POSITIVE_MONEY)
    disbursed_on = models.DateField(_("放款日期"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("放款")
        verbose_name_plural = _("放款")
        ordering = ["-disbursed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="finance_disbursement_amount_positive",
                violation_error_message=_("放款金额必须大于0。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.disbursed_on} {self.signing.enterprise if self.signing_id else ''}"

    def clean(self) -> None:
        if not self.signing_id or self.amount is None:
            return
        signing = self.signing
        if self.disbursed_on and self.disbursed_on > timezone.localdate():
            raise ValidationError({"disbursed_on": _("放款日期不能晚于今天。")})
        if self.disbursed_on and self.disbursed_on < signing.signed_on:
            raise ValidationError({"disbursed_on": _("放款日期不能早于签约日期。")})
        paid = (
            Disbursement.objects.filter(signing=signing)
            .exclude(pk=self.pk)
            .aggregate(s=Sum("amount"))["s"]
            or 0
        )
        if paid + self.amount > signing.amount:
            raise ValidationError(
                {
                    "amount": _("累计放款%(t)s元将超过签约金额%(s)s元（已放款%(p)s元）。")
                    % {"t": paid + self.amount, "s": signing.amount, "p": paid}
                }
            )
