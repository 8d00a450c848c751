"""Excel imports are all-or-nothing, with errors naming the row and the column."""

import datetime
from decimal import Decimal

import pytest
import tablib

from bureau.importing import run_import
from finance.imports import DATASETS, DisbursementResource, ProductResource, SigningResource
from finance.models import Disbursement, FinancialProduct, Signing
from tests.finance.factories import FinanceEventFactory, InstitutionFactory, SigningFactory

pytestmark = pytest.mark.django_db


def test_datasets_are_published():
    assert set(DATASETS) >= {"finance_products", "finance_signings", "finance_disbursements"}


def test_signing_file_with_one_row_before_its_event_changes_nothing(enterprise, other_enterprise):
    event = FinanceEventFactory()
    bank = InstitutionFactory(name="徽商银行股份有限公司舒城支行")
    data = tablib.Dataset(
        headers=[
            "统一社会信用代码",
            "金融机构",
            "金融产品",
            "签约活动",
            "签约金额（元）",
            "签约日期",
        ]
    )
    day = event.activity.date
    data.append(
        [enterprise.credit_code, bank.name, "", event.activity.topic, "5000000", day.isoformat()]
    )
    data.append(
        [
            other_enterprise.credit_code,
            bank.name,
            "",
            event.activity.topic,
            "3000000",
            (day - datetime.timedelta(days=1)).isoformat(),
        ]
    )
    outcome = run_import(SigningResource(), data, dry_run=False)
    assert not outcome.ok
    assert Signing.objects.count() == 0
    text = " ".join(str(e) for e in outcome.errors)
    assert "第3行" in text and "签约日期" in text and "不能早于签约活动日期" in text


def test_disbursements_above_the_signing_across_rows_are_refused():
    signing = SigningFactory(amount=Decimal("1000000"))
    data = tablib.Dataset(headers=["签约编号", "放款金额（元）", "放款日期"])
    data.append([signing.pk, "600000", "2024-07-01"])
    data.append([signing.pk, "600000", "2024-08-01"])
    outcome = run_import(DisbursementResource(), data, dry_run=False)
    assert not outcome.ok
    assert Disbursement.objects.count() == 0
    assert any(e.row == 3 and "超过签约金额" in e.message for e in outcome.errors)


def test_product_with_upside_down_rate_range_is_refused():
    InstitutionFactory(name="测试银行")
    data = tablib.Dataset(
        headers=["产品名称", "提供机构", "产品类型", "最低年利率（%）", "最高年利率（%）", "状态"]
    )
    data.append(["倒挂贷", "测试银行", "信用贷款", "4.5", "3.5", "在办"])
    outcome = run_import(ProductResource(), data, dry_run=False)
    assert not outcome.ok and FinancialProduct.objects.count() == 0
    assert any("最高年利率" in e.column or "利率" in e.message for e in outcome.errors)
