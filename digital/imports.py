"""Excel import/export of the digital app's spreadsheets (django-import-export).

`assessments` takes results of assessments made elsewhere (an external evaluation platform such
as 羚羊平台, or an on-site evaluation): dimension scores and scenario levels per enterprise; the
level is computed here by the edition's rules. Column headers are Chinese.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export import fields, widgets

from bureau.importing import (
    EXAMPLE_CREDIT_CODE,
    BaseResource,
    ChineseDateWidget,
    ChineseDecimalWidget,
    ChineseIntegerWidget,
    ChoiceWidget,
    LookupWidget,
)
from bureau.imports import ApplicationResource
from enterprises import credit_code
from enterprises.models import Enterprise

from . import scoring
from .models import (
    Assessment,
    AssessmentSource,
    AssessmentStatus,
    DemonstrationEnterprise,
    DemoParkProject,
    DiagnosticVisit,
    Milestone,
    ProvincialDemoApplication,
    ServiceDelivery,
    ServicePackage,
    VisitKind,
)


def _enterprise_widget() -> LookupWidget:
    return LookupWidget(
        Enterprise, "credit_code", label="统一社会信用代码", normalize=credit_code.normalize
    )


SCENARIO_PREFIX = "场景："
DIMENSION_COLUMNS = {
    "basis": "数字化基础得分",
    "management": "数字化管理得分",
    "effect": "数字化成效得分",
}


class AssessmentResource(BaseResource):
    """Scored assessments from elsewhere, one a row; each row creates a submitted assessment."""

    unique_in_file = ("enterprise", "assessed_on")

    enterprise = fields.Field("enterprise", "统一社会信用代码", widget=_enterprise_widget())
    enterprise_name = fields.Field(attribute=None, column_name="企业名称", readonly=True)
    assessed_on = fields.Field("assessed_on", "评测日期", widget=ChineseDateWidget())
    source = fields.Field(
        "source",
        "来源",
        widget=ChoiceWidget(
            [
                (AssessmentSource.EXTERNAL, "外部评测平台导入"),
                (AssessmentSource.STAFF, "局工作人员录入"),
            ],
            blank=True,
        ),
    )
    evaluator = fields.Field("evaluator", "评测机构/平台")
    external_ref = fields.Field("external_ref", "外部评测编号")
    basis = fields.Field(
        attribute=None, column_name=DIMENSION_COLUMNS["basis"], widget=ChineseDecimalWidget()
    )
    management = fields.Field(
        attribute=None, column_name=DIMENSION_COLUMNS["management"], widget=ChineseDecimalWidget()
    )
    effect = fields.Field(
        attribute=None, column_name=DIMENSION_COLUMNS["effect"], widget=ChineseDecimalWidget()
    )
    total_score = fields.Field("total_score", "总分", readonly=True)
    level = fields.Field(attribute=None, column_name="评测等级", readonly=True)

    example = {
        "enterprise": EXAMPLE_CREDIT_CODE,
        "assessed_on": datetime.date(2024, 5, 10),
        "source": "外部评测平台导入",
        "evaluator": "羚羊工业互联网平台",
        "external_ref": "LY-2024-0001",
        "basis": 25,
        "management": 15,
        "effect": 10,
    }
    column_notes = {
        "basis": "按所用评测版本的维度满分计分。",
        "source": "不填时按「外部评测平台导入」。",
    }

    class Meta:
        model = Assessment
        fields = (
            "enterprise",
            "enterprise_name",
            "assessed_on",
            "source",
            "evaluator",
            "external_ref",
            "basis",
            "management",
            "effect",
            "total_score",
            "level",
        )
        import_id_fields = ()
        clean_model_instances = True
        skip_diff = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._questionnaire = None
        from .selectors import current_version, questionnaire

        try:
            self._questionnaire = questionnaire(current_version())
        except Exception:  # no edition loaded yet: export still works, import reports it
            self._questionnaire = None
        if self._questionnaire is not None:
            self.example = dict(type(self).example)
            for s in self._questionnaire.scenarios:
                self.example[f"scenario_{s.code}"] = 1
                name = f"scenario_{s.code}"
                self.fields[name] = fields.Field(
                    attribute=None,
                    column_name=f"{SCENARIO_PREFIX}{s.name}",
                    widget=ChineseIntegerWidget(),
                )
                self.fields[name].scenario_code = s.code

    def required_columns(self):
        return ("enterprise", "assessed_on", "basis", "management", "effect")

    def blank_defaults(self) -> set[str]:
        return {"source"}  # 外部评测平台导入

    def get_instance(self, instance_loader, row):
        return None

    def import_instance(self, instance, row, **kwargs):
        errors: dict = {}
        if self._questionnaire is not None:
            instance.version = self._questionnaire.version
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        q = self._questionnaire
        if q is None:
            raise ValidationError("尚未载入评测问卷，不能导入评测结果")
        scores: dict[str, Decimal] = {}
        for code in DIMENSION_COLUMNS:
            try:
                value = self.fields[code].clean(row)
            except ValueError as exc:
                errors[code] = [str(exc)]
                continue
            if value is None:
                errors[code] = ["不能为空"]
            else:
                scores[code] = value
        levels: dict[str, int] = {}
        for name, field in self.fields.items():
            code = getattr(field, "scenario_code", None)
            if code is None:
                continue
            try:
                value = field.clean(row)
            except ValueError as exc:
                errors[name] = [str(exc)]
                continue
            levels[code] = value or 0
        if not errors:
            for problem in scoring.score_problems(q.spec, scores) + scoring.scenario_problems(
                q.spec, levels
            ):
                key = problem.code if problem.code in DIMENSION_COLUMNS else "__all__"
                if problem.code in levels:
                    key = f"scenario_{problem.code}"
                errors.setdefault(key, []).append(problem.message)
        if errors:
            raise ValidationError(errors)
        result = scoring.evaluate_scores(q.spec, scores, levels)
        instance.version = q.version
        instance.status = AssessmentStatus.SUBMITTED
        instance.scenario_levels = levels
        instance.dimension_scores = {k: str(v) for k, v in result.dimension_scores.items()}
        instance.total_score = result.total
        instance.level = result.level.level
        instance.level_reasons = "；".join(result.level.reasons)
        # Dated by the assessment, not by the day of the import.
        instance.submitted_at = (
            timezone.make_aware(datetime.datetime.combine(instance.assessed_on, datetime.time(9)))
            if instance.assessed_on
            else timezone.now()
        )
        instance.submitted_by = (
            self.history_user if getattr(self.history_user, "pk", None) else None
        )
        if not instance.source:
            instance.source = AssessmentSource.EXTERNAL

    def dehydrate_enterprise_name(self, obj):
        return obj.enterprise.name

    def dehydrate_level(self, obj):
        return obj.level_name

    def _dimension(self, obj, code):
        value = (obj.dimension_scores or {}).get(code)
        return "" if value is None else Decimal(value)

    def export_field(self, field, instance, **kwargs):
        if field.attribute is None and field.column_name in DIMENSION_COLUMNS.values():
            code = next(k for k, v in DIMENSION_COLUMNS.items() if v == field.column_name)
            return self._dimension(instance, code)
        code = getattr(field, "scenario_code", None)
        if code is not None:
            return (instance.scenario_levels or {}).get(code, "")
        return super().export_field(field, instance, **kwargs)

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(status=AssessmentStatus.SUBMITTED)
            .select_related("enterprise", "version")
        )


class ServiceDeliveryResource(BaseResource):
    unique_in_file = ("package", "enterprise", "delivered_on")

    package = fields.Field(
        "package",
        "服务包",
        widget=LookupWidget(ServicePackage, "name", label="服务包", dropdown=True),
    )
    enterprise = fields.Field("enterprise", "统一社会信用代码", widget=_enterprise_widget())
    enterprise_name = fields.Field(attribute=None, column_name="企业名称", readonly=True)
    delivered_on = fields.Field("delivered_on", "交付日期", widget=ChineseDateWidget())
    provider = fields.Field("provider", "实施服务商")
    note = fields.Field("note", "备注")

    example = {
        "package": "羚羊免费数字化软件服务包",
        "enterprise": EXAMPLE_CREDIT_CODE,
        "delivered_on": datetime.date(2024, 4, 1),
        "provider": "羚羊工业互联网平台",
        "note": "已开通账号并完成培训",
    }

    class Meta:
        model = ServiceDelivery
        fields = ("package", "enterprise", "enterprise_name", "delivered_on", "provider", "note")
        import_id_fields = ()
        clean_model_instances = True
        skip_diff = True

    def get_instance(self, instance_loader, row):
        return None

    def normalize_key(self, attribute, value):
        return credit_code.normalize(value) if attribute == "enterprise" else value

    def dehydrate_enterprise_name(self, obj):
        return obj.enterprise.name

    def get_queryset(self):
        return super().get_queryset().select_related("package", "enterprise")


class DiagnosticVisitResource(BaseResource):
    enterprise = fields.Field("enterprise", "统一社会信用代码", widget=_enterprise_widget())
    enterprise_name = fields.Field(attribute=None, column_name="企业名称", readonly=True)
    date = fields.Field("date", "日期", widget=ChineseDateWidget())
    kind = fields.Field("kind", "类型", widget=ChoiceWidget(VisitKind.choices))
    experts = fields.Field("experts", "随行专家/服务商")
    findings = fields.Field("findings", "现状与问题")
    recommendations = fields.Field("recommendations", "建议")

    example = {
        "enterprise": EXAMPLE_CREDIT_CODE,
        "date": datetime.date(2024, 7, 16),
        "kind": "诊断",
        "experts": "示例数字化服务商",
        "findings": "生产数据仍靠纸质记录",
        "recommendations": "先上线MES系统的报工模块",
    }

    class Meta:
        model = DiagnosticVisit
        fields = (
            "enterprise",
            "enterprise_name",
            "date",
            "kind",
            "experts",
            "findings",
            "recommendations",
        )
        import_id_fields = ()
        clean_model_instances = True
        skip_diff = True

    def required_columns(self):
        return ("enterprise", "date", "kind", "findings")

    def get_instance(self, instance_loader, row):
        return None

    def dehydrate_enterprise_name(self, obj):
        return obj.enterprise.name

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise")


class YesNoWidget(widgets.Widget):
    """是/否 (also 1/0, true/false); an empty cell is the field's default."""

    YES = {"是", "1", "true", "True", "TRUE", "在供", "y", "Y"}
    NO = {"否", "0", "false", "False", "FALSE", "停供", "n", "N"}

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(f"「{value}」应填「是」或「否」")

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


class ServicePackageResource(BaseResource):
    """Service packages (服务包) by name: a known name updates it, a new one adds it; their
    deliveries come with `digital_deliveries`."""

    unique_in_file = ("name",)

    name = fields.Field("name", "名称")
    kind = fields.Field("kind", "类别")
    provider = fields.Field("provider", "服务商")
    contents = fields.Field("contents", "服务内容")
    unit_value = fields.Field("unit_value", "单价（元）")
    is_active = fields.Field("is_active", "在供（是/否）", widget=YesNoWidget())

    example = {
        "name": "示例免费数字化软件服务包",
        "kind": "免费数字化软件服务包",
        "provider": "示例工业互联网平台",
        "contents": "MES报工、设备联网、云上ERP",
        "unit_value": 20000,
        "is_active": "是",
    }
    column_notes = {"kind": "「免费数字化软件服务包」计入推广服务包的企业数。"}

    class Meta:
        model = ServicePackage
        fields = ("name", "kind", "provider", "contents", "unit_value", "is_active")
        import_id_fields = ("name",)
        clean_model_instances = True
        skip_diff = True


class DemoParkProjectResource(BaseResource):
    """The demonstration-park project(s) (数字化转型示范园区项目) by name, with the budget."""

    unique_in_file = ("name",)

    name = fields.Field("name", "项目名称")
    programme = fields.Field("programme", "项目类别")
    approved_year = fields.Field("approved_year", "立项年度")
    budget = fields.Field("budget", "项目金额（元）")
    general_contractor = fields.Field("general_contractor", "总包商")
    status = fields.Field("status", "状态")
    description = fields.Field("description", "项目概况")

    example = {
        "name": "示例产业数字化转型示范园区项目",
        "programme": "中小企业数字化转型城市试点",
        "approved_year": 2024,
        "budget": 18000000,
        "general_contractor": "示例数字科技有限公司",
        "status": "实施中",
        "description": "一区一业一样板",
    }
    column_notes = {"status": "不填时为「前期准备」。"}

    class Meta:
        model = DemoParkProject
        fields = (
            "name",
            "programme",
            "approved_year",
            "budget",
            "general_contractor",
            "status",
            "description",
        )
        import_id_fields = ("name",)
        clean_model_instances = True
        skip_diff = True


class MilestoneResource(BaseResource):
    """Milestones (项目节点) of a demonstration project, by project and stage: a stage on file
    is updated (its status and dates), a new one added."""

    unique_in_file = ("project", "stage")

    project = fields.Field(
        "project",
        "项目名称",
        widget=LookupWidget(DemoParkProject, "name", label="示范园区项目", dropdown=True),
    )
    stage = fields.Field("stage", "节点")
    planned_date = fields.Field("planned_date", "计划完成日期")
    actual_date = fields.Field("actual_date", "实际完成日期")
    status = fields.Field("status", "状态")
    note = fields.Field("note", "说明")

    example = {
        "project": "示例产业数字化转型示范园区项目",
        "stage": "总包商遴选",
        "planned_date": datetime.date(2024, 6, 30),
        "actual_date": datetime.date(2024, 6, 18),
        "status": "已完成",
        "note": "已完成公开招标",
    }
    required_when = {
        "actual_date": "状态为「已完成」时必填；其余状态不填。",
        "status": "填写了实际完成日期时须为「已完成」；不填时为「未开始」。",
    }

    class Meta:
        model = Milestone
        fields = ("project", "stage", "planned_date", "actual_date", "status", "note")
        import_id_fields = ("project", "stage")
        clean_model_instances = True
        skip_diff = True

    def required_columns(self) -> tuple[str, ...]:
        return ("project", "stage")

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValidationError:
            return None


class DemonstrationEnterpriseResource(BaseResource):
    """The year's "3+3+6" demonstration enterprises (示范企业), by enterprise and year: a
    known pair is updated (its group), a new one added."""

    unique_in_file = ("enterprise", "year")

    enterprise = fields.Field("enterprise", "统一社会信用代码", widget=_enterprise_widget())
    group = fields.Field("group", "示范类别")
    year = fields.Field("year", "年度")
    project = fields.Field(
        "project",
        "所属项目",
        widget=LookupWidget(DemoParkProject, "name", label="示范园区项目", dropdown=True),
    )
    case_title = fields.Field("case_title", "示范案例/场景")

    example = {
        "enterprise": EXAMPLE_CREDIT_CODE,
        "group": "数字化转型示范企业",
        "year": 2024,
        "project": "示例产业数字化转型示范园区项目",
        "case_title": "光电模组智能排产",
    }

    class Meta:
        model = DemonstrationEnterprise
        fields = ("enterprise", "group", "year", "project", "case_title")
        import_id_fields = ("enterprise", "year")
        clean_model_instances = True
        skip_diff = True

    def normalize_key(self, attribute, value):
        return credit_code.normalize(value) if attribute == "enterprise" else value

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValidationError:
            return None


class ProvincialDemoApplicationResource(ApplicationResource):
    """Applications for the provincial typical digital-transformation demonstration projects
    (省级中小企业数字化转型典型示范项目), through the shared pipeline."""

    project_title = fields.Field("project_title", "项目名称")
    programme = fields.Field("programme", "申报类别")

    natural_key = ("enterprise", "batch_year", "project_title")
    example = {
        **ApplicationResource.COMMON_EXAMPLE,
        "project_title": "示例光电模组数字化转型项目",
        "programme": "省级中小企业数字化转型典型示范项目",
    }

    class Meta:
        model = ProvincialDemoApplication
        fields = ("project_title", "programme", *ApplicationResource.COMMON)
        import_id_fields = ()
        clean_model_instances = True
        skip_diff = True

    def required_columns(self) -> tuple[str, ...]:
        return ("enterprise", "project_title", "status")


DATASETS = {
    "digital_assessments": AssessmentResource,
    "digital_deliveries": ServiceDeliveryResource,
    "digital_visits": DiagnosticVisitResource,
    "service_packages": ServicePackageResource,
    "demo_projects": DemoParkProjectResource,
    "demo_milestones": MilestoneResource,
    "demo_enterprises": DemonstrationEnterpriseResource,
    "provincial_demo_applications": ProvincialDemoApplicationResource,
}
