"""Talent and industry-university-research cooperation (人才与产学研), section (三) of the summary.

The roster holds no national ID numbers. Names, phones and e-mails are personal data: pages
show them masked unless the reader is bureau staff holding `talent.view_personal_data`, and
every unmasked view is kept in `PersonalDataAccess`.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bureau.models import MIN_YEAR, Activity, Application, created_by_field

from .masking import mask_name

MIN_BIRTH_YEAR = 1930
MAX_BIRTH_YEAR = 2010


class TalentCategory(models.TextChoices):
    EXECUTIVE = "executive", _("企业高管")
    TECH_BACKBONE = "tech_backbone", _("技术骨干")
    RESEARCHER = "researcher", _("研发人员")
    SKILLED = "skilled", _("高技能人才")
    MANAGEMENT = "management", _("经营管理人员")
    OTHER = "other", _("其他")


class TitleLevel(models.TextChoices):
    """Professional title level (职称级别)."""

    SENIOR = "senior", _("正高级")
    DEPUTY_SENIOR = "deputy_senior", _("副高级")
    INTERMEDIATE = "intermediate", _("中级")
    JUNIOR = "junior", _("初级")
    NONE = "none", _("无")


# 副高级职称以上: the seed's "副高级职称以上人才".
DEPUTY_SENIOR_AND_ABOVE = (TitleLevel.SENIOR, TitleLevel.DEPUTY_SENIOR)


class Education(models.TextChoices):
    """Highest education (最高学历)."""

    DOCTORATE = "doctorate", _("博士研究生")
    MASTER = "master", _("硕士研究生")
    BACHELOR = "bachelor", _("大学本科")
    COLLEGE = "college", _("大学专科")
    SECONDARY = "secondary", _("中专及以下")


# 硕士学历以上: the seed's "硕士学历以上人才".
MASTER_AND_ABOVE = (Education.DOCTORATE, Education.MASTER)


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class TechField(models.TextChoices):
    """Technology fields used by demands and institutions, for matching and filters."""

    ELECTRONICS = "electronics", _("电子信息")
    INTEGRATED_CIRCUITS = "ic", _("集成电路")
    OPTOELECTRONICS = "optoelectronics", _("光电显示")
    SMART_MANUFACTURING = "smart_manufacturing", _("智能制造")
    NEW_MATERIALS = "new_materials", _("新材料")
    NEW_ENERGY = "new_energy", _("新能源")
    SOFTWARE = "software", _("软件与信息服务")
    BIOTECH = "biotech", _("生物医药")
    ENVIRONMENT = "environment", _("节能环保")
    AUTOMOTIVE = "automotive", _("汽车及零部件")
    FOOD = "food", _("食品加工")
    OTHER = "other", _("其他")


class Talent(models.Model):
    """One person on an enterprise's talent roster (人才名册); no national ID number is kept."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="talents",
    )
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=6, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    category = models.CharField(_("人才类别"), max_length=20, choices=TalentCategory.choices)
    position = models.CharField(_("职务"), max_length=50, blank=True)
    title = models.CharField(
        _("职称"), max_length=50, blank=True, help_text=_("如：高级工程师、研究员")
    )
    title_level = models.CharField(
        _("职称级别"), max_length=20, choices=TitleLevel.choices, default=TitleLevel.NONE
    )
    education = models.CharField(_("最高学历"), max_length=20, choices=Education.choices)
    field = models.CharField(_("专业领域"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    registered_on = models.DateField(
        _("登记日期"), default=timezone.localdate, help_text=_("摸排登记入册的日期")
    )
    left_on = models.DateField(_("离职日期"), null=True, blank=True)
    history = HistoricalRecords()

    # Personal data (bureau.personal_data): masked unless the reader holds the permission.
    PERSONAL_FIELDS = {"name": "name", "phone": "phone", "email": "email"}
    PERSONAL_DATA_PERMISSION = "talent.view_personal_data"

    class Meta:
        verbose_name = _("人才")
        verbose_name_plural = _("人才名册")
        ordering = ["enterprise__name", "pk"]
        permissions = [("view_personal_data", _("可查看人才个人信息（未脱敏）"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | Q(birth_year__gte=MIN_BIRTH_YEAR, birth_year__lte=MAX_BIRTH_YEAR),
                name="talent_birth_year_range",
                violation_error_message=_("出生年份应在1930至2010之间。"),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("registered_on")),
                name="talent_left_after_registered",
                violation_error_message=_("离职日期不能早于登记日期。"),
            ),
            models.CheckConstraint(
                condition=Q(category__in=TalentCategory.values),
                name="talent_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(title_level__in=TitleLevel.values),
                name="talent_title_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(education__in=Education.values), name="talent_education_valid"
            ),
        ]
        indexes = [models.Index(fields=["registered_on", "left_on"])]

    def __str__(self) -> str:
        # Masked on purpose: __str__ shows up in dropdowns, logs and history lists.
        return f"{mask_name(self.name)}（{self.get_category_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("talent:talent_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.birth_year is not None and not MIN_BIRTH_YEAR <= self.birth_year <= MAX_BIRTH_YEAR:
            raise ValidationError({"birth_year": _("出生年份应在1930至2010之间。")})
        if self.left_on and self.registered_on and self.left_on < self.registered_on:
            raise ValidationError({"left_on": _("离职日期不能早于登记日期。")})


class PersonalDataAccess(models.Model):
    """One view of a talent's unmasked personal data: who, when, which record, where."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查看人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    talent = models.ForeignKey(
        Talent,
        verbose_name=_("人才"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="access_log",
    )
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    context = models.CharField(_("查看位置"), max_length=40)
    path = models.CharField(_("访问地址"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} → #{self.talent_id}"


# --- Talent programmes ------------------------------------------------------------------------


class TalentProgramme(models.Model):
    """Reference data: 高层次人才申报, 人才安家补贴, …"""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    is_subsidy = models.BooleanField(_("属于资金补贴"), default=True)
    description = models.TextField(_("说明"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("人才项目类型")
        verbose_name_plural = _("人才项目类型")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class TalentApplication(Application):
    """A talent's (or enterprise's) application to a talent programme, with money granted/paid."""

    programme = models.ForeignKey(
        TalentProgramme, verbose_name=_("人才项目"), on_delete=models.PROTECT
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="talent_applications",
    )
    talent = models.ForeignKey(
        Talent,
        verbose_name=_("人才"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    amount_requested = models.DecimalField(
        _("申请金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    amount_granted = models.DecimalField(
        _("核定金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    amount_paid = models.DecimalField(
        _("已拨付金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    paid_on = models.DateField(_("拨付日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta(Application.Meta):
        verbose_name = _("人才项目申报")
        verbose_name_plural = _("人才项目申报")
        ordering = ["-batch_year", "-pk"]
        constraints = [
            *Application.Meta.constraints,
            models.CheckConstraint(
                condition=(Q(amount_requested__isnull=True) | Q(amount_requested__gte=0))
                & (Q(amount_granted__isnull=True) | Q(amount_granted__gte=0))
                & (Q(amount_paid__isnull=True) | Q(amount_paid__gte=0)),
                name="talentapplication_amounts_non_negative",
                violation_error_message=_("金额不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(amount_paid__isnull=True)
                | Q(amount_paid=0)
                | (Q(amount_granted__isnull=False) & Q(amount_paid__lte=F("amount_granted"))),
                name="talentapplication_paid_within_granted",
                violation_error_message=_("已拨付金额不能超过核定金额。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.enterprise}"

    def get_absolute_url(self) -> str:
        return reverse("talent:application_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors = {}
        for name in ("amount_requested", "amount_granted", "amount_paid"):
            value = getattr(self, name)
            if value is not None and value < 0:
                errors[name] = _("金额不能为负数。")
        if self.amount_paid and (
            self.amount_granted is None or self.amount_paid > self.amount_granted
        ):
            errors["amount_paid"] = _("已拨付金额不能超过核定金额。")
        if (
            self.talent_id
            and self.enterprise_id
            and self.talent.enterprise_id != self.enterprise_id
        ):
            errors["talent"] = _("所选人才不属于该企业。")
        if errors:
            raise ValidationError(errors)


# --- Trainings and exchanges -------------------------------------------------------------------


class TalentActivityStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    HELD = "held", _("已举办")
    CANCELLED = "cancelled", _("已取消")


# The bureau activity kinds that are talent trainings and exchanges (bureau/apps.py codes).
TALENT_ACTIVITY_KINDS = ("training", "exchange", "site_visit")


class TalentActivity(models.Model):
    """What the talent work adds to a bureau Activity (专家授课, 实地考察, 交流座谈): its status,
    the talents who took part, and the universities or institutes involved."""

    activity = models.OneToOneField(
        Activity,
        verbose_name=_("工作活动"),
        on_delete=models.CASCADE,
        related_name="talent_detail",
    )
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=TalentActivityStatus.choices,
        default=TalentActivityStatus.HELD,
    )
    planned_on = models.DateField(
        _("计划确定日期"), null=True, blank=True, help_text=_("计划中的活动何时确定举办")
    )
    talents = models.ManyToManyField(
        Talent, verbose_name=_("参与人才"), blank=True, related_name="activities"
    )
    institutions = models.ManyToManyField(
        "Institution", verbose_name=_("参与院校"), blank=True, related_name="activities"
    )
    history = HistoricalRecords(m2m_fields=[talents, institutions])

    class Meta:
        verbose_name = _("人才培训与交流")
        verbose_name_plural = _("人才培训与交流")
        ordering = ["-activity__date", "-pk"]

    def __str__(self) -> str:
        return str(self.activity)


# --- Cooperation -----------------------------------------------------------------------------


class InstitutionKind(models.TextChoices):
    UNIVERSITY = "university", _("高等院校")
    RESEARCH_INSTITUTE = "research_institute", _("科研院所")
    NEW_RD_INSTITUTION = "new_rd", _("新型研发机构")
    OTHER = "other", _("其他")


class Institution(models.Model):
    """A university or research institute the zone cooperates with (高校、科研院所)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=InstitutionKind.choices)
    city = models.CharField(_("所在城市"), max_length=40, blank=True)
    research_fields = models.CharField(
        _("研究领域"), max_length=300, help_text=_("以顿号或逗号分隔，如：集成电路、光电显示")
    )
    capabilities = models.TextField(_("技术能力与成果"), blank=True)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    website = models.URLField(_("网址"), blank=True)
    history = HistoricalRecords()

    # Personal data (bureau.personal_data): masked unless the reader holds the permission.
    PERSONAL_FIELDS = {"contact_person": "name", "contact_phone": "phone"}

    class Meta:
        verbose_name = _("高校院所")
        verbose_name_plural = _("高校院所")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=InstitutionKind.values), name="institution_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("talent:institution_detail", args=[self.pk])


class AgreementKind(models.TextChoices):
    JOINT_LAB = "joint_lab", _("共建实验室/研发平台")
    COMMISSIONED_RD = "commissioned_rd", _("委托研发")
    TECH_TRANSFER = "tech_transfer", _("技术转让")
    TALENT_TRAINING = "talent_training", _("人才培养")
    TECH_SERVICE = "tech_service", _("技术服务")


class CooperationAgreement(models.Model):
    """An industry-university-research cooperation agreement (产学研合作协议)."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="cooperation_agreements",
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("合作院校"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    kind = models.CharField(_("合作方式"), max_length=20, choices=AgreementKind.choices)
    title = models.CharField(_("合作项目"), max_length=200)
    signed_on = models.DateField(_("签订日期"))
    start_on = models.DateField(_("开始日期"), null=True, blank=True)
    end_on = models.DateField(_("结束日期"), null=True, blank=True)
    value = models.DecimalField(
        _("合同金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    demand = models.ForeignKey(
        "TechnologyDemand",
        verbose_name=_("来源技术需求"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
    )
    notes = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("产学研合作协议")
        verbose_name_plural = _("产学研合作协议")
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="agreement_value_non_negative",
                violation_error_message=_("合同金额不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(end_on__isnull=True)
                | Q(start_on__isnull=True)
                | Q(end_on__gte=F("start_on")),
                name="agreement_end_after_start",
                violation_error_message=_("结束日期不能早于开始日期。"),
            ),
            models.CheckConstraint(
                condition=Q(signed_on__year__gte=MIN_YEAR), name="agreement_signed_after_2000"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AgreementKind.values), name="agreement_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} × {self.institution}：{self.title}"

    def clean(self) -> None:
        super().clean()
        if self.value is not None and self.value < 0:
            raise ValidationError({"value": _("合同金额不能为负数。")})
        if self.start_on and self.end_on and self.end_on < self.start_on:
            raise ValidationError({"end_on": _("结束日期不能早于开始日期。")})
        if (
            self.demand_id
            and self.enterprise_id
            and self.demand.enterprise_id != self.enterprise_id
        ):
            raise ValidationError({"demand": _("该技术需求不属于所选企业。")})

    def is_active_in(self, start: datetime.date, end: datetime.date) -> bool:
        return self.signed_on <= end and (self.end_on is None or self.end_on >= start)


class DemandStatus(models.TextChoices):
    OPEN = "open", _("待对接")
    MATCHED = "matched", _("已匹配")
    IN_COOPERATION = "in_cooperation", _("合作中")
    SOLVED = "solved", _("已解决")
    WITHDRAWN = "withdrawn", _("已撤回")  # by its enterprise, before staff matched it


class TechnologyDemand(models.Model):
    """A technology an enterprise needs (技术需求), to be matched with an institution."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="technology_demands",
    )
    title = models.CharField(_("所需技术"), max_length=200)
    description = models.TextField(_("需求描述"), blank=True)
    field = models.CharField(_("技术领域"), max_length=24, choices=TechField.choices)
    budget = models.DecimalField(
        _("预算（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    deadline = models.DateField(_("期望解决日期"), null=True, blank=True)
    raised_on = models.DateField(_("提出日期"), default=timezone.localdate)
    status = models.CharField(
        _("状态"), max_length=20, choices=DemandStatus.choices, default=DemandStatus.OPEN
    )
    created_by = created_by_field()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("技术需求")
        verbose_name_plural = _("技术需求")
        ordering = ["-raised_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="demand_budget_non_negative",
                violation_error_message=_("预算不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gte=F("raised_on")),
                name="demand_deadline_after_raised",
                violation_error_message=_("期望解决日期不能早于提出日期。"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=DemandStatus.values), name="demand_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(field__in=TechField.values), name="demand_field_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("talent:demand_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.budget is not None and self.budget < 0:
            raise ValidationError({"budget": _("预算不能为负数。")})
        if self.deadline and self.raised_on and self.deadline < self.raised_on:
            raise ValidationError({"deadline": _("期望解决日期不能早于提出日期。")})


class MatchStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("已确认")
    AGREEMENT = "agreement", _("已签协议")
    DECLINED = "declined", _("已放弃")


class DemandMatch(models.Model):
    """A staff-confirmed pairing of a demand with an institution, with the ranking's reasons."""

    demand = models.ForeignKey(
        TechnologyDemand,
        verbose_name=_("技术需求"),
        on_delete=models.CASCADE,
        related_name="matches",
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("高校院所"), on_delete=models.PROTECT, related_name="matches"
    )
    score = models.DecimalField(_("匹配得分"), max_digits=6, decimal_places=2)
    reasons = models.TextField(_("匹配理由"), blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=MatchStatus.choices, default=MatchStatus.CONFIRMED
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), default=timezone.now)
    agreement = models.OneToOneField(
        CooperationAgreement,
        verbose_name=_("合作协议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="match",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("需求对接")
        verbose_name_plural = _("需求对接")
        ordering = ["-confirmed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["demand", "institution"],
                name="demandmatch_unique_pair",
                violation_error_message=_("该需求已与该院校确认过对接。"),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0), name="demandmatch_score_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.demand} → {self.institution}"
