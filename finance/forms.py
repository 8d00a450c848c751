"""Input forms of technology finance. Amounts are typed in 万元 and stored in 元 (WanField)."""

from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from bureau.concurrency import OptimisticLockFormMixin
from bureau.formfields import BureauForm, BureauModelForm, DateInput, WanField
from bureau.models import ActivityKind
from enterprises.industries import DIVISION_CHOICES
from enterprises.models import Enterprise, SizeClass
from enterprises.picker import EnterprisePicker

from .models import (
    FINANCE_ACTIVITY_KINDS,
    FinanceEvent,
    FinancialProduct,
    FinancingNeed,
    Institution,
    InstitutionKind,
)
from .tiers import TIER_CHOICES


def wan_field(label: str, *, required: bool = True) -> WanField:
    """A positive amount typed in 万元; cleaned to 元."""
    return WanField(
        label=label,
        max_digits=16,
        required=required,
        min_value=Decimal("0.01"),
        error_messages={"min_value": _("金额必须大于0。")},
    )


def apply_errors(form: forms.Form, exc: ValidationError, rename: dict[str, str]) -> None:
    """Put a model/service ValidationError on the form, under the form's field names."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        name = rename.get(field, field)
        if name not in form.fields or name == NON_FIELD_ERRORS:
            name = None
        for error in errors:
            form.add_error(name, error)


class ProductAdminForm(BureauModelForm):
    """The product's eligibility lists as checkboxes instead of raw JSON."""

    eligible_tiers = forms.MultipleChoiceField(
        label=_("适用企业梯次"),
        choices=TIER_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选表示不限梯次；企业持有其中任一即可。"),
    )
    eligible_sizes = forms.MultipleChoiceField(
        label=_("适用企业规模"),
        choices=SizeClass.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选表示不限规模。"),
    )
    eligible_industries = forms.MultipleChoiceField(
        label=_("适用行业（大类）"),
        choices=DIVISION_CHOICES,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("不选表示不限行业。"),
    )

    class Meta:
        model = FinancialProduct
        fields = [
            "name",
            "provider",
            "kind",
            "min_amount",
            "max_amount",
            "min_rate",
            "max_rate",
            "min_term_months",
            "max_term_months",
            "requires_collateral",
            "collateral_note",
            "eligible_tiers",
            "eligible_sizes",
            "eligible_industries",
            "description",
            "status",
            "launched_on",
            "retired_on",
        ]


class NeedForm(BureauModelForm):
    """A financing need as an enterprise user (or staff, with `with_enterprise`) enters it."""

    amount_wan = wan_field(_("融资金额（万元）"))

    class Meta:
        model = FinancingNeed
        fields = [
            "purpose",
            "term_months",
            "collateral_available",
            "collateral_note",
            "wanted_by",
        ]
        widgets = {"wanted_by": DateInput()}

    def __init__(self, *args, with_enterprise: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if with_enterprise:
            self.fields = {
                "enterprise": forms.ModelChoiceField(
                    label=_("企业"),
                    queryset=Enterprise.objects.filter(is_active=True),
                    widget=EnterprisePicker(active_only=True),
                ),
                **self.fields,
            }
        self.order_fields(["enterprise", "amount_wan"])
        if self.instance.pk is not None:
            self.fields["amount_wan"].initial = self.instance.amount

    def service_fields(self) -> dict:
        """Keyword arguments for services.post_need (amount in 元: WanField cleans to 元)."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["amount"] = self.cleaned_data["amount_wan"]
        return data


class PortalNeedForm(OptimisticLockFormMixin, NeedForm):
    """The enterprise's correction of its own need: the need form with the stale-form token."""


class EventForm(BureauForm):
    kind = forms.ModelChoiceField(
        label=_("活动类型"),
        queryset=ActivityKind.objects.all(),
        help_text=_("政银推进会、银企对接会或其他活动。"),
    )
    date = forms.DateField(label=_("日期"), widget=DateInput())
    topic = forms.CharField(label=_("主题"), max_length=200)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    co_organizer = forms.CharField(label=_("协办单位"), max_length=100, required=False)
    institutions = forms.ModelMultipleChoiceField(
        label=_("参加机构"),
        queryset=Institution.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attendance = forms.IntegerField(label=_("参加人数"), min_value=0, required=False)
    notes = forms.CharField(
        label=_("纪要"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        finance_kinds = ActivityKind.objects.filter(code__in=FINANCE_ACTIVITY_KINDS)
        self.fields["kind"].initial = finance_kinds.filter(
            code="bank_enterprise_matchmaking"
        ).first()


class SigningForm(BureauForm):
    enterprise = forms.ModelChoiceField(
        label=_("企业"),
        queryset=Enterprise.objects.filter(is_active=True),
        widget=EnterprisePicker(active_only=True),
    )
    bank = forms.ModelChoiceField(
        label=_("金融机构"), queryset=Institution.objects.exclude(kind=InstitutionKind.GUARANTOR)
    )
    product = forms.ModelChoiceField(
        label=_("金融产品"),
        queryset=FinancialProduct.objects.select_related("provider"),
        required=False,
    )
    need = forms.ModelChoiceField(
        label=_("对应融资需求"),
        queryset=FinancingNeed.objects.select_related("enterprise").filter(status="open"),
        required=False,
        help_text=_("签约后该需求标记为已满足。"),
    )
    amount_wan = wan_field(_("签约金额（万元）"))
    signed_on = forms.DateField(label=_("签约日期"), widget=DateInput())

    def __init__(self, *args, event: FinanceEvent | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if event is not None:
            self.fields["signed_on"].initial = event.activity.date
            presented = event.needs_presented.filter(status="open").select_related("enterprise")
            if presented.exists():
                self.fields["need"].queryset = presented


class DisbursementForm(BureauForm):
    amount_wan = wan_field(_("放款金额（万元）"))
    disbursed_on = forms.DateField(label=_("放款日期"), widget=DateInput())


class SchemeAdvanceForm(OptimisticLockFormMixin, BureauForm):
    on = forms.DateField(label=_("进入下一阶段日期"), widget=DateInput())
    remark = forms.CharField(
        label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class InviteForm(BureauForm):
    event = forms.ModelChoiceField(label=_("邀请参加活动"), queryset=FinanceEvent.objects.none())
    bank = forms.ModelChoiceField(
        label=_("同时邀请机构"), queryset=Institution.objects.all(), required=False
    )

    def __init__(self, *args, events=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if events is not None:
            self.fields["event"].queryset = events
