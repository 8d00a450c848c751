"""Excel import/export resources of the enterprise registry and the tier ladder
(django-import-export).

Column headers are the Chinese names bureaus use in their spreadsheets.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, widgets

from bureau.bulk_import import BulkResource
from bureau.importing import (
    EXAMPLE_CREDIT_CODE,
    STATUS_DATE_NOTE,
    BaseResource,
    ChineseDateWidget,
    ChineseDecimalWidget,
    ChineseIntegerWidget,
    ChoiceWidget,
    LookupWidget,
    TextWidget,
    apply_status_date,
    status_date_field,
)
from bureau.models import MIN_YEAR, ApplicationStatus, Level, ReportingPeriod
from bureau.services import record_initial_status

from . import credit_code, industries
from .models import (
    AnnualFigures,
    Enterprise,
    ParkZone,
    Qualification,
    QualificationKind,
    QuarterlyFigures,
    SizeClass,
    StrategicIndustry,
)
from .services import CLOSED_STATUSES


class RefreshesPrescreening:
    """Queue the pre-screening refresh of the enterprises a committed import touched: bulk
    writes send no model signals, so the resource names them (enterprises.prescreening); row
    saves that do send them queue nothing meanwhile, so a file is one refresh, not one a row."""

    def import_data(self, *args, **kwargs):
        from . import prescreening

        with prescreening.importing():
            return super().import_data(*args, **kwargs)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if self._is_dry_run(kwargs) or result.has_errors() or result.has_validation_errors():
            return
        from . import prescreening

        column = self.fields["credit_code" if "credit_code" in self.fields else "enterprise"]
        if column.column_name not in (dataset.headers or []):
            return
        codes = [credit_code.normalize(str(c or "")) for c in dataset[column.column_name]]
        for start in range(0, len(codes), 5000):
            prescreening.note_changed(
                Enterprise.objects.filter(credit_code__in=codes[start : start + 5000]).values_list(
                    "pk", flat=True
                ),
                force=True,
            )


class AsksForExplanations:
    """Run the quality gate (upstream) on the figures a committed import saved: never a reason
    to refuse a row (staff enter what the enterprise reported), but each failed rule asks the
    enterprise for an explanation (upstream.services.request_explanations), a chunk of rows at
    a time, so the queries do not grow with the rules or the rows of a chunk."""

    gate_scope: str = ""  # "annual" or "quarterly"

    def import_data(self, *args, **kwargs):
        self.__dict__.pop("_gated", None)
        return super().import_data(*args, **kwargs)

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        if not self._is_dry_run(kwargs) and instance.pk is not None:
            self.__dict__.setdefault("_gated", []).append(instance.pk)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        gated = self.__dict__.pop("_gated", [])
        if self._is_dry_run(kwargs) or result.has_errors() or result.has_validation_errors():
            return
        from upstream.services import IMPORT_CHUNK, request_explanations

        for start in range(0, len(gated), IMPORT_CHUNK):
            request_explanations(self.gate_scope, gated[start : start + IMPORT_CHUNK])


def _enterprise_widget() -> LookupWidget:
    return LookupWidget(
        Enterprise, "credit_code", label="统一社会信用代码", normalize=credit_code.normalize
    )


class CreditCodeWidget(widgets.Widget):
    """Normalises a code (full-width, spaces, case); the model validates it."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        return credit_code.normalize(value)


class EnterpriseResource(RefreshesPrescreening, BulkResource):
    """New enterprises, one a row; a code already in the registry is refused (with update,
    the registered enterprise is corrected). Imported in chunks (bureau.bulk_import)."""

    unique_in_file = ("credit_code",)
    # Every constraint of Enterprise is mirrored by a field validator (code, choices, >= 0).
    validate_db_constraints = False

    credit_code = fields.Field("credit_code", "统一社会信用代码", widget=CreditCodeWidget())
    name = fields.Field("name", "企业名称", widget=TextWidget())
    industry_division = fields.Field(
        "industry_division",
        "所属行业（大类代码）",
        widget=ChoiceWidget(industries.DIVISION_CHOICES),
    )
    size_class = fields.Field("size_class", "企业规模", widget=ChoiceWidget(SizeClass.choices))
    established_on = fields.Field("established_on", "成立日期", widget=ChineseDateWidget())
    registered_capital = fields.Field(
        "registered_capital", "注册资本（元）", widget=ChineseDecimalWidget()
    )
    address = fields.Field("address", "注册地址", widget=TextWidget())
    zone = fields.Field(
        "zone", "所在片区", widget=LookupWidget(ParkZone, "name", label="片区", dropdown=True)
    )
    legal_representative = fields.Field("legal_representative", "法定代表人", widget=TextWidget())
    contact_person = fields.Field("contact_person", "联系人", widget=TextWidget())
    contact_phone = fields.Field("contact_phone", "联系电话", widget=TextWidget())
    strategic_industry = fields.Field(
        "strategic_industry",
        "战略性新兴产业类别",
        widget=ChoiceWidget(StrategicIndustry.choices, blank=True),
    )
    main_products = fields.Field("main_products", "主要产品", widget=TextWidget())

    example = {
        "credit_code": EXAMPLE_CREDIT_CODE,
        "name": "示例光电科技有限公司",
        "industry_division": "39",
        "size_class": "小型",
        "established_on": datetime.date(2020, 5, 18),
        "registered_capital": 5000000,
        "address": "示例大道1号",
        "zone": "光电园",
        "legal_representative": "张三",
        "contact_person": "李四",
        "contact_phone": "0551-12345678",
        "strategic_industry": "新一代信息技术产业",
        "main_products": "光电显示模组",
    }
    column_notes = {"industry_division": "国民经济行业分类的大类代码，如 39。"}
    natural_key = ("credit_code",)

    class Meta:
        model = Enterprise
        fields = (
            "credit_code",
            "name",
            "industry_division",
            "size_class",
            "established_on",
            "registered_capital",
            "address",
            "zone",
            "legal_representative",
            "contact_person",
            "contact_phone",
            "strategic_industry",
            "main_products",
        )
        import_id_fields = ("credit_code",)
        clean_model_instances = True
        skip_diff = True
        use_bulk = True
        batch_size = 1000

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._registered: set[str] = set()
        self._on_file: dict[str, Enterprise] = {}

    def normalize_key(self, attribute, value):
        return credit_code.normalize(value)

    def before_chunk(self, rows):
        # One query per chunk instead of one per row: which of its codes are registered
        # already (with update: those enterprises, to be corrected in place).
        column = self.fields["credit_code"].column_name
        codes = {credit_code.normalize(str(row.get(column) or "")) for row in rows}
        codes.discard("")
        found = Enterprise.objects.filter(credit_code__in=codes)
        if self.update_existing:
            self._on_file = {e.credit_code: e for e in found}
            self._registered = set(self._on_file)
        else:
            self._on_file = {}
            self._registered = set(found.values_list("credit_code", flat=True))

    def validate_unique_per_row(self) -> bool:
        return False

    def extra_row_errors(self, instance) -> dict:
        if instance.pk is None and instance.credit_code in self._registered:
            return {
                "credit_code": _(
                    "统一社会信用代码已存在于企业库（如需用本文件更新这些企业，"
                    "请勾选「更新已有记录」或加 --update）。"
                )
            }
        return {}

    def get_instance(self, instance_loader, row):
        # Without update a code already registered is reported by extra_row_errors; with it,
        # the registered enterprise (loaded with its chunk) is updated in place.
        if not self.update_existing:
            return None
        code = credit_code.normalize(str(row.get(self.fields["credit_code"].column_name) or ""))
        return self._on_file.get(code)

    def get_queryset(self):
        return super().get_queryset().select_related("zone")


class AnnualFiguresResource(AsksForExplanations, RefreshesPrescreening, BaseResource):
    """Annual figures by credit code and year; a row for an existing pair updates it. Rows
    failing a quality rule are imported and the enterprise is asked to explain them."""

    gate_scope = "annual"

    unique_in_file = ("enterprise", "year")

    enterprise = fields.Field("enterprise", "统一社会信用代码", widget=_enterprise_widget())
    year = fields.Field("year", "年度", widget=ChineseIntegerWidget())
    revenue = fields.Field("revenue", "营业收入（元）", widget=ChineseDecimalWidget())
    main_business_revenue = fields.Field(
        "main_business_revenue", "主营业务收入（元）", widget=ChineseDecimalWidget()
    )
    rd_expense = fields.Field("rd_expense", "研发费用（元）", widget=ChineseDecimalWidget())
    cost_expense_total = fields.Field(
        "cost_expense_total", "成本费用总额（元）", widget=ChineseDecimalWidget()
    )
    hitech_product_revenue = fields.Field(
        "hitech_product_revenue", "高新技术产品（服务）收入（元）", widget=ChineseDecimalWidget()
    )
    total_assets = fields.Field("total_assets", "资产总额（元）", widget=ChineseDecimalWidget())
    total_liabilities = fields.Field(
        "total_liabilities", "负债总额（元）", widget=ChineseDecimalWidget()
    )
    net_profit = fields.Field("net_profit", "净利润（元）", widget=ChineseDecimalWidget())
    equity_financing = fields.Field(
        "equity_financing", "新增股权融资（元）", widget=ChineseDecimalWidget()
    )
    employees = fields.Field("employees", "从业人员（人）", widget=ChineseIntegerWidget())
    tech_staff = fields.Field("tech_staff", "科技人员（人）", widget=ChineseIntegerWidget())
    rd_staff = fields.Field("rd_staff", "研发人员（人）", widget=ChineseIntegerWidget())
    invention_patents = fields.Field(
        "invention_patents", "发明专利（件）", widget=ChineseIntegerWidget(), default=0
    )
    other_class1_ip = fields.Field(
        "other_class1_ip", "其他I类知识产权（件）", widget=ChineseIntegerWidget(), default=0
    )
    utility_models = fields.Field(
        "utility_models", "实用新型专利（件）", widget=ChineseIntegerWidget(), default=0
    )
    design_patents = fields.Field(
        "design_patents", "外观设计专利（件）", widget=ChineseIntegerWidget(), default=0
    )
    software_copyrights = fields.Field(
        "software_copyrights", "软件著作权（件）", widget=ChineseIntegerWidget(), default=0
    )

    example = {
        "enterprise": EXAMPLE_CREDIT_CODE,
        "year": 2024,
        "revenue": 12000000,
        "main_business_revenue": 11000000,
        "rd_expense": 800000,
        "cost_expense_total": 10000000,
        "hitech_product_revenue": 9000000,
        "total_assets": 30000000,
        "total_liabilities": 12000000,
        "net_profit": 1500000,
        "equity_financing": 2000000,
        "employees": 120,
        "tech_staff": 30,
        "rd_staff": 25,
        "invention_patents": 2,
        "other_class1_ip": 1,
        "utility_models": 5,
        "design_patents": 1,
        "software_copyrights": 3,
    }

    class Meta:
        model = AnnualFigures
        fields = (
            "enterprise",
            "year",
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
        )
        import_id_fields = ("enterprise", "year")
        clean_model_instances = True
        skip_diff = True

    def normalize_key(self, attribute, value):
        return credit_code.normalize(value) if attribute == "enterprise" else value

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise")


class QuarterlyFiguresResource(AsksForExplanations, BaseResource):
    """Quarterly year-to-date figures by credit code, year and quarter. Rows failing a quality
    rule are imported and the enterprise is asked to explain them."""

    gate_scope = "quarterly"

    unique_in_file = ("enterprise", "year", "quarter")

    enterprise = fields.Field("enterprise", "统一社会信用代码", widget=_enterprise_widget())
    year = fields.Field(attribute=None, column_name="年度", widget=ChineseIntegerWidget())
    quarter = fields.Field(attribute=None, column_name="季度", widget=ChineseIntegerWidget())
    revenue_ytd = fields.Field(
        "revenue_ytd", "营业收入（本年累计，元）", widget=ChineseDecimalWidget()
    )
    rd_expense_ytd = fields.Field(
        "rd_expense_ytd", "研发费用（本年累计，元）", widget=ChineseDecimalWidget()
    )
    industrial_output_ytd = fields.Field(
        "industrial_output_ytd", "工业总产值（本年累计，元）", widget=ChineseDecimalWidget()
    )
    tax_ytd = fields.Field("tax_ytd", "税收（本年累计，元）", widget=ChineseDecimalWidget())
    employees = fields.Field("employees", "从业人员（期末，人）", widget=ChineseIntegerWidget())

    example = {
        "enterprise": EXAMPLE_CREDIT_CODE,
        "year": 2024,
        "quarter": 1,
        "revenue_ytd": 3000000,
        "rd_expense_ytd": 200000,
        "industrial_output_ytd": 3200000,
        "tax_ytd": 150000,
        "employees": 118,
    }
    also_required = ("year", "quarter")
    column_notes = {"year": "该季度的填报期须已开设（未开设时先导入填报期）。"}

    class Meta:
        model = QuarterlyFigures
        fields = (
            "enterprise",
            "year",
            "quarter",
            "revenue_ytd",
            "rd_expense_ytd",
            "industrial_output_ytd",
            "tax_ytd",
            "employees",
        )
        import_id_fields = ("enterprise",)
        clean_model_instances = True
        skip_diff = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._periods: dict[tuple[int, int], ReportingPeriod] | None = None

    def required_columns(self):
        return ("enterprise",)

    def _period(self, row) -> ReportingPeriod:
        errors = {}
        values = {}
        for key, column in (("year", "年度"), ("quarter", "季度")):  # noqa: B007
            try:
                values[key] = ChineseIntegerWidget().clean(row.get(column))
            except ValueError as exc:
                errors[column] = str(exc)
            else:
                if values[key] is None:
                    errors[column] = "不能为空"
        if not errors and not 1 <= values["quarter"] <= 4:
            errors["季度"] = f"季度应为1至4，实际为 {values['quarter']}"
        if errors:
            raise ValidationError(errors)
        if self._periods is None:
            self._periods = {(p.year, p.quarter): p for p in ReportingPeriod.objects.all()}
        try:
            return self._periods[(values["year"], values["quarter"])]
        except KeyError:
            raise ValidationError(
                {"年度": f"{values['year']}年第{values['quarter']}季度的填报期尚未开设"}
            ) from None

    def get_instance(self, instance_loader, row):
        try:
            enterprise = self.fields["enterprise"].clean(row)
        except ValueError as exc:
            raise ValidationError({"enterprise": str(exc)}) from None
        if enterprise is None:
            return None
        period = self._period(row)
        return (
            QuarterlyFigures.objects.select_related("period")
            .filter(enterprise=enterprise, period=period)
            .first()
        )

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        try:
            instance.period = self._period(row)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def dehydrate_year(self, obj):
        return obj.period.year

    def dehydrate_quarter(self, obj):
        return obj.period.quarter

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise", "period")


class QualificationKindWidget(LookupWidget):
    """A qualification kind by its code (hitech), name (高新技术企业) or short name (高企)."""

    def __init__(self) -> None:
        super().__init__(QualificationKind, "code", label="资质类型", dropdown=True)

    def example_value(self) -> str | None:
        first = QualificationKind.objects.order_by("order", "pk").first()
        return None if first is None else first.name

    def reference_values(self, limit: int = 200) -> list[str] | None:
        return list(
            QualificationKind.objects.order_by("order", "pk").values_list("name", flat=True)
        )

    def kinds(self) -> dict[str, QualificationKind]:
        if self._cache is None:
            kinds = list(QualificationKind.objects.order_by("order", "pk"))
            # A code wins over a name, a name over a short name, should two of them clash.
            self._cache = {k.short_name: k for k in kinds if k.short_name}
            self._cache.update({k.name: k for k in kinds})
            self._cache.update({k.code: k for k in kinds})
        return self._cache

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        try:
            return self.kinds()[text]
        except KeyError:
            names = "、".join(dict.fromkeys(k.short_name or k.name for k in self.kinds().values()))
            raise ValueError(
                _("「%(v)s」不是已有的资质类型（可填代码、名称或简称：%(a)s）")
                % {"v": value, "a": names}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.name


class QualificationResource(RefreshesPrescreening, BaseResource):
    """Qualifications (资质/梯次 records), one a row, always added at the status the sheet
    states, which is kept in each record's status history (who imported it, and when the status
    was reached: the approval date when the sheet gives one). A record already open in the
    pipeline for the same enterprise, kind and batch is refused: its status moves through the
    transition form, which keeps the timeline."""

    unique_in_file = ("enterprise", "kind", "batch_year")
    # Every constraint of Qualification is checked before the database sees the row, each
    # named by its column: valid_to >= valid_from and the overlap of approved titles by
    # Qualification.clean(), the level by its choices, an approved title's start and the batch
    # year's range by `_row_checks`. Validating them again row by row would cost four queries.
    validate_db_constraints = False

    enterprise = fields.Field("enterprise", "统一社会信用代码", widget=_enterprise_widget())
    kind = fields.Field("kind", "资质类型", widget=QualificationKindWidget())
    level = fields.Field("level", "级别", widget=ChoiceWidget(Level.choices, blank=True))
    status = fields.Field("status", "状态", widget=ChoiceWidget(ApplicationStatus.choices))
    batch_year = fields.Field("batch_year", "批次年度", widget=ChineseIntegerWidget())
    certificate_no = fields.Field("certificate_no", "证书编号", widget=TextWidget())
    approved_on = fields.Field("approved_on", "认定日期", widget=ChineseDateWidget())
    valid_from = fields.Field("valid_from", "有效期起", widget=ChineseDateWidget())
    valid_to = fields.Field("valid_to", "有效期至", widget=ChineseDateWidget())
    remark = fields.Field("remark", "备注", widget=TextWidget())
    status_date = status_date_field()

    example = {
        "enterprise": EXAMPLE_CREDIT_CODE,
        "level": "省级",
        "status": "已认定",
        "batch_year": 2024,
        "certificate_no": "GR202434001234",
        "approved_on": datetime.date(2024, 11, 20),
        "valid_from": datetime.date(2024, 11, 20),
        "valid_to": datetime.date(2027, 11, 19),
        "remark": "第二批",
        "status_date": datetime.date(2024, 11, 20),
    }
    required_when = {
        "approved_on": "状态为「已认定」时，认定日期、有效期起或状态日期至少填一项。",
        "certificate_no": "状态为「已认定」时必填（入库编号）。",
        "batch_year": "批次年度与状态日期至少填一项。",
        "status_date": "批次年度与状态日期至少填一项。",
    }
    column_notes = {"status_date": STATUS_DATE_NOTE}
    natural_key = ("enterprise", "kind", "batch_year")

    class Meta:
        model = Qualification
        fields = (
            "enterprise",
            "kind",
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
        import_id_fields = ()
        clean_model_instances = True
        skip_diff = True

    def required_columns(self) -> tuple[str, ...]:
        return ("enterprise", "kind", "status")

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

    def normalize_key(self, attribute: str, value: str) -> str:
        if attribute == "enterprise":
            return credit_code.normalize(value)
        if attribute == "kind":
            kind = self.fields["kind"].widget.kinds().get(value)
            return kind.code if kind else value
        # A blank batch year is a value of its own: two such rows are still duplicates.
        try:
            return str(int(float(value))) if value else "—"
        except ValueError:
            return value

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        column = self.fields["enterprise"].column_name
        codes = sorted(
            {credit_code.normalize(str(c or "")) for c in dataset[column]}
            if column in dataset.headers
            else set()
        )
        self._open: dict[tuple, str] = {}
        for start in range(0, len(codes), 5000):
            chunk = codes[start : start + 5000]
            if connection.in_atomic_block:
                # As enterprises.services.move_qualification does before approving: concurrent
                # approvals of these enterprises wait, so the overlap check cannot be raced.
                list(
                    Enterprise.objects.select_for_update()
                    .filter(credit_code__in=chunk)
                    .values_list("pk", flat=True)
                )
            rows = (
                Qualification.objects.filter(enterprise__credit_code__in=chunk)
                .exclude(status__in=CLOSED_STATUSES)
                .values_list("enterprise_id", "kind_id", "batch_year", "status")
            )
            for enterprise_id, kind_id, batch_year, status in rows:
                self._open[(enterprise_id, kind_id, batch_year)] = status

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        for name, message in self._row_checks(instance, errors).items():
            errors.setdefault(name, [message])
        super().validate_instance(instance, errors, validate_unique)

    def _row_checks(self, instance: Qualification, errors: dict) -> dict[str, str]:
        """What the cells alone cannot say (`errors`: the cells already refused): required
        references, an approved title's start, the batch year's range (the database
        constraints, named by their column)."""
        found = {}
        if instance.enterprise_id is None:
            found["enterprise"] = _("不能为空")
        if instance.kind_id is None:
            found["kind"] = _("不能为空")
        if (
            instance.status == ApplicationStatus.APPROVED
            and not (instance.approved_on or instance.valid_from)
            and not {"approved_on", "valid_from"} & errors.keys()
        ):
            found["valid_from"] = _("已认定的资质须填写认定日期或有效期起。")
        year = instance.batch_year
        if year is not None and not MIN_YEAR <= year <= 2100:
            found["batch_year"] = _("批次年度应在%(a)s至%(b)s之间。") % {"a": MIN_YEAR, "b": 2100}
        return found

    def extra_row_errors(self, instance: Qualification) -> dict:
        if instance.pk is not None:
            return {}  # a record on file, corrected by an update
        status = self._open.get((instance.enterprise_id, instance.kind_id, instance.batch_year))
        if status is None:
            return {}
        return {
            "kind": _(
                "该企业已有%(y)s批次的「%(k)s」记录（%(s)s）：状态变更请在资质页面办理，"
                "或勾选「更新已有记录」（--update）用本文件更正。"
            )
            % {
                "y": instance.batch_year or _("未填"),
                "k": instance.kind,
                "s": ApplicationStatus(status).label,
            }
        }

    def blank_defaults(self) -> set[str]:
        # The kind's level and validity; the status date for an approved title's 认定日期.
        return {"level", "approved_on", "valid_from", "valid_to"}

    def dehydrate_status_date(self, obj):
        if obj.status_changed_at is None:
            return ""
        return f"{timezone.localtime(obj.status_changed_at):%Y-%m-%d}"

    def get_instance(self, instance_loader, row):
        # Added, unless the user asks to update: then the record with the row's enterprise,
        # kind and batch year is corrected in place (a changed status enters the history).
        return self.existing_for_update(row)

    def before_save_instance(self, instance, row, **kwargs):
        # status_changed_at was dated from the row by apply_status_date.
        instance._history_user = self.history_user
        instance._change_reason = "Excel导入"

    def after_save_instance(self, instance, row, **kwargs):
        if getattr(instance, "_status_before_import", None) is not None:
            self.record_status_change(instance)
        elif instance.pk:
            record_initial_status(instance, by=self.history_user, remark="Excel导入")

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise", "kind")


DATASETS = {
    "enterprises": EnterpriseResource,
    "annual_figures": AnnualFiguresResource,
    "quarterly_figures": QuarterlyFiguresResource,
    "qualifications": QualificationResource,
}
