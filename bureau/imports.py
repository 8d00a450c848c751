"""Excel import of the bureau's own records: activities (every kind, finance events included),
the year's targets and the reporting periods (open or lock from a file).

Same rules as every import (bureau.importing.run_import): preview, `第N行「列名」：原因` in
Chinese, all-or-nothing.
"""

import datetime
import re

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, widgets

from enterprises import credit_code
from enterprises.models import Enterprise

from .importing import (
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
    cell_key,
    status_date_field,
)
from .models import (
    Activity,
    ActivityKind,
    ApplicationStatus,
    Level,
    PeriodStatus,
    ReportingPeriod,
    Target,
)
from .services import record_initial_status

CODE_SEPARATORS = re.compile(r"[;；,，、\s]+")
# Institution names may hold spaces (English names): only the punctuation separates them.
NAME_SEPARATORS = re.compile(r"[;；,，、\n]+")


class CreditCodesWidget(widgets.ManyToManyWidget):
    """Participating enterprises (参与企业) by credit code, separated by ；or 、(or , ; or a
    line break); every code must be in the registry."""

    def __init__(self) -> None:
        super().__init__(Enterprise, separator="；", field="credit_code")
        self._pks: dict[str, int] | None = None

    def codes(self, value) -> list[str]:
        text = "" if value is None else str(value)
        return list(
            dict.fromkeys(credit_code.normalize(c) for c in CODE_SEPARATORS.split(text) if c)
        )

    def clean(self, value, row=None, **kwargs):
        codes = self.codes(value)
        if not codes:
            return Enterprise.objects.none()
        if self._pks is None:
            self._pks = dict(Enterprise.objects.values_list("credit_code", "pk"))
        unknown = [c for c in codes if c not in self._pks]
        if unknown:
            raise ValueError(_("找不到统一社会信用代码「%(v)s」") % {"v": "、".join(unknown[:5])})
        return Enterprise.objects.filter(pk__in=[self._pks[c] for c in codes])

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "；".join(e.credit_code for e in value.all())

    def example_value(self) -> str | None:
        codes = list(Enterprise.objects.order_by("pk").values_list("credit_code", flat=True)[:2])
        return "；".join(codes) or None


class InstitutionNamesWidget(widgets.ManyToManyWidget):
    """Financial institutions attending a finance event (参加金融机构), by name or short name,
    separated like the enterprises column; every one must be in the finance institutions."""

    def __init__(self) -> None:
        from finance.models import Institution

        super().__init__(Institution, separator="；", field="name")
        self._pks: dict[str, int] | None = None

    def names(self, value) -> list[str]:
        text = "" if value is None else str(value)
        return list(dict.fromkeys(n.strip() for n in NAME_SEPARATORS.split(text) if n.strip()))

    def clean(self, value, row=None, **kwargs):
        from finance.models import Institution

        names = self.names(value)
        if not names:
            return Institution.objects.none()
        if self._pks is None:
            self._pks = {}
            for pk, name, short in Institution.objects.values_list("pk", "name", "short_name"):
                self._pks[name] = pk
                if short:
                    self._pks.setdefault(short, pk)
        unknown = [n for n in names if n not in self._pks]
        if unknown:
            raise ValueError(
                _("找不到金融机构「%(v)s」（请先在金融机构表中登记，或核对名称）")
                % {"v": "、".join(unknown[:5])}
            )
        return Institution.objects.filter(pk__in=[self._pks[n] for n in names])

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "；".join(i.name for i in value.all())

    def example_value(self) -> str | None:
        return None  # the example row is a seminar, which names no institutions


def _enterprise_widget() -> LookupWidget:
    return LookupWidget(
        Enterprise, "credit_code", label="统一社会信用代码", normalize=credit_code.normalize
    )


def _finance_kinds() -> tuple[str, ...]:
    if not apps.is_installed("finance"):
        return ()
    from finance.models import FINANCE_ACTIVITY_KINDS

    return FINANCE_ACTIVITY_KINDS


class ActivityResource(BaseResource):
    """Activities, one a row: 政策宣讲会, 上门宣讲, 会议, 培训…, and the finance events
    (政银推进会, 银企对接会), which get their finance row so that signings can name them. With
    update, a row with the kind, date and topic of an activity on file updates it."""

    # Several door-to-door visits of one day may share a topic: the participants tell them
    # apart, so they are part of an activity's identity.
    unique_in_file = ("kind", "date", "topic", "enterprises")

    kind = fields.Field(
        "kind",
        "类型",
        widget=LookupWidget(ActivityKind, "name", label="活动类型", dropdown=True),
    )
    date = fields.Field("date", "日期", widget=ChineseDateWidget())
    topic = fields.Field("topic", "主题", widget=TextWidget())
    place = fields.Field("place", "地点", widget=TextWidget())
    attendance = fields.Field("attendance", "参加人数", widget=ChineseIntegerWidget())
    enterprises = fields.Field(
        "enterprises", "参与企业（统一社会信用代码，用；分隔）", widget=CreditCodesWidget()
    )
    co_organizer = fields.Field(attribute=None, column_name="协办单位（金融对接活动）")
    institutions = fields.Field(
        attribute=None,
        column_name="参加金融机构（金融对接活动，机构名称，用；分隔）",
        widget=InstitutionNamesWidget(),
    )
    notes = fields.Field("notes", "纪要", widget=TextWidget())

    example = {
        "kind": "政策宣讲会",
        "date": datetime.date(2024, 3, 15),
        "topic": "2024年高企申报政策宣讲会",
        "place": "管委会三楼会议室",
        "attendance": 85,
        "enterprises": EXAMPLE_CREDIT_CODE,
        "co_organizer": "",
        "institutions": "",
        "notes": "解读高企认定条件与申报流程",
    }
    column_notes = {
        "kind": "政银推进会、银企对接会等金融对接活动导入后即可在签约表中按主题引用。",
        "topic": "数字化转型相关会议的主题请包含「数字化」，以便计入数字化转型会议次数。",
        "enterprises": "多个代码用；或、分隔；不填表示不记录参与企业。",
        "institutions": "只有政银推进会、银企对接会等金融对接活动填写：参加的银行、担保公司等，"
        "填金融机构表中的机构名称或简称（如：徽商银行舒城支行；国元担保），多个用；或、分隔；"
        "用于统计「N家金融机构参加」。",
    }
    natural_key = ("kind", "date", "topic", "enterprises")

    class Meta:
        model = Activity
        fields = (
            "kind",
            "date",
            "topic",
            "place",
            "attendance",
            "enterprises",
            "co_organizer",
            "institutions",
            "notes",
        )
        import_id_fields = ()
        clean_model_instances = True
        skip_diff = True

    def required_columns(self) -> tuple[str, ...]:
        return ("kind", "date", "topic")

    def normalize_key(self, attribute: str, value: str) -> str:
        if attribute == "enterprises":
            return "；".join(sorted(self.fields["enterprises"].widget.codes(value))) or "—"
        return cell_key(value)

    def get_instance(self, instance_loader, row):
        found = self._existing(row)
        if found is not None and not self.update_existing:
            raise ValidationError(
                {
                    "topic": _(
                        "已有同类型、同日期、同主题、同参与企业的活动"
                        "（如需用本文件更正，请选择更新已有记录）"
                    )
                }
            )
        return found

    def _existing(self, row) -> Activity | None:
        try:
            kind = self.fields["kind"].clean(row)
            date = self.fields["date"].clean(row)
        except ValueError:
            return None  # the cell's own error is reported by import_instance
        topic = TextWidget().clean(row.get(self.fields["topic"].column_name))
        if kind is None or date is None or not topic:
            return None
        codes = set(
            self.fields["enterprises"].widget.codes(row.get(self.fields["enterprises"].column_name))
        )
        candidates = Activity.objects.filter(kind=kind, date=date, topic=topic).prefetch_related(
            "enterprises"
        )
        for activity in candidates:
            if {e.credit_code for e in activity.enterprises.all()} == codes:
                return activity
        return None

    def import_instance(self, instance, row, **kwargs):
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        column = self.fields["institutions"].column_name
        kind = getattr(instance, "kind", None) if instance.kind_id else None
        if (
            "institutions" not in errors
            and self.fields["institutions"].widget.names(row.get(column))
            and kind is not None
            and kind.code not in _finance_kinds()
        ):
            errors["institutions"] = [
                _("只有政银推进会、银企对接会等金融对接活动才填写参加金融机构（本行类型：%(k)s）")
                % {"k": kind.name}
            ]
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None and getattr(self.history_user, "pk", None):
            instance.created_by = self.history_user
        instance._history_user = self.history_user
        instance._change_reason = "Excel导入"

    def after_save_instance(self, instance, row, **kwargs):
        if instance.kind.code not in _finance_kinds():
            return
        from finance.models import FinanceEvent

        co_organizer = TextWidget().clean(row.get(self.fields["co_organizer"].column_name))
        event, created = FinanceEvent.objects.get_or_create(
            activity=instance, defaults={"co_organizer": co_organizer}
        )
        if not created and co_organizer and event.co_organizer != co_organizer:
            event.co_organizer = co_organizer
            event.save(update_fields=["co_organizer"])
        column = self.fields["institutions"].column_name
        if column in row:
            # The cell is the whole list: a corrected file (--update) replaces it.
            attending = self.fields["institutions"].widget.clean(row.get(column))
            if set(event.institutions.values_list("pk", flat=True)) != {i.pk for i in attending}:
                event.institutions.set(attending)

    def dehydrate_institutions(self, obj):
        event = getattr(obj, "finance_event", None)
        return "；".join(i.name for i in event.institutions.all()) if event else ""

    def dehydrate_co_organizer(self, obj):
        event = getattr(obj, "finance_event", None)
        return event.co_organizer if event else ""

    def get_queryset(self):
        queryset = super().get_queryset().select_related("kind").prefetch_related("enterprises")
        if _finance_kinds():
            queryset = queryset.select_related("finance_event").prefetch_related(
                "finance_event__institutions"
            )
        return queryset


class FigureKeyWidget(widgets.Widget):
    """A published figure (DESIGN: reports' figure registry) by its key or its Chinese label."""

    def __init__(self) -> None:
        super().__init__()
        self._known: dict[str, tuple[str, str, str]] | None = None

    def known(self) -> dict[str, tuple[str, str, str]]:
        """(key, label, unit) of every published figure, by key and by label."""
        if self._known is None:
            from . import figures

            self._known = {}
            with_labels = figures.collect(timezone.localdate().year)
            for figure in with_labels.values():
                entry = (figure.key, str(figure.label), figure.unit)
                self._known.setdefault(str(figure.label), entry)
            for figure in with_labels.values():
                self._known[figure.key] = (figure.key, str(figure.label), figure.unit)
        return self._known

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            raise ValueError(_("不能为空"))
        try:
            return self.known()[text][0]
        except KeyError:
            raise ValueError(
                _("「%(v)s」不是已发布的指标（填指标代码或名称，见填表说明）") % {"v": value}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value or ""


class TargetResource(BaseResource):
    """The year's targets (年度目标) by year and figure: a row for a known pair updates it."""

    unique_in_file = ("year", "figure_key")

    year = fields.Field("year", "年度", widget=ChineseIntegerWidget())
    figure_key = fields.Field("figure_key", "指标（代码或名称）", widget=FigureKeyWidget())
    label = fields.Field("label", "目标名称", widget=TextWidget())
    target_value = fields.Field("target_value", "目标值", widget=ChineseDecimalWidget())
    unit = fields.Field("unit", "单位", widget=TextWidget())
    note = fields.Field("note", "说明", widget=TextWidget())

    example = {
        "year": 2025,
        "figure_key": "bureau.activities.policy_seminar",
        "label": "政策宣讲会",
        "target_value": 12,
        "unit": "次",
        "note": "全年开展政策宣讲会12次以上",
    }
    column_notes = {
        "figure_key": "看板上的指标代码（如 enterprises.hitech_new）或指标名称。",
        "label": "不填时用指标名称。",
        "unit": "不填时用指标的单位。",
    }

    class Meta:
        model = Target
        fields = ("year", "figure_key", "label", "target_value", "unit", "note")
        import_id_fields = ("year", "figure_key")
        clean_model_instances = True
        skip_diff = True

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValidationError:
            return None  # the bad key cell is reported by import_instance

    def import_instance(self, instance, row, **kwargs):
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        entry = self.fields["figure_key"].widget.known().get(instance.figure_key or "")
        if entry is not None:
            instance.label = instance.label or entry[1]
            instance.unit = instance.unit or entry[2]
        if errors:
            raise ValidationError(errors)

    def blank_defaults(self) -> set[str]:
        return {"label", "unit"}


STATUS_WORDS = {"开放": PeriodStatus.OPEN, "开启": PeriodStatus.OPEN, "锁定": PeriodStatus.LOCKED}


class PeriodResource(BaseResource):
    """Reporting periods (填报期) by year and quarter: a new one is opened, a known one set to
    the row's status (开放填报 or 已锁定), which is how a year is opened or locked from a file."""

    unique_in_file = ("year", "quarter")

    year = fields.Field("year", "年度", widget=ChineseIntegerWidget())
    quarter = fields.Field("quarter", "季度", widget=ChineseIntegerWidget())
    status = fields.Field(
        "status",
        "状态",
        widget=ChoiceWidget(PeriodStatus.choices, blank=True),
    )
    deadline = fields.Field("deadline", "填报截止日期", widget=ChineseDateWidget())

    example = {
        "year": 2025,
        "quarter": 1,
        "status": "开放填报",
        "deadline": datetime.date(2025, 4, 20),
    }
    column_notes = {"status": "不填时为「开放填报」。", "quarter": "1至4。"}

    class Meta:
        model = ReportingPeriod
        fields = ("year", "quarter", "status", "deadline")
        import_id_fields = ("year", "quarter")
        clean_model_instances = True
        skip_diff = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # The drop-down offers the two statuses; the short words are accepted as well.
        by_text = self.fields["status"].widget.by_text
        by_text.update({word: str(status) for word, status in STATUS_WORDS.items()})

    def required_columns(self) -> tuple[str, ...]:
        return ("year", "quarter")

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValidationError:
            return None

    def before_save_instance(self, instance, row, **kwargs):
        if instance.status == PeriodStatus.LOCKED and instance.locked_at is None:
            instance.locked_at = timezone.now()
            instance.locked_by = (
                self.history_user if getattr(self.history_user, "pk", None) else None
            )
        elif instance.status == PeriodStatus.OPEN:
            instance.locked_at = None
            instance.locked_by = None
        instance._history_user = self.history_user
        instance._change_reason = "Excel导入"


class ApplicationResource(BaseResource):
    """Common columns of pipeline records imported from a spreadsheet (existing records, at
    the status the sheet states), shared by every app's pipeline imports: each keeps its first
    status in the history, dated by the row (apply_status_date); with update, a row matching a
    record's natural key corrects it and a changed status enters the history."""

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

    def dehydrate_status_date(self, obj):
        if obj.status_changed_at is None:
            return ""
        return f"{timezone.localtime(obj.status_changed_at):%Y-%m-%d}"

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


DATASETS = {
    "activities": ActivityResource,
    "targets": TargetResource,
    "periods": PeriodResource,
}
