"""Excel import of talent rosters, institutions, agreements and demands (django-import-export).

Column headers are the Chinese names bureaus use; every import goes through
bureau.importing.run_import: preview, per-row errors naming row and column, all-or-nothing.
"""

import datetime

from django.core.exceptions import ValidationError
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
    AgreementKind,
    CooperationAgreement,
    Education,
    Gender,
    Institution,
    InstitutionKind,
    Talent,
    TalentCategory,
    TechField,
    TechnologyDemand,
    TitleLevel,
)


def _enterprise_widget() -> LookupWidget:
    return LookupWidget(
        Enterprise, "credit_code", label="统一社会信用代码", normalize=credit_code.normalize
    )


class TalentResource(BaseResource):
    """Roster rows by enterprise, name and phone: a known person is updated, others added.
    There is deliberately no ID-number column."""

    unique_in_file = ("enterprise", "name", "phone")

    enterprise = fields.Field("enterprise", "统一社会信用代码", widget=_enterprise_widget())
    name = fields.Field("name", "姓名")
    gender = fields.Field("gender", "性别", widget=ChoiceWidget(Gender.choices, blank=True))
    birth_year = fields.Field("birth_year", "出生年份", widget=ChineseIntegerWidget())
    category = fields.Field("category", "人才类别", widget=ChoiceWidget(TalentCategory.choices))
    position = fields.Field("position", "职务")
    title = fields.Field("title", "职称")
    title_level = fields.Field(
        "title_level", "职称级别", widget=ChoiceWidget(TitleLevel.choices, blank=True)
    )
    education = fields.Field("education", "最高学历", widget=ChoiceWidget(Education.choices))
    field = fields.Field("field", "专业领域")
    phone = fields.Field("phone", "联系电话")
    email = fields.Field("email", "电子邮箱")
    registered_on = fields.Field("registered_on", "登记日期", widget=ChineseDateWidget())

    example = {
        "enterprise": EXAMPLE_CREDIT_CODE,
        "name": "赵六",
        "gender": "男",
        "birth_year": 1985,
        "category": "企业高管",
        "position": "总经理",
        "title": "高级工程师",
        "title_level": "副高级",
        "education": "硕士研究生",
        "field": "光电显示",
        "phone": "13800000000",
        "email": "zhaoliu@example.com",
        "registered_on": datetime.date(2024, 3, 1),
    }
    column_notes = {
        "title_level": "无职称时留空。",
        "registered_on": "上花名册的日期：各年度花名册按此日期统计。",
    }
    # The roster of a year counts people registered by its end: never the day of the import.
    also_required = ("registered_on",)

    class Meta:
        model = Talent
        fields = (
            "enterprise",
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
        )
        import_id_fields = ("enterprise", "name", "phone")
        clean_model_instances = True
        skip_diff = True

    def required_columns(self) -> tuple[str, ...]:
        return ("enterprise", "name", "category", "education", "registered_on")

    def normalize_key(self, attribute, value):
        return credit_code.normalize(value) if attribute == "enterprise" else value

    def before_import_row(self, row, row_number=None, **kwargs):
        super().before_import_row(row, row_number, **kwargs)
        # An empty level means "no title" (无), not a missing value.
        column = self.fields["title_level"].column_name
        if column in row and not str(row.get(column) or "").strip():
            row[column] = TitleLevel.NONE.label
        # Empty cells would otherwise store None in non-null text columns.
        for name in ("position", "title", "field", "phone", "email"):
            column = self.fields[name].column_name
            if column in row and row.get(column) is None:
                row[column] = ""

    def import_instance(self, instance, row, **kwargs):
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if instance.registered_on is None and "registered_on" not in errors:
            # Not the model's default (today): that would move the person out of past rosters.
            errors["registered_on"] = [_("不能为空")]
        if errors:
            raise ValidationError(errors)

    def blank_defaults(self) -> set[str]:
        return {"title_level"}

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise")


class InstitutionResource(BaseResource):
    unique_in_file = ("name",)

    name = fields.Field("name", "名称")
    short_name = fields.Field("short_name", "简称")
    kind = fields.Field("kind", "类型", widget=ChoiceWidget(InstitutionKind.choices))
    city = fields.Field("city", "所在城市")
    research_fields = fields.Field("research_fields", "研究领域")
    capabilities = fields.Field("capabilities", "技术能力与成果")
    contact_person = fields.Field("contact_person", "联系人")
    contact_phone = fields.Field("contact_phone", "联系电话")

    example = {
        "name": "示例理工大学",
        "short_name": "示例理工",
        "kind": "高等院校",
        "city": "合肥",
        "research_fields": "集成电路、电子信息",
        "capabilities": "芯片设计、射频器件",
        "contact_person": "钱七",
        "contact_phone": "0551-63600000",
    }

    class Meta:
        model = Institution
        fields = (
            "name",
            "short_name",
            "kind",
            "city",
            "research_fields",
            "capabilities",
            "contact_person",
            "contact_phone",
        )
        import_id_fields = ("name",)
        clean_model_instances = True
        skip_diff = True

    def required_columns(self) -> tuple[str, ...]:
        return ("name", "kind", "research_fields")


class CooperationAgreementResource(BaseResource):
    enterprise = fields.Field("enterprise", "统一社会信用代码", widget=_enterprise_widget())
    institution = fields.Field(
        "institution",
        "合作院校",
        widget=LookupWidget(Institution, "name", label="高校院所", dropdown=True),
    )
    kind = fields.Field("kind", "合作方式", widget=ChoiceWidget(AgreementKind.choices))
    title = fields.Field("title", "合作项目")
    signed_on = fields.Field("signed_on", "签订日期", widget=ChineseDateWidget())
    start_on = fields.Field("start_on", "开始日期", widget=ChineseDateWidget())
    end_on = fields.Field("end_on", "结束日期", widget=ChineseDateWidget())
    value = fields.Field("value", "合同金额（元）", widget=ChineseDecimalWidget())

    example = {
        "enterprise": EXAMPLE_CREDIT_CODE,
        "institution": "示例理工大学",
        "kind": "委托研发",
        "title": "高亮度显示驱动芯片联合研发",
        "signed_on": datetime.date(2024, 8, 8),
        "start_on": datetime.date(2024, 9, 1),
        "end_on": datetime.date(2026, 8, 31),
        "value": 1200000,
    }

    class Meta:
        model = CooperationAgreement
        fields = (
            "enterprise",
            "institution",
            "kind",
            "title",
            "signed_on",
            "start_on",
            "end_on",
            "value",
        )
        import_id_fields = ()
        clean_model_instances = True
        skip_diff = True

    def required_columns(self) -> tuple[str, ...]:
        return ("enterprise", "institution", "kind", "title", "signed_on")

    def get_instance(self, instance_loader, row):
        return None


class TechnologyDemandResource(BaseResource):
    enterprise = fields.Field("enterprise", "统一社会信用代码", widget=_enterprise_widget())
    title = fields.Field("title", "所需技术")
    description = fields.Field("description", "需求描述")
    field = fields.Field("field", "技术领域", widget=ChoiceWidget(TechField.choices))
    budget = fields.Field("budget", "预算（元）", widget=ChineseDecimalWidget())
    deadline = fields.Field("deadline", "期望解决日期", widget=ChineseDateWidget())
    raised_on = fields.Field("raised_on", "提出日期", widget=ChineseDateWidget())

    example = {
        "enterprise": EXAMPLE_CREDIT_CODE,
        "title": "微型LED巨量转移",
        "description": "良率需达到99.9%以上",
        "field": "电子信息",
        "budget": 2000000,
        "deadline": datetime.date(2025, 12, 31),
        "raised_on": datetime.date(2024, 4, 20),
    }

    class Meta:
        model = TechnologyDemand
        fields = ("enterprise", "title", "description", "field", "budget", "deadline", "raised_on")
        import_id_fields = ()
        clean_model_instances = True
        skip_diff = True

    def required_columns(self) -> tuple[str, ...]:
        return ("enterprise", "title", "field", "raised_on")

    def get_instance(self, instance_loader, row):
        return None


DATASETS = {
    "talents": TalentResource,
    "institutions": InstitutionResource,
    "cooperation_agreements": CooperationAgreementResource,
    "technology_demands": TechnologyDemandResource,
}
