"""Excel import/export of innovation carriers (django-import-export), with the Chinese column
headers bureaus use. All-or-nothing through bureau.importing.run_import; errors name the row
and the column."""

import datetime

from django.db import connection
from import_export import fields

from bureau.importing import (
    EXAMPLE_CREDIT_CODE,
    STATUS_DATE_NOTE,
    BaseResource,
    ChineseDateWidget,
    ChineseDecimalWidget,
    ChineseIntegerWidget,
    ChoiceWidget,
    LookupWidget,
)
from bureau.imports import ApplicationResource
from bureau.models import Level
from enterprises import credit_code
from enterprises.models import Enterprise, ParkZone

from .models import (
    ExitReason,
    GraduationBasis,
    Incubator,
    IncubatorKind,
    PlatformRecognition,
    RDPlatform,
    RDPlatformKind,
    RecognitionKind,
    Tenancy,
)


def _enterprise_widget() -> LookupWidget:
    return LookupWidget(
        Enterprise, "credit_code", label="统一社会信用代码", normalize=credit_code.normalize
    )


class IncubatorResource(BaseResource):
    """Incubators by name: a known name updates the row, a new one adds it."""

    unique_in_file = ("name",)

    name = fields.Field("name", "名称")
    kind = fields.Field("kind", "类型", widget=ChoiceWidget(IncubatorKind.choices))
    operator = fields.Field("operator", "运营主体")
    level = fields.Field("level", "认定级别", widget=ChoiceWidget(Level.choices, blank=True))
    zone = fields.Field(
        "zone", "所在片区", widget=LookupWidget(ParkZone, "name", label="片区", dropdown=True)
    )
    address = fields.Field("address", "地址")
    established_on = fields.Field("established_on", "开始运营日期", widget=ChineseDateWidget())
    area_m2 = fields.Field("area_m2", "自有孵化场地面积（㎡）", widget=ChineseDecimalWidget())
    tenant_area_m2 = fields.Field(
        "tenant_area_m2", "在孵企业使用面积（㎡）", widget=ChineseDecimalWidget()
    )
    capacity = fields.Field("capacity", "可容纳企业数", widget=ChineseIntegerWidget())
    services = fields.Field("services", "服务内容")
    seed_fund = fields.Field("seed_fund", "种子资金（元）", widget=ChineseDecimalWidget())
    contact_person = fields.Field("contact_person", "联系人")
    contact_phone = fields.Field("contact_phone", "联系电话")

    example = {
        "name": "示例科技企业孵化器",
        "kind": "孵化器",
        "operator": "示例孵化器运营有限公司",
        "level": "省级",
        "zone": "光电园",
        "address": "示例大道8号",
        "established_on": datetime.date(2019, 5, 1),
        "area_m2": 12000,
        "tenant_area_m2": 9000,
        "capacity": 60,
        "services": "创业辅导、投融资对接",
        "seed_fund": 5000000,
        "contact_person": "王五",
        "contact_phone": "0551-87654321",
    }

    class Meta:
        model = Incubator
        fields = (
            "name",
            "kind",
            "operator",
            "level",
            "zone",
            "address",
            "established_on",
            "area_m2",
            "tenant_area_m2",
            "capacity",
            "services",
            "seed_fund",
            "contact_person",
            "contact_phone",
        )
        import_id_fields = ("name",)
        clean_model_instances = True
        skip_unchanged = True

    def required_columns(self) -> tuple[str, ...]:
        return ("name", "kind", "operator")


class TenancyResource(BaseResource):
    """Tenants (在孵企业), one stay a row; always added (an existing stay is edited in the
    admin). A stay overlapping another of the same enterprise (already recorded, or an earlier
    row of the file) is the row's error from Tenancy.clean(), before the database's
    constraints (one current stay; on PostgreSQL, no overlap) see it."""

    unique_in_file = ("enterprise", "entered_on")

    incubator = fields.Field(
        "incubator",
        "孵化载体",
        widget=LookupWidget(Incubator, "name", label="孵化载体", dropdown=True),
    )
    enterprise = fields.Field("enterprise", "统一社会信用代码", widget=_enterprise_widget())
    entered_on = fields.Field("entered_on", "入孵日期", widget=ChineseDateWidget())
    exited_on = fields.Field("exited_on", "离孵日期", widget=ChineseDateWidget())
    exit_reason = fields.Field(
        "exit_reason", "离孵原因", widget=ChoiceWidget(ExitReason.choices, blank=True)
    )
    graduation_basis = fields.Field(
        "graduation_basis", "毕业条件", widget=ChoiceWidget(GraduationBasis.choices, blank=True)
    )
    note = fields.Field("note", "备注")

    example = {
        "incubator": "示例科技企业孵化器",
        "enterprise": EXAMPLE_CREDIT_CODE,
        "entered_on": datetime.date(2022, 3, 1),
        "exited_on": datetime.date(2024, 6, 30),
        "exit_reason": "毕业",
        "graduation_basis": "认定为高新技术企业",
        "note": "入孵两年后毕业",
    }
    required_when = {
        "exited_on": "填写离孵原因时必填。",
        "exit_reason": "填写离孵日期时必填。",
        "graduation_basis": "离孵原因为「毕业」时必填。",
    }

    class Meta:
        model = Tenancy
        fields = (
            "incubator",
            "enterprise",
            "entered_on",
            "exited_on",
            "exit_reason",
            "graduation_basis",
            "note",
        )
        import_id_fields = ()
        clean_model_instances = True
        skip_diff = True

    def required_columns(self) -> tuple[str, ...]:
        return ("incubator", "enterprise", "entered_on")

    def normalize_key(self, attribute: str, value: str) -> str:
        return credit_code.normalize(value) if attribute == "enterprise" else value

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        column = self.fields["enterprise"].column_name
        if not connection.in_atomic_block or column not in dataset.headers:
            return
        # As incubation.services.admit_tenant does: admissions of these enterprises wait
        # until the import ends, so the overlap check in clean() cannot be raced.
        codes = sorted({credit_code.normalize(str(c or "")) for c in dataset[column]})
        for start in range(0, len(codes), 5000):
            list(
                Enterprise.objects.select_for_update()
                .filter(credit_code__in=codes[start : start + 5000])
                .values_list("pk", flat=True)
            )

    def get_instance(self, instance_loader, row):
        return None


class RDPlatformResource(ApplicationResource):
    kind = fields.Field(
        "kind",
        "平台类型",
        widget=LookupWidget(RDPlatformKind, "name", label="平台类型", dropdown=True),
    )
    name = fields.Field("name", "平台名称")
    tech_field = fields.Field("tech_field", "技术领域")

    natural_key = ("enterprise", "kind", "name")
    example = {
        **ApplicationResource.COMMON_EXAMPLE,
        "name": "示例光电显示工程技术研究中心",
        "tech_field": "新型显示",
    }

    class Meta:
        model = RDPlatform
        fields = ("kind", "name", "tech_field", *ApplicationResource.COMMON)
        import_id_fields = ()
        clean_model_instances = True
        skip_diff = True

    def required_columns(self) -> tuple[str, ...]:
        return ("enterprise", "kind", "name", "status")


class PlatformRecognitionResource(ApplicationResource):
    kind = fields.Field("kind", "认定类别", widget=ChoiceWidget(RecognitionKind.choices))
    product_name = fields.Field("product_name", "产品名称")
    title = fields.Field("title", "名称")

    natural_key = ("enterprise", "kind", "batch_year")
    example = {
        **ApplicationResource.COMMON_EXAMPLE,
        "kind": "数字化车间",
        "product_name": "",
        "title": "示例光电模组数字化车间",
    }
    column_notes = {
        "product_name": "「三首」产品等按产品认定时填写。",
        "status_date": STATUS_DATE_NOTE,
    }

    class Meta:
        model = PlatformRecognition
        fields = ("kind", "product_name", "title", *ApplicationResource.COMMON)
        import_id_fields = ()
        clean_model_instances = True
        skip_diff = True

    def required_columns(self) -> tuple[str, ...]:
        return ("enterprise", "kind", "status")


DATASETS = {
    "incubators": IncubatorResource,
    "tenancies": TenancyResource,
    "rd_platforms": RDPlatformResource,
    "platform_recognitions": PlatformRecognitionResource,
}
