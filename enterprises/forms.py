from django import forms

from .models import AnnualFigures, Enterprise, QuarterlyFigures


class DateInput(forms.DateInput):
    input_type = "date"


class EnterpriseProfileForm(forms.ModelForm):
    """What an enterprise user may change of its own profile (not its code or zone)."""

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


class QuarterlyFiguresForm(forms.ModelForm):
    class Meta:
        model = QuarterlyFigures
        fields = ["revenue_ytd", "rd_expense_ytd", "industrial_output_ytd", "tax_ytd", "employees"]


class AnnualFiguresForm(forms.ModelForm):
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
