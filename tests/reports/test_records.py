"""The records' table rows, read as plain values, equal the rows built from model instances
(`cell_value` on each record with its foreign keys joined), and cost the same number of
queries whatever the number of records."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises.models import Enterprise, SizeClass
from finance.models import Signing
from reports import records
from tests.factories import EnterpriseFactory, ParkZoneFactory
from tests.finance.factories import NeedFactory, ProductFactory, SigningFactory

pytestmark = pytest.mark.django_db

NASTY = ['=HYPERLINK("http://x","点我")', "+SUM(1,2)", "-2+3", "@cmd", " 前后有空格 "]


def instance_rows(qs) -> list[list]:
    """The rows as the export built them before: instances, select_related, cell_value."""
    cols, prepared = records.prepared(qs)
    return [[records.cell_value(obj, c) for c in cols] for obj in prepared]


@pytest.fixture
def enterprises():
    north, south = ParkZoneFactory(name="北区"), ParkZoneFactory(name="南区")
    EnterpriseFactory(
        name=NASTY[0], zone=north, size_class=SizeClass.MICRO, registered_capital=None
    )
    EnterpriseFactory(name=NASTY[1], zone=None, established_on=None, is_active=False)
    EnterpriseFactory(name=NASTY[2], zone=south, registered_capital=Decimal("12345678.90"))
    EnterpriseFactory(name=NASTY[3], zone=south, registered_capital=Decimal("0"))
    EnterpriseFactory(name=NASTY[4], zone=north, established_on=datetime.date(1999, 12, 31))
    return Enterprise.objects.order_by("pk")


def test_rows_equal_the_instance_rows_with_fk_choice_money_date_bool_and_formula_text(
    enterprises,
):
    cols, rows = records.rows(enterprises)
    rows = list(rows)
    assert rows == instance_rows(enterprises)
    kinds = {c.kind for c in cols}
    assert {"fk", "choice", "money", "date", "bool", "text"} <= kinds
    by_name = {c.name: i for i, c in enumerate(cols)}
    first = rows[0]
    assert first[by_name["zone"]] == "北区"
    assert first[by_name["registered_capital"]] is None
    assert first[by_name["size_class"]] == str(SizeClass.MICRO.label)
    assert rows[1][by_name["zone"]] == ""  # no zone
    assert rows[1][by_name["is_active"]] == "否" and first[by_name["is_active"]] == "是"
    assert rows[2][by_name["registered_capital"]] == Decimal("1234.57")  # 万元
    assert [r[by_name["name"]] for r in rows] == NASTY


def test_rows_with_a_limit_equal_the_first_instance_rows(enterprises):
    _cols, rows = records.rows(enterprises, limit=3)
    assert list(rows) == instance_rows(enterprises)[:3]


def test_rows_name_a_foreign_key_by_its_own_str_even_when_that_names_another_key():
    # A signing's product is shown as str(product), its need as str(need) (which names the
    # need's enterprise): the related rows' own foreign keys are joined.
    product = ProductFactory(name="科技贷")
    need = NeedFactory(enterprise=EnterpriseFactory(name="需求企业"))
    SigningFactory(product=product, need=need, amount=Decimal("2500000"))
    SigningFactory(amount=Decimal("100"))
    qs = Signing.objects.order_by("pk")
    assert list(records.rows(qs)[1]) == instance_rows(qs)


@pytest.mark.parametrize("n", [2, 8])
def test_rows_cost_one_query_plus_one_per_foreign_key_whatever_the_records(n):
    for _ in range(n):
        SigningFactory(product=ProductFactory(), need=NeedFactory())
    qs = Signing.objects.order_by("pk")
    cols, rows = records.rows(qs)
    fks = sum(c.kind == "fk" for c in cols)
    with CaptureQueriesContext(connection) as ctx:
        assert len(list(rows)) == n
    # the rows = 1; each foreign-key column's related rows, their own keys joined = 1 each
    assert len(ctx.captured_queries) == 1 + fks
