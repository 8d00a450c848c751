"""Excel import/export of innovation carriers (django-import-export), with the Chinese column
headers bureaus use. All-or-nothing through bureau.importing.run_import; errors name the row
and the column."""

import datetime

from django.core.exceptions import ValidationError
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
    apply_status_date,
    status_date_field,
)
from bureau.models import ApplicationStatus, Level
from bureau.services import record_initial_status
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


class _ApplicationResource(BaseResource):
    """Common columns of pipeline records imported from a spreadsheet (existing records, at
    the status the sheet states); each keeps its first status in the history."""

    enterprise = fields.Field("enterprise", "统一社会信用代码", widget=_enterprise_widget())
    level = fields.Field("level", "级别", widget=ChoiceWidget(Level.choices, blank=True))
    status = fields.Field("status", "状态", widget=ChoiceWidget(ApplicationStatus.choices))
    batch_year = fields.Field("batch_year", "批次年度", widget=ChineseIntegerWidget())
    certificate_no = fields.Field("certificate_no", "证书编号")
    approved_on = fields.Field("approved_on", "认定日期", widget=ChineseDateWidget())
    valid_from = fields.Field("valid_from", "有效期起", widget=ChineseDateWidget())
    valid_to = fields.Field("valid_to", "有效期至", widget=ChineseDateWidget())
    remark = fields.Field("remark", "备注")
    status_date = status_date_field()

    column_notes = {"status_date": STATUS_DATE_NOTE}
    required_when = {
        "level": "状态为「已认定」时必填。",
        "batch_year": "批次年度与状态日期至少填一项。",
        "status_date": "批次年度与状态日期至少填一项。",
    }

    COMMON = (
        "enterprise",
        "level",
        "status",
        "batch_year",
        "certificate_no",
        "approved_on",
        "valid_from",
        "valid_to",
        "remark",
        "status_date",
    )
    COMMON_EXAMPLE = {
        "enterprise": EXAMPLE_CREDIT_CODE,
        "level": "省级",
        "status": "已认定",
        "batch_year": 2024,
        "certificate_no": "WJ2024-015",
        "approved_on": datetime.date(2024, 12, 10),
        "valid_from": datetime.date(2024, 12, 10),
        "valid_to": datetime.date(2027, 12, 9),
        "remark": "省经信厅公布",
        "status_date": datetime.date(2024, 12, 10),
    }

    def get_instance(self, instance_loader, row):
        # Added, unless the user asks to update the record with the row's natural key.
        return self.existing_for_update(row)

    def blank_defaults(self) -> set[str]:
        return {"approved_on"}  # an approved record's 认定日期: its status date

    def import_instance(self, instance, row, **kwargs):
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for column, message in apply_status_date(instance, row).items():
            errors.setdefault(column, [message])
        if errors:
            raise ValidationError(errors)

    def after_save_instance(self, instance, row, **kwargs):
        if getattr(instance, "_status_before_import", None) is not None:
            self.record_status_change(instance)
        elif instance.pk:
            record_initial_status(instance, by=self.history_user, remark="Excel导入")


class RDPlatformResource(_ApplicationResource):
    kind = fields.Field(
        "kind",
        "平台类型",
        widget=LookupWidget(RDPlatformKind, "name", label="平台类型", dropdown=True),
    )
    name = fields.Field("name", "平台名称")
    tech_field = fields.Field("tech_field", "技术领域")

    natural_key = ("enterprise", "kind", "name")
    example = {
        **_ApplicationResource.COMMON_EXAMPLE,
        "name": "示例光电显示工程技术研究中心",
        "tech_field": "新型显示",
    }

    class Meta:
        model = RDPlatform
        fields = ("kind", "name", "tech_field", *_ApplicationResource.COMMON)
        import_id_fields = ()
        clean_model_instances = True
        skip_diff = True

    def required_columns(self) -> tuple[str, ...]:
        return ("enterprise", "kind", "name", "status")


class PlatformRecognitionResource(_ApplicationResource):
    kind = fields.Field("kind", "认定类别", widget=ChoiceWidget(RecognitionKind.choices))
    product_name = fields.Field("product_name", "产品名称")
    title = fields.Field("title", "名称")

    natural_key = ("enterprise", "kind", "batch_year")
    example = {
        **_ApplicationResource.COMMON_EXAMPLE,
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
        fields = ("kind", "product_name", "title", *_ApplicationResource.COMMON)
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
