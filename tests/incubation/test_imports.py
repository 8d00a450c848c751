"""Excel import of innovation carriers: all-or-nothing, Chinese errors naming row and column."""

import datetime

import pytest
import tablib

from bureau.importing import run_import
from bureau.models import ApplicationStatus, Level
from incubation.imports import (
    IncubatorResource,
    PlatformRecognitionResource,
    RDPlatformResource,
    TenancyResource,
)
from incubation.models import Incubator, PlatformRecognition, RDPlatform, Tenancy

from .factories import IncubatorFactory, TenancyFactory

pytestmark = pytest.mark.django_db


def dataset(headers, *rows) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=headers)


PLATFORM_HEADERS = [
    "统一社会信用代码",
    "平台类型",
    "平台名称",
    "级别",
    "状态",
    "认定日期",
    "批次年度",
]


def test_platform_import_creates_records_with_their_history(enterprise, staff_user):
    data = dataset(
        PLATFORM_HEADERS,
        [
            enterprise.credit_code,
            "企业技术中心",
            "自家技术中心",
            "省级",
            "已认定",
            "2024-09-26",
            2024,
        ],
        [enterprise.credit_code, "重点实验室", "自家实验室", "省级", "已申报", "", 2025],
    )
    outcome = run_import(RDPlatformResource(), data, dry_run=False, user=staff_user)
    assert outcome.ok, outcome.errors
    approved = RDPlatform.objects.get(name="自家技术中心")
    assert approved.status == ApplicationStatus.APPROVED and approved.level == Level.PROVINCIAL
    assert [t.to_status for t in approved.transitions] == ["approved"]
    assert approved.transitions[0].at.date().isoformat() == "2024-09-26"
    assert RDPlatform.history.filter(name="自家实验室").exists()


def test_one_bad_row_imports_nothing_and_names_row_and_column(enterprise):
    data = dataset(
        PLATFORM_HEADERS,
        [enterprise.credit_code, "企业技术中心", "甲中心", "省级", "已认定", "2024-09-26", 2024],
        [enterprise.credit_code, "不存在的类型", "乙中心", "省级", "已申报", "", 2025],
        ["913415230000000000", "企业技术中心", "丙中心", "省级", "已申报", "", 2025],
    )
    outcome = run_import(RDPlatformResource(), data, dry_run=False)
    assert not outcome.ok
    messages = [str(e) for e in outcome.errors]
    assert any("第3行「平台类型」" in m and "找不到平台类型「不存在的类型」" in m for m in messages)
    assert any(m.startswith("第4行「统一社会信用代码」") for m in messages)
    assert RDPlatform.objects.count() == 0


def test_approved_without_level_is_refused_in_chinese(enterprise):
    data = dataset(
        PLATFORM_HEADERS,
        [enterprise.credit_code, "企业技术中心", "无级别中心", "", "已认定", "2024-09-26", 2024],
    )
    outcome = run_import(RDPlatformResource(), data, dry_run=False)
    assert not outcome.ok
    assert "已认定的申报必须填写级别" in str(outcome.errors[0])
    assert RDPlatform.objects.count() == 0


def test_first_set_without_product_is_refused_naming_the_column(enterprise):
    data = dataset(
        ["统一社会信用代码", "认定类别", "产品名称", "级别", "状态", "批次年度"],
        [enterprise.credit_code, "首台套", "", "省级", "已申报", 2024],
    )
    outcome = run_import(PlatformRecognitionResource(), data, dry_run=False)
    assert not outcome.ok
    assert str(outcome.errors[0]).startswith("第2行「产品名称」")
    assert PlatformRecognition.objects.count() == 0


def test_tenancy_import_refuses_an_enterprise_already_in_an_incubator(enterprise):
    TenancyFactory(enterprise=enterprise)
    incubator = IncubatorFactory(name="新孵化器")
    data = dataset(
        ["孵化载体", "统一社会信用代码", "入孵日期"],
        ["新孵化器", enterprise.credit_code, "2024-05-01"],
    )
    outcome = run_import(TenancyResource(), data, dry_run=False)
    assert not outcome.ok
    assert "第2行" in str(outcome.errors[0])
    assert not Tenancy.objects.filter(incubator=incubator).exists()


def test_tenancy_import_refuses_the_same_stay_twice_in_one_file(enterprise):
    IncubatorFactory(name="新孵化器")
    row = ["新孵化器", enterprise.credit_code, "2024-05-01"]
    data = dataset(["孵化载体", "统一社会信用代码", "入孵日期"], row, row)
    outcome = run_import(TenancyResource(), data, dry_run=False)
    assert not outcome.ok
    assert "与第2行重复" in str(outcome.errors[0])
    assert Tenancy.objects.count() == 0


TENANCY_HEADERS = ["孵化载体", "统一社会信用代码", "入孵日期", "离孵日期", "离孵原因"]


def test_tenancy_import_refuses_a_stay_overlapping_a_recorded_one_as_a_row_error(enterprise):
    TenancyFactory(
        enterprise=enterprise,
        entered_on=datetime.date(2020, 1, 1),
        exited_on=datetime.date(2022, 12, 31),
        exit_reason="moved_out",
    )
    IncubatorFactory(name="新孵化器")
    data = dataset(
        TENANCY_HEADERS,
        ["新孵化器", enterprise.credit_code, "2021-03-01", "2021-09-30", "迁出"],
    )
    outcome = run_import(TenancyResource(), data, dry_run=False)
    assert not outcome.ok
    assert str(outcome.errors[0]).startswith("第2行")
    assert "在孵期间不能重叠" in str(outcome.errors[0])
    assert Tenancy.objects.count() == 1


def test_tenancy_import_refuses_overlapping_rows_of_one_file_as_a_row_error(enterprise):
    IncubatorFactory(name="新孵化器")
    IncubatorFactory(name="老孵化器")
    data = dataset(
        TENANCY_HEADERS,
        ["老孵化器", enterprise.credit_code, "2020-01-01", "2022-12-31", "迁出"],
        ["新孵化器", enterprise.credit_code, "2022-06-01", "2023-12-31", "毕业"],
    )
    outcome = run_import(TenancyResource(), data, dry_run=False)
    assert not outcome.ok
    assert str(outcome.errors[0]).startswith("第3行")
    assert Tenancy.objects.count() == 0


def test_tenancy_import_accepts_stays_that_touch_on_the_same_day(enterprise):
    IncubatorFactory(name="新孵化器")
    IncubatorFactory(name="老孵化器")
    data = dataset(
        TENANCY_HEADERS,
        ["老孵化器", enterprise.credit_code, "2020-01-01", "2024-06-30", "迁出"],
        ["新孵化器", enterprise.credit_code, "2024-06-30", "", ""],
    )
    outcome = run_import(TenancyResource(), data, dry_run=False)
    assert outcome.ok, outcome.errors
    assert Tenancy.objects.filter(enterprise=enterprise).count() == 2


def test_incubator_import_updates_by_name():
    IncubatorFactory(name="中新联科科技企业孵化器", capacity=40)
    data = dataset(
        ["名称", "类型", "运营主体", "认定级别", "可容纳企业数"],
        ["中新联科科技企业孵化器", "孵化器", "中新联科运营公司", "省级", "60"],
        ["新众创空间", "众创空间", "某运营方", "", "20"],
    )
    outcome = run_import(IncubatorResource(), data, dry_run=False)
    assert outcome.ok, outcome.errors
    assert Incubator.objects.get(name="中新联科科技企业孵化器").capacity == 60
    assert Incubator.objects.get(name="新众创空间").level == ""


def test_dry_run_changes_nothing(enterprise):
    data = dataset(
        PLATFORM_HEADERS,
        [
            enterprise.credit_code,
            "企业技术中心",
            "试导入中心",
            "省级",
            "已认定",
            "2024-09-26",
            2024,
        ],
    )
    outcome = run_import(RDPlatformResource(), data, dry_run=True)
    assert outcome.ok and outcome.new == 1
    assert RDPlatform.objects.count() == 0
