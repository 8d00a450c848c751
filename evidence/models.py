"""The evidence locker (证明材料库): an enterprise's certificates, IP certificates, audit reports
and financial statements, stored once and reused by every application and upstream pack."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from enterprises.models import Enterprise, Qualification
from upstream.facts import FACTS

from .storage import PrivateStorage, upload_to


class DocumentType(models.TextChoices):
    CERTIFICATE = "certificate", _("证书/高企证书")
    IP_CERTIFICATE = "ip_certificate", _("知识产权证书")
    AUDIT_REPORT = "audit_report", _("审计报告")
    RD_AUDIT_REPORT = "rd_audit_report", _("研发费用专项审计报告")
    FINANCIAL_STATEMENTS = "financial_statements", _("财务报表")
    OTHER = "other", _("其他")


# Types whose number is printed on the document and must be recorded.
NUMBERED_TYPES = {DocumentType.CERTIFICATE, DocumentType.IP_CERTIFICATE}


def validate_fact_names(value) -> None:
    """Each name must be a fact of the upstream registry (upstream/facts.py)."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("支撑的指标应为指标名称的列表。"), code="facts_shape")
    unknown = sorted(set(value) - set(FACTS))
    if unknown:
        raise ValidationError(
            _("未知的指标：%(names)s。") % {"names": "、".join(unknown)}, code="unknown_fact"
        )


class EvidenceDocument(models.Model):
    """One document of one enterprise, with what it proves and how long it is valid."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="evidence_documents",
    )
    doc_type = models.CharField(_("材料类型"), max_length=30, choices=DocumentType.choices)
    title = models.CharField(_("材料名称"), max_length=120)
    number = models.CharField(_("编号"), max_length=60, blank=True)
    issuer = models.CharField(_("发证或出具单位"), max_length=120, blank=True)
    issued_on = models.DateField(_("发证或出具日期"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(
        _("所属年度"),
        null=True,
        blank=True,
        help_text=_("审计报告、财务报表等所反映的会计年度。"),
    )
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_to = models.DateField(_("有效期至"), null=True, blank=True)
    facts = models.JSONField(
        _("支撑的指标"), default=list, blank=True, validators=[validate_fact_names]
    )
    file = models.FileField(_("文件"), storage=PrivateStorage(), upload_to=upload_to)
    original_name = models.CharField(_("原文件名"), max_length=200)
    size = models.PositiveIntegerField(_("文件大小（字节）"), default=0)
    content_type = models.CharField(_("文件类型"), max_length=60, blank=True)
    qualifications = models.ManyToManyField(
        Qualification,
        verbose_name=_("支撑的资质"),
        related_name="evidence_documents",
        blank=True,
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["file"])

    class Meta:
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")
        ordering = ["enterprise__name", "doc_type", "-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="evidence_valid_to_after_from",
                violation_error_message=_("有效期至不能早于有效期起。"),
            ),
            models.CheckConstraint(
                condition=Q(doc_type__in=DocumentType.values), name="evidence_doc_type_known"
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=2000, year__lte=2100),
                name="evidence_year_range",
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "doc_type"], name="evidence_ent_type"),
            models.Index(fields=["valid_to"], name="evidence_valid_to"),
        ]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} {self.number or self.title}"

    def get_absolute_url(self) -> str:
        return reverse("evidence:download", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("有效期至不能早于有效期起。")
        if self.doc_type in NUMBERED_TYPES and not self.number.strip():
            errors["number"] = _("证书类材料须填写证书编号。")
        if self.issued_on and self.issued_on > timezone.localdate():
            errors["issued_on"] = _("发证或出具日期不能晚于今天。")
        if errors:
            raise ValidationError(errors)

    @property
    def fact_labels(self) -> list[str]:
        return [FACTS[name].label for name in self.facts if name in FACTS]

    def days_left(self, day: datetime.date | None = None) -> int | None:
        if self.valid_to is None:
            return None
        return (self.valid_to - (day or timezone.localdate())).days

    @property
    def is_expired(self) -> bool:
        return self.valid_to is not None and self.valid_to < timezone.localdate()

    def covers_year(self, year: int) -> bool:
        """Whether the document speaks for `year`: its own year, or a validity meeting it."""
        if self.year is not None:
            return self.year == year
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        if self.valid_from is None and self.valid_to is None:
            return self.issued_on is not None and self.issued_on.year == year
        return (self.valid_from is None or self.valid_from <= end) and (
            self.valid_to is None or self.valid_to >= start
        )


class CrossEnterpriseLink(ValidationError):
    pass


@receiver(m2m_changed, sender=EvidenceDocument.qualifications.through)
def _same_enterprise_only(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """A document backs only qualifications of its own enterprise, whichever side adds."""
    if action != "pre_add" or not pk_set:
        return
    if reverse:  # qualification.evidence_documents.add(documents)
        others = EvidenceDocument.objects.filter(pk__in=pk_set).exclude(
            enterprise_id=instance.enterprise_id
        )
    else:
        others = Qualification.objects.filter(pk__in=pk_set).exclude(
            enterprise_id=instance.enterprise_id
        )
    if others.exists():
        raise CrossEnterpriseLink(_("证明材料只能关联本企业的资质。"), code="cross_enterprise")
