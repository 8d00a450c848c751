"""Explanations (数据核查说明) an enterprise gives for the quality rules its figures fail
(upstream.quality), and the staff's review of them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise


class ExplanationStatus(models.TextChoices):
    # Asked of the enterprise when staff imported figures that fail a rule (the import is not
    # refused: staff enter what the enterprise reported); its text is still to come.
    AWAITING = "awaiting", _("待企业说明")
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("已认可")
    RETURNED = "returned", _("已退回")


class Explanation(models.Model):
    """One failed rule of one filing (an enterprise's year, or a quarter of it) and why the
    figures are right nevertheless. Unique per filing and rule; a resubmission updates it."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="quality_explanations",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"), null=True, blank=True)  # None: annual
    rule_code = models.CharField(_("规则代码"), max_length=60)
    rules_version = models.CharField(_("规则版本"), max_length=40)
    message = models.TextField(_("核查提示"))  # as shown, in Chinese
    values = models.JSONField(_("核查时的数据"), default=dict)  # {fact: value in base units}
    text = models.TextField(_("说明"), blank=True)  # empty only while awaiting the enterprise
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=ExplanationStatus.choices,
        default=ExplanationStatus.PENDING,
    )
    revision = models.PositiveIntegerField(_("修订次数"), default=1)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_comment = models.TextField(_("审核意见"), blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("数据核查说明")
        verbose_name_plural = _("数据核查说明")
        ordering = ["-updated_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-updated_at"], name="explanation_status_updated"),
            models.Index(fields=["enterprise", "year"], name="explanation_enterprise_year"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "rule_code"],
                condition=Q(quarter__isnull=True),
                name="explanation_once_per_annual_rule",
            ),
            models.UniqueConstraint(
                fields=["enterprise", "year", "quarter", "rule_code"],
                condition=Q(quarter__isnull=False),
                name="explanation_once_per_quarterly_rule",
            ),
            models.CheckConstraint(condition=Q(year__gte=2000), name="explanation_year_after_2000"),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
                name="explanation_quarter_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ExplanationStatus.values), name="explanation_status"
            ),
            models.CheckConstraint(
                condition=~Q(text="") | Q(status=ExplanationStatus.AWAITING),
                name="explanation_text_not_empty",
            ),
            models.CheckConstraint(condition=~Q(rule_code=""), name="explanation_rule_code"),
            models.CheckConstraint(
                condition=Q(status__in=[ExplanationStatus.AWAITING, ExplanationStatus.PENDING])
                | Q(reviewer__isnull=False, reviewed_at__isnull=False),
                name="explanation_reviewed_has_reviewer",
            ),
            models.CheckConstraint(
                condition=~Q(status=ExplanationStatus.RETURNED) | ~Q(review_comment=""),
                name="explanation_returned_has_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.filing_label} {self.rule_code}"

    @property
    def filing_label(self) -> str:
        if self.quarter is None:
            return _("%(y)s年度") % {"y": self.year}
        return _("%(year)s年第%(quarter)s季度") % {"year": self.year, "quarter": self.quarter}

    def portal_url(self) -> str:
        return reverse("upstream:portal_explanation", args=[self.pk])
