from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.concurrency import OptimisticLockFormMixin
from bureau.formfields import BureauForm, BureauModelForm, DateInput
from bureau.models import ALLOWED_TRANSITIONS, ApplicationStatus, Level

from .models import AnnualFigures, Enterprise, Qualification, QuarterlyFigures


class EnterpriseProfileForm(OptimisticLockFormMixin, BureauModelForm):
    """What an enterprise user may change of its own profile (not its code or zone)."""

    wan_fields = ("registered_capital",)

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "industry_division",
            "size_class",
            "established_on",
            "registered_capital",
            "address",
            "legal_representative",
            "contact_person",
            "contact_phone",
            "strategic_industry",
            "main_products",
        ]
        widgets = {"established_on": DateInput()}


class QuarterlyFiguresForm(OptimisticLockFormMixin, BureauModelForm):
    """Year-to-date figures of one period; amounts typed in 万元, stored in 元."""

    wan_fields = ("revenue_ytd", "rd_expense_ytd", "industrial_output_ytd", "tax_ytd")

    class Meta:
        model = QuarterlyFigures
        fields = ["revenue_ytd", "rd_expense_ytd", "industrial_output_ytd", "tax_ytd", "employees"]


class AnnualFiguresForm(OptimisticLockFormMixin, BureauModelForm):
    """A year's figures; amounts typed in 万元, stored in 元."""

    wan_fields = (
        "revenue",
        "main_business_revenue",
        "rd_expense",
        "cost_expense_total",
        "hitech_product_revenue",
        "total_assets",
        "total_liabilities",
        "net_profit",
        "equity_financing",
    )

    class Meta:
        model = AnnualFigures
        fields = [
            "revenue",
            "main_business_revenue",
            "rd_expense",
            "cost_expense_total",
            "hitech_product_revenue",
            "total_assets",
            "total_liabilities",
            "net_profit",
            "equity_financing",
            "employees",
            "tech_staff",
            "rd_staff",
            "invention_patents",
            "other_class1_ip",
            "utility_models",
            "design_patents",
            "software_copyrights",
        ]


class TransitionForm(OptimisticLockFormMixin, BureauForm):
    """Move a qualification to a next status the shared flow allows (refused from a stale page)."""

    to_status = forms.ChoiceField(label=_("变更为"))
    remark = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea({"rows": 2}))
    level = forms.ChoiceField(label=_("级别"), choices=[("", "—"), *Level.choices], required=False)
    certificate_no = forms.CharField(label=_("证书编号（入库编号）"), required=False, max_length=80)
    approved_on = forms.DateField(label=_("认定日期"), required=False, widget=DateInput())
    valid_from = forms.DateField(label=_("有效期起"), required=False, widget=DateInput())
    valid_to = forms.DateField(label=_("有效期至"), required=False, widget=DateInput())

    def __init__(self, *args, qualification: Qualification, **kwargs) -> None:
        self.qualification = qualification
        super().__init__(*args, **kwargs)
        allowed = ALLOWED_TRANSITIONS[qualification.status]
        self.fields["to_status"].choices = [
            (value, label) for value, label in ApplicationStatus.choices if value in allowed
        ]
        self.fields["level"].initial = qualification.level

    def lock_target(self) -> Qualification:
        return self.qualification

    def transition_fields(self) -> dict:
        """The application fields to set with the move (only those filled in)."""
        data = self.cleaned_data
        names = ("level", "certificate_no", "approved_on", "valid_from", "valid_to")
        return {name: data[name] for name in names if data.get(name) not in (None, "")}


class CandidatesForm(BureauForm):
    batch_year = forms.IntegerField(label=_("申报批次年度"), min_value=2000, max_value=2100)
    enterprises = forms.ModelMultipleChoiceField(
        label=_("企业"),
        queryset=Enterprise.objects.all(),
        error_messages={"required": _("请至少勾选一家企业。")},
    )
