"""Excel import/export of technology-finance tables (django-import-export).

All-or-nothing through bureau.importing.run_import; model validation (clean_model_instances)
refuses zero or negative amounts, upside-down ranges, a disbursement above its signing and a
signing dated before its event, each error naming the row and the column.
"""

import datetime

from django.utils.translation import gettext as _
from import_export import fields

from bureau.importing import (
    EXAMPLE_CREDIT_CODE,
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
    return LookupWidget(Institution, "name", label="金融机构", dropdown=True)


class EventTopicWidget(LookupWidget):
    """A finance event (政银推进会, 银企对接会…, imported with the `activities` dataset) by its
    topic (主题), or by "date topic" (2024-06-27 银企对接会) when one topic was used twice."""

    def clean(self, value, row=None, **kwargs):
        if self._cache is None:
            self._cache = {}
            self._ambiguous: set[str] = set()
            for event in FinanceEvent.objects.select_related("activity"):
                topic = event.activity.topic
                if topic in self._cache:
                    self._ambiguous.add(topic)
                self._cache[topic] = event
                self._cache[f"{event.activity.date:%Y-%m-%d} {topic}"] = event
        text = "" if value is None else str(value).strip()
        if text in getattr(self, "_ambiguous", ()):
            raise ValueError(
                _("有多场活动的主题都是「%(v)s」，请写成「日期 主题」，如 2024-06-27 %(v)s")
                % {"v": text}
            )
        return super().clean(value, row, **kwargs)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.activity.topic

    def example_value(self) -> str | None:
        first = FinanceEvent.objects.select_related("activity").order_by("pk").first()
        return None if first is None else first.activity.topic


class InstitutionResource(BaseResource):
    unique_in_file = ("name",)

    name = fields.Field("name", "机构名称")
    short_name = fields.Field("short_name", "简称")
    kind = fields.Field("kind", "机构类型", widget=ChoiceWidget(InstitutionKind.choices))
    address = fields.Field("address", "地址")

    example = {
        "name": "示例农村商业银行",
        "short_name": "示例农商行",
        "kind": "银行",
        "address": "示例路18号",
    }

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

    example = {
        "name": "示例科创贷",
        "provider": "示例银行舒城支行",
        "kind": "信用贷款",
        "min_amount": 500000,
        "max_amount": 10000000,
        "min_rate": 3.45,
        "max_rate": 4.35,
        "min_term_months": 6,
        "max_term_months": 36,
        "status": "在办",
        "launched_on": datetime.date(2024, 4, 8),
    }

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

    example = {
        "enterprise": EXAMPLE_CREDIT_CODE,
        "amount": 5000000,
        "purpose": "补充流动资金",
        "term_months": 12,
        "wanted_by": datetime.date(2024, 9, 30),
        "posted_on": datetime.date(2024, 5, 1),
    }
    # The year's figures count needs by the day they were posted: never the day of the import.
    also_required = ("posted_on",)

    class Meta:
        model = FinancingNeed
        fields = ("enterprise", "amount", "purpose", "term_months", "wanted_by", "posted_on")
        import_id_fields = ()
        clean_model_instances = True
        skip_diff = True

    def get_instance(self, instance_loader, row):
        return None

    def required_columns(self):
        return ("enterprise", "amount", "purpose", "posted_on")


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

    example = {
        "enterprise": EXAMPLE_CREDIT_CODE,
        "bank": "示例银行舒城支行",
        "product": "示例科创贷",
        "event": "银企对接会",
        "amount": 5000000,
        "signed_on": datetime.date(2024, 6, 27),
    }
    column_notes = {
        "event": "在对接活动现场签约时填写活动主题（活动先用 activities 数据集导入）；"
        "同一主题有多场时写「日期 主题」。",
    }

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

    example = {"amount": 2000000, "disbursed_on": datetime.date(2024, 7, 27)}

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
