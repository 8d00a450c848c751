from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.concurrency import OptimisticLockFormMixin
from bureau.formfields import BureauForm, BureauModelForm, DateInput, WanField
from bureau.models import ALLOWED_TRANSITIONS, ApplicationStatus

from .models import CooperationAgreement, Talent, TechnologyDemand


class TalentForm(OptimisticLockFormMixin, BureauModelForm):
    """A roster entry, for an enterprise's own staff (the enterprise is set by the view)."""

    class Meta:
        model = Talent
        fields = (
            "name",
            "gender",
            "birth_year",
            "category",
            "position",
            "title",
            "title_level",
            "education",
            "field",
            "phone",
            "email",
            "registered_on",
            "left_on",
        )
        widgets = {"registered_on": DateInput(), "left_on": DateInput()}


class TalentFilterForm(BureauForm):
    q = forms.CharField(label=_("企业名称"), required=False)
    category = forms.ChoiceField(label=_("人才类别"), required=False)
    title_level = forms.ChoiceField(label=_("职称级别"), required=False)
    education = forms.ChoiceField(label=_("最高学历"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("category", "title_level", "education"):
            choices = Talent._meta.get_field(name).choices
            self.fields[name].choices = [("", _("全部")), *choices]


class DemandForm(BureauModelForm):
    """A technology demand; the budget typed in 万元 as the demand lists show it."""

    wan_fields = ("budget",)

    class Meta:
        model = TechnologyDemand
        fields = ("title", "description", "field", "budget", "raised_on", "deadline")
        widgets = {
            "raised_on": DateInput(),
            "deadline": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }


class AgreementFromMatchForm(BureauModelForm):
    wan_fields = ("value",)

    class Meta:
        model = CooperationAgreement
        fields = ("kind", "title", "signed_on", "start_on", "end_on", "value", "notes")
        widgets = {
            "signed_on": DateInput(),
            "start_on": DateInput(),
            "end_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class TransitionForm(OptimisticLockFormMixin, BureauForm):
    """Move a talent application on; money fields are used when approving."""

    to_status = forms.ChoiceField(label=_("变更为"))
    remark = forms.CharField(label=_("备注"), required=False)
    amount_granted = WanField(
        label=_("核定金额（万元）"), required=False, min_value=0, max_digits=14
    )

    def __init__(self, *args, current: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        allowed = ALLOWED_TRANSITIONS[current]
        self.fields["to_status"].choices = [
            (s.value, s.label) for s in ApplicationStatus if s.value in allowed
        ]


class PaymentForm(OptimisticLockFormMixin, BureauForm):
    amount_paid = WanField(label=_("已拨付金额（万元）"), min_value=0, max_digits=14)
    paid_on = forms.DateField(label=_("拨付日期"), widget=DateInput())


class PortalDemandForm(OptimisticLockFormMixin, DemandForm):
    """The enterprise's correction of its own demand: the demand form with the stale token."""
