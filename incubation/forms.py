"""Staff forms: moving an application through the pipeline, admitting and releasing tenants."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bureau.concurrency import OptimisticLockFormMixin
from bureau.formfields import BureauForm, BureauModelForm, DateInput
from bureau.models import ALLOWED_TRANSITIONS, Application, ApplicationStatus, Level
from enterprises.models import Enterprise
from enterprises.picker import EnterprisePicker

from .models import ExitReason, GraduationBasis, Tenancy

# Forward moves first, so the likely next step is the one preselected.
MOVE_ORDER = [
    ApplicationStatus.PREPARING,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.APPROVED,
    ApplicationStatus.REJECTED,
    ApplicationStatus.WITHDRAWN,
    ApplicationStatus.CANDIDATE,
]


class TransitionForm(OptimisticLockFormMixin, BureauForm):
    """The next status of an application; approval asks for the level and certificate.

    Refused from a page opened before someone else moved or changed the application."""

    to_status = forms.ChoiceField(label=_("变更为"))
    remark = forms.CharField(label=_("说明"), required=False, widget=forms.TextInput)
    level = forms.ChoiceField(
        label=_("认定级别"), required=False, choices=[("", "—"), *Level.choices]
    )
    certificate_no = forms.CharField(label=_("证书编号"), required=False, max_length=80)
    approved_on = forms.DateField(label=_("认定日期"), required=False, widget=DateInput())
    valid_from = forms.DateField(label=_("有效期起"), required=False, widget=DateInput())
    valid_to = forms.DateField(label=_("有效期至"), required=False, widget=DateInput())

    def __init__(self, *args, application: Application, **kwargs) -> None:
        self.application = application
        super().__init__(*args, **kwargs)
        allowed = ALLOWED_TRANSITIONS[application.status]
        self.fields["to_status"].choices = [
            (s.value, s.label) for s in MOVE_ORDER if s.value in allowed
        ]
        self.fields["level"].initial = application.level

    def lock_target(self) -> Application:
        return self.application

    def clean(self):
        data = super().clean()
        if data.get("to_status") == ApplicationStatus.APPROVED and not (
            data.get("level") or self.application.level
        ):
            raise ValidationError({"level": _("认定时必须填写级别。")})
        return data

    def extra_fields(self) -> dict:
        """The fields to set on the application with this move."""
        data = self.cleaned_data
        fields = {}
        if data.get("level"):
            fields["level"] = data["level"]
        if data.get("to_status") == ApplicationStatus.APPROVED:
            for name in ("certificate_no", "approved_on", "valid_from", "valid_to"):
                if data.get(name):
                    fields[name] = data[name]
        return fields


class AdmitTenantForm(BureauModelForm):
    enterprise = forms.ModelChoiceField(
        label=_("企业"),
        queryset=Enterprise.objects.filter(is_active=True).order_by("name"),
        widget=EnterprisePicker(active_only=True),
    )

    class Meta:
        model = Tenancy
        fields = ["enterprise", "entered_on", "area_m2", "note"]
        widgets = {"entered_on": DateInput()}


class EndTenancyForm(BureauForm):
    exited_on = forms.DateField(label=_("离孵日期"), widget=DateInput())
    exit_reason = forms.ChoiceField(label=_("离孵原因"), choices=ExitReason.choices)
    graduation_basis = forms.ChoiceField(
        label=_("毕业条件"), required=False, choices=[("", "—"), *GraduationBasis.choices]
    )

    def clean(self):
        data = super().clean()
        if data.get("graduation_basis") and data.get("exit_reason") != ExitReason.GRADUATED:
            raise ValidationError({"graduation_basis": _("只有毕业企业才填写毕业条件。")})
        return data
