"""The annual work summary (drafted from figures, written by staff), its exports and templates."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bureau.models import MAX_YEAR, MIN_YEAR, Target


class AnnualSummary(models.Model):
    """One year's work summary (年度工作总结); `figures_snapshot` holds the drafted figures."""

    year = models.PositiveSmallIntegerField(
        _("年度"), unique=True, error_messages={"unique": _("该年度的工作总结已存在。")}
    )
    title = models.CharField(_("标题"), max_length=120)
    organisation = models.CharField(_("发文单位"), max_length=60, default="科技金融局")
    document_date = models.DateField(
        _("成文日期"),
        null=True,
        blank=True,
        help_text=_("落款日期；留空时以导出当天为准。"),
    )
    figures_snapshot = models.JSONField(_("数据快照"), default=dict, blank=True, editable=False)
    drafted_at = models.DateTimeField(_("数据生成时间"), null=True, blank=True, editable=False)
    # Figure key → rounding style staff chose for it ("about": 10余次, "above": 10次以上).
    rounding = models.JSONField(_("数字约写方式"), default=dict, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["figures_snapshot"])

    class Meta:
        verbose_name = _("年度工作总结")
        verbose_name_plural = _("年度工作总结")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="summary_year_range",
                violation_error_message=_("年度应在2000至2100之间。"),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:summary_preview", args=[self.year])


class SummarySection(models.Model):
    """A heading of the summary (一、… / （一）…), its code from reports.summary.STRUCTURE."""

    summary = models.ForeignKey(
        AnnualSummary, verbose_name=_("工作总结"), on_delete=models.CASCADE, related_name="sections"
    )
    code = models.CharField(_("代码"), max_length=40, editable=False)
    parent_code = models.CharField(_("上级代码"), max_length=40, blank=True, editable=False)
    level = models.PositiveSmallIntegerField(_("层级"), editable=False)
    order = models.PositiveSmallIntegerField(_("排序"), editable=False)
    title = models.CharField(_("标题"), max_length=120, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("总结章节")
        verbose_name_plural = _("总结章节")
        ordering = ["summary", "order"]
        constraints = [
            models.UniqueConstraint(fields=["summary", "code"], name="section_unique_code"),
            models.CheckConstraint(condition=Q(level__lte=2), name="section_level_0_to_2"),
        ]

    def __str__(self) -> str:
        return f"{self.summary.year} {self.display_title or self.code}"

    @property
    def display_title(self) -> str:
        """The title with '{next_year}' filled in (section 四 is next year's plan)."""
        return (self.title or "").replace("{next_year}", str(self.summary.year + 1))


class NarrativeParagraph(models.Model):
    """A paragraph of the summary, with its history.

    A drafted paragraph has a `slot` (the drafting rule's stable name for it): `draft` is the
    text the rules last wrote, `segments` the same text with each number's figure key. While
    `text` equals `draft` the paragraph follows re-drafting; once staff change it, it is
    theirs: re-drafting keeps it and offers the new draft in `pending` beside it. A paragraph
    without a slot was written by staff from the start.

    Deleting a paragraph marks it (`deleted_at`) rather than removing the row: the row keeps
    its slot, so re-drafting finds it and leaves it deleted (a new draft whose figures differ
    from the deleted one's waits in `pending`); the deletion is a version in the history and
    the paragraph can be restored.
    """

    section = models.ForeignKey(
        SummarySection,
        verbose_name=_("章节"),
        on_delete=models.CASCADE,
        related_name="paragraphs",
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    text = models.TextField(_("段落内容"))
    slot = models.CharField(_("起草规则位置"), max_length=80, blank=True, editable=False)
    rule = models.CharField(_("起草规则"), max_length=80, blank=True, editable=False)
    heading = models.CharField(_("小标题"), max_length=120, blank=True)
    draft = models.TextField(_("数据起草稿"), blank=True, editable=False)
    segments = models.JSONField(_("起草稿片段"), default=list, blank=True, editable=False)
    pending = models.TextField(_("待采用的新起草稿"), blank=True, editable=False)
    pending_segments = models.JSONField(_("新起草稿片段"), default=list, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("叙述段落")
        verbose_name_plural = _("叙述段落")
        ordering = ["section", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="paragraph_text_not_empty"),
            models.UniqueConstraint(
                fields=["section", "slot"], condition=~Q(slot=""), name="paragraph_unique_slot"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def is_drafted(self) -> bool:
        return bool(self.slot)

    @property
    def is_edited(self) -> bool:
        """A drafted paragraph staff changed (kept on re-drafting), or one staff wrote."""
        return not self.slot or self.text != self.draft


class PlanItem(models.Model):
    """An item of section 四 (下年度工作安排), optionally tied to next year's targets."""

    summary = models.ForeignKey(
        AnnualSummary,
        verbose_name=_("工作总结"),
        on_delete=models.CASCADE,
        related_name="plan_items",
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    title = models.CharField(_("标题"), max_length=120)
    text = models.TextField(_("内容"), blank=True)
    targets = models.ManyToManyField(
        Target,
        verbose_name=_("关联年度目标"),
        blank=True,
        related_name="plan_items",
        help_text=_("下一年度的目标，看板会跟踪其完成进度。"),
    )
    history = HistoricalRecords(m2m_fields=[targets])

    class Meta:
        verbose_name = _("工作安排")
        verbose_name_plural = _("工作安排")
        ordering = ["summary", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class ExportFormat(models.TextChoices):
    DOCX = "docx", _("Word")
    XLSX = "xlsx", _("Excel")


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


ACTIVE_EXPORT_STATUSES = (ExportStatus.PENDING, ExportStatus.RUNNING)


class ExportAppendix(models.TextChoices):
    """What follows the Word document's signature (the Excel file always has every record)."""

    FIGURES = "figures", _("主要指标表")
    FULL = "full", _("主要指标表及指标明细记录")


def export_upload_to(job: "ExportJob", filename: str) -> str:
    return f"reports/{job.summary.year}/{job.pk or 'new'}-{filename}"


class ExportJob(models.Model):
    """One export request; its file is kept per year and per request."""

    summary = models.ForeignKey(
        AnnualSummary, verbose_name=_("工作总结"), on_delete=models.CASCADE, related_name="exports"
    )
    fmt = models.CharField(_("格式"), max_length=4, choices=ExportFormat.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    file = models.FileField(_("文件"), upload_to=export_upload_to, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    appendix = models.CharField(
        _("附件内容"),
        max_length=10,
        choices=ExportAppendix.choices,
        default=ExportAppendix.FIGURES,
    )
    unmasked = models.BooleanField(
        _("含未脱敏个人信息"),
        default=False,
        editable=False,
        help_text=_("申请人有权查看个人信息时，导出文件不脱敏，且仅申请人可下载。"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    # A worker runs the export: each delivery of its task is an attempt (a worker lost
    # mid-export makes the broker deliver it again), and while it runs it beats; a job whose
    # beat stops is failed by the sweeper (reports.services.sweep_exports).
    attempts = models.PositiveSmallIntegerField(_("执行次数"), default=0, editable=False)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["progress", "heartbeat_at"])

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A repeated request while one runs joins it instead of starting a second; a file
            # with unmasked personal data is its requester's alone, so it is joined only by
            # the same requester.
            models.UniqueConstraint(
                fields=["summary", "fmt", "appendix"],
                condition=Q(status__in=["pending", "running"], unmasked=False),
                name="export_one_active_per_summary_format",
            ),
            models.UniqueConstraint(
                fields=["summary", "fmt", "appendix", "requested_by"],
                condition=Q(status__in=["pending", "running"], unmasked=True),
                name="export_one_active_unmasked_per_requester",
            ),
            models.CheckConstraint(
                condition=Q(appendix__in=["figures", "full"]), name="export_appendix_valid"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="export_progress_le_100"),
        ]

    def __str__(self) -> str:
        return f"{self.summary.year} {self.get_fmt_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("reports:export_status", args=[self.pk])

    @property
    def filename(self) -> str:
        return f"{self.summary.title}.{self.fmt}"

    def can_download(self, user) -> bool:
        """A file with unmasked personal data goes to its requester only (whose export was
        logged); any other file to every reader of the summary."""
        return not self.unmasked or (user.is_authenticated and user.pk == self.requested_by_id)


class WordTemplate(models.Model):
    """A Word template (docxtpl) a bureau uploads to replace the default one shipped in the repo."""

    name = models.CharField(_("名称"), max_length=80)
    file = models.FileField(
        _("模板文件"),
        upload_to="reports/templates/",
        validators=[FileExtensionValidator(["docx"])],
    )
    is_active = models.BooleanField(_("启用"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Word模板")
        verbose_name_plural = _("Word模板")
        ordering = ["-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="wordtemplate_one_active",
                violation_error_message=_("只能有一个启用的Word模板。"),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.file and not self.file.name.lower().endswith(".docx"):
            raise ValidationError({"file": _("请上传 .docx 格式的Word模板。")})
