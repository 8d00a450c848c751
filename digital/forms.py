from decimal import Decimal

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bureau.concurrency import OptimisticLockFormMixin
from bureau.formfields import BureauForm, DateInput
from enterprises.models import Enterprise
from enterprises.picker import EnterprisePicker

from .models import (
    Assessment,
    AssessmentSource,
    AssessmentStatus,
    DiagnosticVisit,
    DigitalLevel,
    ServiceDelivery,
    ServicePackage,
    VisitKind,
)
from .scoring import fmt
from .selectors import Questionnaire

SCENARIO_CHOICES = [
    ("", _("— 请选择 —")),
    ("0", _("未开展")),
    ("1", _("一级：IT工具辅助")),
    ("2", _("二级：信息系统规范管理")),
    ("3", _("三级：系统集成与数据共享")),
    ("4", _("四级：模型驱动与全链协同")),
]


def _scenario_field(name: str, mandatory: bool) -> forms.TypedChoiceField:
    label = f"{name}★" if mandatory else name
    return forms.TypedChoiceField(
        label=label, choices=SCENARIO_CHOICES, coerce=int, empty_value=None, required=False
    )


class QuestionnaireForm(OptimisticLockFormMixin, BureauForm):
    """The questionnaire: one field per question (q_<code>) and per scenario (s_<code>).

    Every field is optional here so that a draft can be saved; completeness on submit is
    checked by services.submit_assessment, which names what is left.
    """

    def __init__(self, *args, questionnaire: Questionnaire, assessment: Assessment, **kwargs):
        self.assessment = assessment
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        for q in questionnaire.questions:
            choices = [(o.code, f"{o.text}") for o in q.options.all()]
            name = f"q_{q.code}"
            if q.kind == "multiple":
                self.fields[name] = forms.MultipleChoiceField(
                    label=q.text,
                    choices=choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    initial=assessment.answers.get(q.code, []),
                )
            else:
                chosen = assessment.answers.get(q.code) or [None]
                self.fields[name] = forms.ChoiceField(
                    label=q.text,
                    choices=choices,
                    required=False,
                    widget=forms.RadioSelect,
                    initial=chosen[0],
                )
        for s in questionnaire.scenarios:
            field = _scenario_field(s.name, s.mandatory)
            level = assessment.scenario_levels.get(s.code)
            field.initial = "" if level is None else str(level)
            self.fields[f"s_{s.code}"] = field

    def lock_target(self) -> Assessment:
        """Two users of one enterprise may fill the same draft: a stale save is refused."""
        return self.assessment

    def answers(self) -> dict[str, list[str]]:
        result = {}
        for q in self.questionnaire.questions:
            value = self.cleaned_data.get(f"q_{q.code}")
            if value:
                result[q.code] = list(value) if isinstance(value, list) else [value]
        return result

    def scenario_levels(self) -> dict[str, int]:
        return {
            s.code: self.cleaned_data[f"s_{s.code}"]
            for s in self.questionnaire.scenarios
            if self.cleaned_data.get(f"s_{s.code}") is not None
        }

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """Put a service's errors (keyed by question or scenario code) on their fields."""
        q_codes = {q.code for q in self.questionnaire.questions}
        s_codes = {s.code for s in self.questionnaire.scenarios}
        for code, messages in errors.items():
            if code in q_codes:
                field = f"q_{code}"
            elif code in s_codes:
                field = f"s_{code}"
            else:
                field = None
            for message in messages:
                self.add_error(field, message)


class ReopenForm(OptimisticLockFormMixin, BureauForm):
    reason = forms.CharField(
        label=_("退回原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ScoredAssessmentForm(BureauForm):
    """Staff entry of an assessment made elsewhere: scores and scenario levels as reported."""

    enterprise = forms.ModelChoiceField(
        label=_("企业"), queryset=Enterprise.objects.order_by("name"), widget=EnterprisePicker()
    )
    assessed_on = forms.DateField(label=_("评测日期"), widget=DateInput())
    source = forms.ChoiceField(
        label=_("来源"),
        choices=[
            (AssessmentSource.EXTERNAL, AssessmentSource.EXTERNAL.label),
            (AssessmentSource.STAFF, AssessmentSource.STAFF.label),
        ],
    )
    evaluator = forms.CharField(label=_("评测机构/平台"), max_length=80, required=False)
    external_ref = forms.CharField(label=_("外部评测编号"), max_length=60, required=False)

    def __init__(self, *args, questionnaire: Questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        for d in questionnaire.dimensions:
            self.fields[f"d_{d.code}"] = forms.DecimalField(
                label=_("%(n)s得分（满分%(m)s）") % {"n": d.name, "m": fmt(d.max_points)},
                max_digits=7,
                decimal_places=3,
            )
        for s in questionnaire.scenarios:
            field = _scenario_field(s.name, s.mandatory)
            field.required = True
            self.fields[f"s_{s.code}"] = field

    def clean_assessed_on(self):
        day = self.cleaned_data["assessed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("评测日期不能晚于今天。"))
        return day

    def dimension_scores(self) -> dict[str, Decimal]:
        return {d.code: self.cleaned_data[f"d_{d.code}"] for d in self.questionnaire.dimensions}

    def scenario_levels(self) -> dict[str, int]:
        return {s.code: self.cleaned_data[f"s_{s.code}"] for s in self.questionnaire.scenarios}

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        d_codes = {d.code for d in self.questionnaire.dimensions}
        s_codes = {s.code for s in self.questionnaire.scenarios}
        for code, messages in errors.items():
            field = f"d_{code}" if code in d_codes else f"s_{code}" if code in s_codes else None
            if field is None and code in self.fields:
                field = code
            for message in messages:
                self.add_error(field, message)


def _years():
    this = timezone.localdate().year
    return [(y, str(y)) for y in range(this, 2019, -1)]


class AssessmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("企业名称或代码"), method="search")
    year = django_filters.TypedChoiceFilter(
        label=_("年度"), choices=_years, coerce=int, field_name="assessed_on__year"
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=AssessmentStatus.choices)
    source = django_filters.ChoiceFilter(label=_("来源"), choices=AssessmentSource.choices)
    level = django_filters.TypedChoiceFilter(
        label=_("等级"), choices=DigitalLevel.choices, coerce=int
    )

    class Meta:
        model = Assessment
        fields = ["q", "year", "status", "source", "level"]

    def search(self, queryset, name, value):
        return queryset.filter(enterprise__name__icontains=value) | queryset.filter(
            enterprise__credit_code__icontains=value.upper()
        )


class VisitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("企业名称"), field_name="enterprise__name", lookup_expr="icontains"
    )
    year = django_filters.TypedChoiceFilter(
        label=_("年度"), choices=_years, coerce=int, field_name="date__year"
    )
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=VisitKind.choices)

    class Meta:
        model = DiagnosticVisit
        fields = ["q", "year", "kind"]


class DeliveryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("企业名称"), field_name="enterprise__name", lookup_expr="icontains"
    )
    year = django_filters.TypedChoiceFilter(
        label=_("年度"), choices=_years, coerce=int, field_name="delivered_on__year"
    )
    package = django_filters.ModelChoiceFilter(
        label=_("服务包"), queryset=ServicePackage.objects.all()
    )

    class Meta:
        model = ServiceDelivery
        fields = ["q", "year", "package"]
