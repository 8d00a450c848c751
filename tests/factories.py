"""factory_boy factories shared by every app's tests."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Group

from bureau.models import Activity, ActivityKind, PeriodStatus, ReportingPeriod, Target, User
from bureau.roles import ADMIN_ROLES, Role
from enterprises.credit_code import make_code
from enterprises.models import (
    AnnualFigures,
    Enterprise,
    EnterpriseAccount,
    ParkZone,
    QuarterlyFigures,
    SizeClass,
)


def credit_code_for(n: int) -> str:
    """A valid code, distinct for every n (region 341523, body from n)."""
    return make_code(f"91341523{n:09d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="zh_CN")
    password = factory.PostGenerationMethodCall("set_password", "Secret-pass-2024")

    @factory.post_generation
    def role(self, create, extracted: Role | None, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted.group_name))
            # 三权分立: administrators are roles with admin access, never superusers.
            if extracted in (Role.BUREAU_STAFF, *ADMIN_ROLES):
                self.is_staff = True
        if create:
            self.save()


class ParkZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParkZone
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试片区{n}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    credit_code = factory.Sequence(credit_code_for)
    name = factory.Sequence(lambda n: f"安徽测试科技{n}有限公司")
    industry_division = "39"
    size_class = SizeClass.SMALL
    established_on = datetime.date(2015, 6, 1)
    registered_capital = Decimal("5000000")
    zone = factory.SubFactory(ParkZoneFactory)


class EnterpriseAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseAccount

    user = factory.SubFactory(UserFactory, role=Role.ENTERPRISE_USER)
    enterprise = factory.SubFactory(EnterpriseFactory)


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingPeriod
        django_get_or_create = ("year", "quarter")

    year = 2024
    quarter = 1
    status = PeriodStatus.OPEN


class AnnualFiguresFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualFigures

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2024
    revenue = Decimal("30000000")
    main_business_revenue = Decimal("28000000")
    rd_expense = Decimal("1500000")
    cost_expense_total = Decimal("26000000")
    total_assets = Decimal("40000000")
    total_liabilities = Decimal("16000000")
    employees = 120
    tech_staff = 30
    rd_staff = 20


class QuarterlyFiguresFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuarterlyFigures

    enterprise = factory.SubFactory(EnterpriseFactory)
    period = factory.SubFactory(PeriodFactory)
    revenue_ytd = Decimal("8000000")
    rd_expense_ytd = Decimal("400000")
    tax_ytd = Decimal("300000")
    employees = 120


class ActivityKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityKind
        django_get_or_create = ("code",)

    code = "policy_seminar"
    name = "政策宣讲会"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    kind = factory.SubFactory(ActivityKindFactory)
    date = datetime.date(2024, 5, 10)
    topic = factory.Sequence(lambda n: f"政策宣讲第{n}场")


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    year = 2024
    figure_key = "bureau.activities.policy_seminar"
    label = "政策宣讲会"
    target_value = Decimal("10")
    unit = "次"
