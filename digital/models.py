"""Digital transformation (数字化赋能, summary section 二): self-assessments and their
questionnaire editions, quarterly diagnostic rounds and visits, service packages, the
demonstration-park project, demonstration enterprises and provincial demonstration applications."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bureau.models import MIN_YEAR, Application, ReportingPeriod

from .scoring import LEVEL_RULES, fmt

POINTS = {"max_digits": 7, "decimal_places": 3}
MONEY = {"max_digits": 16, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


# --- Questionnaire editions (versioned data) ----------------------------------------------


class QuestionnaireVersion(models.Model):
    """One edition of 中小企业数字化水平评测指标; a new edition is loaded as data."""

    code = models.SlugField(_("版本代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=120)
    document_no = models.CharField(_("文号"), max_length=60, blank=True)
    rule_set = models.CharField(
        _("定级规则"),
        max_length=20,
        choices=[(k, k) for k in LEVEL_RULES],
        help_text=_("digital/scoring.py 中的定级规则版本"),
    )
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("停止日期"), null=True, blank=True)
    min_score = models.DecimalField(_("最低分"), default=0, **POINTS)
    max_score = models.DecimalField(_("满分"), default=100, **POINTS)
    is_current = models.BooleanField(_("当前版本"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评测问卷版本")
        verbose_name_plural = _("评测问卷版本")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_score__gt=models.F("min_score")), name="digital_version_score_range"
            ),
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="digital_one_current_version",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Dimension(models.Model):
    """评测维度: 数字化基础 / 数字化管理 / 数字化成效 (数字化经营 is scored by scenarios)."""

    version = models.ForeignKey(
        QuestionnaireVersion,
        verbose_name=_("版本"),
        on_delete=models.CASCADE,
        related_name="dimensions",
    )
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=40)
    max_points = models.DecimalField(_("分值"), **POINTS)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评测维度")
        verbose_name_plural = _("评测维度")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="digital_dimension_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{fmt(self.max_points)}分）"


class Indicator(models.Model):
    """评测指标 (sub-area), e.g. 设备系统 20 points."""

    dimension = models.ForeignKey(
        Dimension, verbose_name=_("维度"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=40)
    max_points = models.DecimalField(_("分值"), **POINTS)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评测指标")
        verbose_name_plural = _("评测指标")
        ordering = ["dimension", "order"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="digital_indicator_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选")
    MULTIPLE = "multiple", _("多选")


class Question(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion,
        verbose_name=_("版本"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="questions"
    )
    code = models.SlugField(_("代码"), max_length=40)
    text = models.CharField(_("题目"), max_length=200)
    kind = models.CharField(_("题型"), max_length=10, choices=QuestionKind.choices)
    max_points = models.DecimalField(_("分值"), **POINTS)
    required = models.BooleanField(_("必答"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评测题目")
        verbose_name_plural = _("评测题目")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="digital_question_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values), name="digital_question_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Option(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("题目"), on_delete=models.CASCADE, related_name="options"
    )
    code = models.SlugField(_("代码"), max_length=40)
    text = models.CharField(_("选项"), max_length=200)
    points = models.DecimalField(_("分值"), **POINTS)
    exclusive = models.BooleanField(_("排他选项"), default=False, help_text=_("如“以上均无”"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评测选项")
        verbose_name_plural = _("评测选项")
        ordering = ["question", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="digital_option_unique"),
            models.CheckConstraint(condition=Q(points__gte=0), name="digital_option_points_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.text}（{fmt(self.points)}分）"


class Scenario(models.Model):
    """数字化经营场景 (16 in 2024), self-rated 1–4; mandatory ones are 约束性场景."""

    version = models.ForeignKey(
        QuestionnaireVersion,
        verbose_name=_("版本"),
        on_delete=models.CASCADE,
        related_name="scenarios",
    )
    code = models.SlugField(_("代码"), max_length=40)
    group = models.CharField(_("场景类别"), max_length=40)
    name = models.CharField(_("场景"), max_length=40)
    mandatory = models.BooleanField(_("约束性场景"), default=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("数字化经营场景")
        verbose_name_plural = _("数字化经营场景")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="digital_scenario_unique"),
        ]

    def __str__(self) -> str:
        return self.name


# --- Assessments ------------------------------------------------------------------------------


class AssessmentSource(models.TextChoices):
    PORTAL = "portal", _("企业自评（本平台）")
    STAFF = "staff", _("局工作人员录入")
    EXTERNAL = "external", _("外部评测平台导入")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    REOPENED = "reopened", _("已退回修改")


class DigitalLevel(models.IntegerChoices):
    NONE = 0, _("未达级")
    L1 = 1, _("一级")
    L2 = 2, _("二级")
    L3 = 3, _("三级")
    L4 = 4, _("四级")


class Assessment(models.Model):
    """One digital-level assessment (数字化水平评测) of an enterprise, scored with its version.

    `answers` holds option codes per question code; `scenario_levels` a level 0–4 per scenario
    code. Scores are stored when submitted so that a later edition never rescales them.
    """

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="digital_assessments",
    )
    version = models.ForeignKey(
        QuestionnaireVersion, verbose_name=_("问卷版本"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("诊断季度"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(
        _("来源"), max_length=10, choices=AssessmentSource.choices, default=AssessmentSource.PORTAL
    )
    evaluator = models.CharField(
        _("评测机构/平台"), max_length=80, blank=True, help_text=_("如：羚羊工业互联网平台")
    )
    external_ref = models.CharField(_("外部评测编号"), max_length=60, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    answers = models.JSONField(_("答题"), default=dict, blank=True)
    scenario_levels = models.JSONField(_("场景等级"), default=dict, blank=True)
    dimension_scores = models.JSONField(_("维度得分"), default=dict, blank=True)
    total_score = models.DecimalField(_("总分"), null=True, blank=True, **POINTS)
    level = models.PositiveSmallIntegerField(
        _("评测等级"), choices=DigitalLevel.choices, null=True, blank=True
    )
    level_reasons = models.TextField(_("定级说明"), blank=True)
    assessed_on = models.DateField(_("评测日期"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reopen_reason = models.TextField(_("退回原因"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("数字化水平评测")
        verbose_name_plural = _("数字化水平评测")
        ordering = ["-assessed_on", "-pk"]
        indexes = [models.Index(fields=["status", "assessed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=AssessmentSource.values), name="digital_assessment_source"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AssessmentStatus.values), name="digital_assessment_status"
            ),
            models.CheckConstraint(
                condition=Q(total_score__isnull=True) | Q(total_score__gte=0, total_score__lte=100),
                name="digital_assessment_total_0_100",
                violation_error_message=_("总分应在0至100分之间。"),
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__lte=4), name="digital_assessment_level"
            ),
            # A submitted assessment carries its score, level and date.
            models.CheckConstraint(
                condition=~Q(status="submitted")
                | Q(total_score__isnull=False, level__isnull=False, assessed_on__isnull=False),
                name="digital_submitted_is_scored",
            ),
            # One open draft per enterprise at a time.
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(status__in=["draft", "reopened"]),
                name="digital_one_open_assessment",
                violation_error_message=_("该企业已有一份未提交的评测。"),
            ),
        ]

    def __str__(self) -> str:
        day = self.assessed_on.isoformat() if self.assessed_on else _("未提交")
        return f"{self.enterprise} {day}"

    def get_absolute_url(self) -> str:
        return reverse("digital:assessment_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in (AssessmentStatus.DRAFT, AssessmentStatus.REOPENED)

    @property
    def level_name(self) -> str:
        return "" if self.level is None else str(DigitalLevel(self.level).label)


# --- Quarterly diagnostics -------------------------------------------------------------------


class DiagnosticRound(models.Model):
    """A quarter's diagnostic round (季度数字化诊断): the enterprises due to be assessed."""

    period = models.OneToOneField(
        ReportingPeriod, verbose_name=_("季度"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("名称"), max_length=100, blank=True)
    due_date = models.DateField(_("完成期限"), null=True, blank=True)
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name=_("应诊断企业"), blank=True, related_name="+"
    )
    notes = models.TextField(_("说明"), blank=True)
    history = HistoricalRecords(m2m_fields=[enterprises])

    class Meta:
        verbose_name = _("季度诊断批次")
        verbose_name_plural = _("季度诊断批次")
        ordering = ["-period__year", "-period__quarter"]

    def __str__(self) -> str:
        return self.title or _("%(p)s数字化诊断") % {"p": self.period}

    def get_absolute_url(self) -> str:
        return reverse("digital:round_detail", args=[self.pk])


class VisitKind(models.TextChoices):
    SURVEY = "survey", _("调研")
    DIAGNOSIS = "diagnosis", _("诊断")
    GUIDANCE = "guidance", _("技术指导")


class DiagnosticVisit(models.Model):
    """An on-site visit (调研/诊断/技术指导) at one enterprise."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="digital_visits",
    )
    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=10, choices=VisitKind.choices)
    round = models.ForeignKey(
        DiagnosticRound,
        verbose_name=_("诊断批次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("局工作人员"), blank=True, related_name="+"
    )
    experts = models.CharField(_("随行专家/服务商"), max_length=120, blank=True)
    findings = models.TextField(_("现状与问题"))
    recommendations = models.TextField(_("建议"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("调研诊断")
        verbose_name_plural = _("调研诊断")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date__year__gte=MIN_YEAR), name="digital_visit_date_after_2000"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=VisitKind.values), name="digital_visit_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.enterprise}"

    def get_absolute_url(self) -> str:
        return reverse("digital:visit_detail", args=[self.pk])


class ActionStatus(models.TextChoices):
    OPEN = "open", _("待办")
    IN_PROGRESS = "in_progress", _("进行中")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class FollowUpAction(models.Model):
    visit = models.ForeignKey(
        DiagnosticVisit,
        verbose_name=_("调研诊断"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    description = models.CharField(_("跟进事项"), max_length=200)
    owner = models.CharField(_("负责人"), max_length=50, blank=True)
    due_date = models.DateField(_("期限"))
    status = models.CharField(
        _("状态"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("跟进事项")
        verbose_name_plural = _("跟进事项")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="digital_action_status"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False),
                name="digital_action_done_has_date",
                violation_error_message=_("已完成的事项须填写完成日期。"),
            ),
        ]

    def __str__(self) -> str:
        return self.description

    def clean(self) -> None:
        if self.status == ActionStatus.DONE and not self.done_on:
            raise ValidationError({"done_on": _("已完成的事项须填写完成日期。")})


# --- Service packages ------------------------------------------------------------------------


class PackageKind(models.TextChoices):
    FREE_SOFTWARE = "free_software", _("免费数字化软件服务包")
    CONSULTING = "consulting", _("数字化咨询诊断")
    CLOUD = "cloud", _("上云用云服务")
    OTHER = "other", _("其他")


class ServicePackage(models.Model):
    """A catalogue entry: what is offered to enterprises, by whom."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类别"), max_length=20, choices=PackageKind.choices)
    provider = models.CharField(_("服务商"), max_length=100)
    contents = models.TextField(_("服务内容"), blank=True)
    unit_value = models.DecimalField(_("单价（元）"), null=True, blank=True, **MONEY)
    is_active = models.BooleanField(_("在供"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("服务包")
        verbose_name_plural = _("服务包")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PackageKind.values), name="digital_package_kind"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceDelivery(models.Model):
    package = models.ForeignKey(
        ServicePackage,
        verbose_name=_("服务包"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="digital_deliveries",
    )
    delivered_on = models.DateField(_("交付日期"))
    provider = models.CharField(_("实施服务商"), max_length=100, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("服务包交付")
        verbose_name_plural = _("服务包交付")
        ordering = ["-delivered_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["package", "enterprise", "delivered_on"],
                name="digital_delivery_unique",
                violation_error_message=_("该企业同一天已交付过此服务包。"),
            ),
            models.CheckConstraint(
                condition=Q(delivered_on__year__gte=MIN_YEAR), name="digital_delivery_after_2000"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.package} → {self.enterprise}"


# --- The demonstration-park project ----------------------------------------------------------


class ProjectStatus(models.TextChoices):
    PREPARING = "preparing", _("前期准备")
    IN_PROGRESS = "in_progress", _("实施中")
    ACCEPTED = "accepted", _("已验收")


class DemoParkProject(models.Model):
    """数字化转型示范园区项目 (一区一业一样板): budget, contractor, milestones, funds."""

    name = models.CharField(_("项目名称"), max_length=120, unique=True)
    programme = models.CharField(_("项目类别"), max_length=80, blank=True)
    approved_year = models.PositiveSmallIntegerField(_("立项年度"))
    budget = models.DecimalField(_("项目金额（元）"), **MONEY)
    general_contractor = models.CharField(_("总包商"), max_length=120, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.PREPARING
    )
    description = models.TextField(_("项目概况"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("示范园区项目")
        verbose_name_plural = _("示范园区项目")
        ordering = ["-approved_year", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="digital_project_budget_gte_0"),
            models.CheckConstraint(
                condition=Q(status__in=ProjectStatus.values), name="digital_project_status"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("digital:project_detail", args=[self.pk])


class MilestoneStage(models.TextChoices):
    """The project's stages, in order (seed, section 二)."""

    CONTRACTOR = "contractor", _("总包商遴选")
    SURVEY = "survey", _("企业调研与遴选")
    PLATFORM_PLAN = "platform_plan", _("平台建设方案")
    FUND_PLAN = "fund_plan", _("资金分配方案")
    TENDER = "tender", _("项目挂网")
    ENTERPRISE_PLANS = "enterprise_plans", _("企业端方案")
    SELF_REVIEW = "self_review", _("自评")
    ACCEPTANCE = "acceptance", _("验收")


STAGE_ORDER = {stage: i for i, stage in enumerate(MilestoneStage.values)}


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("未开始")
    IN_PROGRESS = "in_progress", _("进行中")
    DONE = "done", _("已完成")


class Milestone(models.Model):
    project = models.ForeignKey(
        DemoParkProject, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="milestones"
    )
    stage = models.CharField(_("节点"), max_length=20, choices=MilestoneStage.choices)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    planned_date = models.DateField(_("计划完成日期"), null=True, blank=True)
    actual_date = models.DateField(_("实际完成日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=MilestoneStatus.choices, default=MilestoneStatus.PLANNED
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ["project", "order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "stage"], name="digital_milestone_unique"),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(actual_date__isnull=False),
                name="digital_milestone_done_has_date",
                violation_error_message=_("已完成的节点须填写实际完成日期。"),
            ),
            models.CheckConstraint(
                condition=Q(actual_date__isnull=True) | Q(status="done"),
                name="digital_milestone_date_only_when_done",
                violation_error_message=_("只有已完成的节点才有实际完成日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_stage_display()}"

    def save(self, *args, **kwargs) -> None:
        self.order = STAGE_ORDER.get(self.stage, self.order)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.status == MilestoneStatus.DONE and not self.actual_date:
            raise ValidationError({"actual_date": _("已完成的节点须填写实际完成日期。")})
        if self.actual_date and self.status != MilestoneStatus.DONE:
            raise ValidationError({"status": _("填写了实际完成日期的节点，状态应为已完成。")})


class FundAllocation(models.Model):
    """The project's money for one enterprise (资金分配方案)."""

    project = models.ForeignKey(
        DemoParkProject,
        verbose_name=_("项目"),
        on_delete=models.CASCADE,
        related_name="allocations",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="digital_fund_allocations",
    )
    amount = models.DecimalField(_("分配金额（元）"), **MONEY)
    spent = models.DecimalField(_("已使用（元）"), default=0, **MONEY)
    purpose = models.CharField(_("建设内容"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("资金分配")
        verbose_name_plural = _("资金分配")
        ordering = ["project", "-amount"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "enterprise"],
                name="digital_allocation_unique",
                violation_error_message=_("该企业在本项目中已有资金分配。"),
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="digital_allocation_gte_0"),
            models.CheckConstraint(
                condition=Q(spent__gte=0, spent__lte=models.F("amount")),
                name="digital_allocation_spent_within",
                violation_error_message=_("已使用金额不能超过分配金额。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} → {self.enterprise}"

    def clean(self) -> None:
        if self.project_id and self.amount is not None:
            others = FundAllocation.objects.filter(project_id=self.project_id).exclude(
                pk=self.pk
            ).aggregate(s=models.Sum("amount"))["s"] or Decimal("0")
            if others + self.amount > self.project.budget:
                raise ValidationError(
                    {
                        "amount": _("分配合计 %(t)s 元超过项目金额 %(b)s 元。")
                        % {"t": others + self.amount, "b": self.project.budget}
                    }
                )
        if self.spent is not None and self.amount is not None and self.spent > self.amount:
            raise ValidationError({"spent": _("已使用金额不能超过分配金额。")})


# --- Demonstrations --------------------------------------------------------------------------


class DemoGroup(models.TextChoices):
    """The "3+3+6" demonstration model."""

    OUTSTANDING = "outstanding", _("数字化应用表现突出企业")
    CASE = "case", _("数字化应用示范案例企业")
    TRANSFORMATION = "transformation", _("数字化转型示范企业")


class DemonstrationEnterprise(models.Model):
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="digital_demonstrations",
    )
    group = models.CharField(_("示范类别"), max_length=20, choices=DemoGroup.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    project = models.ForeignKey(
        DemoParkProject,
        verbose_name=_("所属项目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="demonstrations",
    )
    case_title = models.CharField(_("示范案例/场景"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("示范企业")
        verbose_name_plural = _("示范企业")
        ordering = ["-year", "group", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                name="digital_demo_enterprise_once_a_year",
                violation_error_message=_("该企业本年度已列为示范企业。"),
            ),
            models.CheckConstraint(
                condition=Q(group__in=DemoGroup.values), name="digital_demo_group"
            ),
            models.CheckConstraint(condition=Q(year__gte=MIN_YEAR), name="digital_demo_year"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise}（{self.get_group_display()}）"


class ProvincialDemoApplication(Application):
    """省级中小企业数字化转型典型示范项目 applications, through the shared pipeline."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="digital_demo_applications",
    )
    project_title = models.CharField(_("项目名称"), max_length=200)
    programme = models.CharField(
        _("申报类别"), max_length=100, default="省级中小企业数字化转型典型示范项目"
    )
    history = HistoricalRecords()

    class Meta(Application.Meta):
        verbose_name = _("省级数字化转型示范申报")
        verbose_name_plural = _("省级数字化转型示范申报")
        ordering = ["-batch_year", "enterprise__name"]
        constraints = [
            *Application.Meta.constraints,
            models.UniqueConstraint(
                fields=["enterprise", "batch_year", "project_title"],
                name="digital_provincial_demo_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.project_title}"

    def get_absolute_url(self) -> str:
        return reverse("digital:application_detail", args=[self.pk])
