"""Excel import/export of technology-finance tables (django-import-export).

All-or-nothing through bureau.importing.run_import; model validation (clean_model_instances)
refuses zero or negative amounts, upside-down ranges, a disbursement above its signing and a
signing dated before its event, each error naming the row and the column.
"""

from import_export import fields

from bureau.importing import (
    BaseResource,
    ChineseDateWidget,
    ChineseDecimalWidget,
    ChineseIntegerWidget,
    ChoiceWidget,
    LookupWidget,
)
from enterprises import credit_code
from enterprises.models import Enterprise

from .models import (
    Disbursement,
    FinanceEvent,
    FinancialProduct,
    FinancingNeed,
    Institution,
    InstitutionKind,
    ProductKind,
    ProductStatus,
    Signing,
)


def _enterprise_widget() -> LookupWidget:
    return LookupWidget(
        Enterprise, "credit_code", label="统一社会信用代码", normalize=credit_code.normalize
    )


def _institution_widget() -> LookupWidget:
    return LookupWidget(Institution, "name", label="金融机构")


class EventTopicWidget(LookupWidget):
    """A finance event by its activity's topic (主题)."""

    def clean(self, value, row=None, **kwargs):
        if self._cache is None:
            self._cache = {
                e.activity.topic: e for e in FinanceEvent.objects.select_related("activity")
            }
        return super().clean(value, row, **kwargs)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.activity.topic


class InstitutionResource(BaseResource):
    unique_in_file = ("name",)

    name = fields.Field("name", "机构名称")
    short_name = fields.Field("short_name", "简称")
    kind = fields.Field("kind", "机构类型", widget=ChoiceWidget(InstitutionKind.choices))
    address = fields.Field("address", "地址")

    class Meta:
        model = Institution
        fields = ("name", "short_name", "kind", "address")
        import_id_fields = ("name",)
        clean_model_instances = True
        skip_diff = True


class ProductResource(BaseResource):
    unique_in_file = ("provider", "name")

    name = fields.Field("name", "产品名称")
    provider = fields.Field("provider", "提供机构", widget=_institution_widget())
    kind = fields.Field("kind", "产品类型", widget=ChoiceWidget(ProductKind.choices))
    min_amount = fields.Field("min_amount", "最低额度（元）", widget=ChineseDecimalWidget())
    max_amount = fields.Field("max_amount", "最高额度（元）", widget=ChineseDecimalWidget())
    min_rate = fields.Field("min_rate", "最低年利率（%）", widget=ChineseDecimalWidget())
    max_rate = fields.Field("max_rate", "最高年利率（%）", widget=ChineseDecimalWidget())
    min_term_months = fields.Field(
        "min_term_months", "最短期限（月）", widget=ChineseIntegerWidget()
    )
    max_term_months = fields.Field(
        "max_term_months", "最长期限（月）", widget=ChineseIntegerWidget()
    )
    status = fields.Field("status", "状态", widget=ChoiceWidget(ProductStatus.choices))
    launched_on = fields.Field("launched_on", "推出日期", widget=ChineseDateWidget())

    class Meta:
        model = FinancialProduct
        fields = (
            "name",
            "provider",
            "kind",
            "min_amount",
            "max_amount",
            "min_rate",
            "max_rate",
            "min_term_months",
            "max_term_months",
            "status",
            "launched_on",
        )
        import_id_fields = ("provider", "name")
        clean_model_instances = True
        skip_diff = True


class FinancingNeedResource(BaseResource):
    """New financing needs, one a row (staff-entered)."""

    enterprise = fields.Field("enterprise", "统一社会信用代码", widget=_enterprise_widget())
    amount = fields.Field("amount", "融资金额（元）", widget=ChineseDecimalWidget())
    purpose = fields.Field("purpose", "资金用途")
    term_months = fields.Field("term_months", "期限（月）", widget=ChineseIntegerWidget())
    wanted_by = fields.Field("wanted_by", "期望到位日期", widget=ChineseDateWidget())
    posted_on = fields.Field("posted_on", "登记日期", widget=ChineseDateWidget())

    class Meta:
        model = FinancingNeed
        fields = ("enterprise", "amount", "purpose", "term_months", "wanted_by", "posted_on")
        import_id_fields = ()
        clean_model_instances = True
        skip_diff = True

    def get_instance(self, instance_loader, row):
        return None

    def required_columns(self):
        return ("enterprise", "amount", "purpose")


class SigningResource(BaseResource):
    """New signings, one a row; a signing at an event names the event by its topic."""

    enterprise = fields.Field("enterprise", "统一社会信用代码", widget=_enterprise_widget())
    bank = fields.Field("bank", "金融机构", widget=_institution_widget())
    product = fields.Field(
        "product", "金融产品", widget=LookupWidget(FinancialProduct, "name", label="金融产品")
    )
    event = fields.Field(
        "event", "签约活动", widget=EventTopicWidget(FinanceEvent, "pk", label="签约活动")
    )
    amount = fields.Field("amount", "签约金额（元）", widget=ChineseDecimalWidget())
    signed_on = fields.Field("signed_on", "签约日期", widget=ChineseDateWidget())

    class Meta:
        model = Signing
        fields = ("enterprise", "bank", "product", "event", "amount", "signed_on")
        import_id_fields = ()
        clean_model_instances = True
        skip_diff = True

    def get_instance(self, instance_loader, row):
        return None

    def required_columns(self):
        return ("enterprise", "bank", "amount", "signed_on")


class DisbursementResource(BaseResource):
    """Disbursements against existing signings (by signing number, 签约编号)."""

    signing = fields.Field(
        "signing", "签约编号", widget=LookupWidget(Signing, "pk", label="签约编号")
    )
    amount = fields.Field("amount", "放款金额（元）", widget=ChineseDecimalWidget())
    disbursed_on = fields.Field("disbursed_on", "放款日期", widget=ChineseDateWidget())

    class Meta:
        model = Disbursement
        fields = ("signing", "amount", "disbursed_on")
        import_id_fields = ()
        clean_model_instances = True
        skip_diff = True

    def get_instance(self, instance_loader, row):
        return None

    def required_columns(self):
        return ("signing", "amount", "disbursed_on")


DATASETS = {
    "finance_institutions": InstitutionResource,
    "finance_products": ProductResource,
    "finance_needs": FinancingNeedResource,
    "finance_signings": SigningResource,
    "finance_disbursements": DisbursementResource,
}
