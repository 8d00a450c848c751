import io
import zipfile

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from docxtpl import DocxTemplate
from jinja2 import TemplateError

from bureau.concurrency import OptimisticLockFormMixin
from bureau.formfields import BureauForm, BureauModelForm
from bureau.models import MAX_YEAR, MIN_YEAR, Target
from bureau.uploads import guard_upload

from . import word_sandbox
from .models import (
    AnnualSummary,
    ExportAppendix,
    ExportFormat,
    NarrativeParagraph,
    PlanItem,
    WordTemplate,
)


class SummaryCreateForm(BureauForm):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, y) for y in range(this_year, this_year - 6, -1)]
        self.fields["year"].initial = this_year

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise forms.ValidationError(_("年度应在2000至2100之间。"))
        if AnnualSummary.objects.filter(year=year).exists():
            raise forms.ValidationError(_("该年度的工作总结已存在。"))
        return year


class SummaryForm(OptimisticLockFormMixin, BureauModelForm):
    class Meta:
        model = AnnualSummary
        fields = ["title", "organisation", "document_date"]
        widgets = {"document_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class RoundingForm(OptimisticLockFormMixin, forms.Form):
    """How each roundable count of the summary is written: exactly, "10余次" or "10次以上".

    Carries the summary's edit token: refused from a page opened before another save of it."""

    def __init__(self, *args, summary: AnnualSummary, **kwargs):
        from .drafting.base import ROUNDING_CHOICES
        from .selectors import snapshot_values

        super().__init__(*args, lock_record=summary, **kwargs)
        self.summary = summary
        values = snapshot_values(summary)
        for key in ROUNDABLE_KEYS:
            if key not in values:
                continue
            self.fields[key] = forms.ChoiceField(
                label=values[key].label or key,
                choices=ROUNDING_CHOICES,
                initial=(summary.rounding or {}).get(key, "exact"),
            )

    def rounding(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if k in ROUNDABLE_KEYS and v != "exact"}


# Counts of activities, which the seed writes as "10余次" / "10次以上" when staff choose.
ROUNDABLE_KEYS = (
    "digital.meetings",
    "bureau.activities.policy_seminar",
    "bureau.activities.door_to_door",
    "talent.trainings_held",
    "finance.events.gov_bank_meeting",
    "finance.events.bank_enterprise_matchmaking",
)


class ParagraphForm(OptimisticLockFormMixin, BureauModelForm):
    class Meta:
        model = NarrativeParagraph
        fields = ["text", "order"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6, "cols": 90})}

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("段落内容不能为空。"))
        return text


class PlanItemForm(OptimisticLockFormMixin, BureauModelForm):
    """A plan item of section 四; its targets are the following year's."""

    class Meta:
        model = PlanItem
        fields = ["title", "text", "order", "targets"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 5, "cols": 90}),
            "targets": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, summary: AnnualSummary, **kwargs):
        super().__init__(*args, **kwargs)
        self.summary = summary
        self.fields["targets"].queryset = Target.objects.filter(year=summary.year + 1)
        self.fields["targets"].label = _("关联%(y)s年度目标") % {"y": summary.year + 1}


class NewTargetForm(BureauModelForm):
    """Create a target of the following year straight from a plan item."""

    class Meta:
        model = Target
        fields = ["figure_key", "label", "target_value", "unit"]

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.year = year

    def clean_figure_key(self) -> str:
        key = self.cleaned_data["figure_key"].strip()
        others = Target.objects.filter(year=self.instance.year, figure_key=key)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("该年度已有此指标的目标。"))
        return key


class ExportForm(BureauForm):
    fmt = forms.ChoiceField(label=_("格式"), choices=ExportFormat.choices)
    appendix = forms.ChoiceField(
        label=_("Word附件"),
        choices=ExportAppendix.choices,
        initial=ExportAppendix.FIGURES,
        required=False,
    )

    def clean_appendix(self) -> str:
        return self.cleaned_data.get("appendix") or ExportAppendix.FIGURES


class WordTemplateForm(BureauModelForm):
    class Meta:
        model = WordTemplate
        fields = ["name", "file"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".docx"):
            raise forms.ValidationError(_("请上传 .docx 格式的Word模板。"))
        guard_upload(upload, {".docx"})
        data = upload.read()
        upload.seek(0)
        try:
            variables = DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables(
                jinja_env=word_sandbox.environment()
            )
        except (zipfile.BadZipFile, KeyError, ValueError):
            raise forms.ValidationError(_("文件不是有效的Word（.docx）文档。")) from None
        except TemplateError as exc:
            raise forms.ValidationError(_("模板语法有误：%(error)s") % {"error": exc}) from None
        if "body" not in variables:
            raise forms.ValidationError(_("模板中缺少正文占位符 {{p body }}，请参照默认模板。"))
        unknown = sorted(variables - set(word_sandbox.TEMPLATE_NAMES))
        if unknown:
            raise forms.ValidationError(
                _(
                    "模板使用了不支持的占位符：%(names)s。可用的占位符只有 title、organisation、date、body。"
                )
                % {"names": "、".join(unknown)}
            )
        try:
            word_sandbox.check_template(data)
        except word_sandbox.TemplateRefused as exc:
            raise forms.ValidationError(
                _("模板未通过试生成检查：%(error)s") % {"error": exc}
            ) from None
        return upload
