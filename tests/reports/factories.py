"""Factories of the reports app's tests."""

import factory

from reports.models import AnnualSummary, NarrativeParagraph, PlanItem


class AnnualSummaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualSummary
        django_get_or_create = ("year",)

    year = 2024
    title = factory.LazyAttribute(lambda o: f"科技金融局{o.year}年度工作总结")


class NarrativeParagraphFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NarrativeParagraph

    text = factory.Sequence(lambda n: f"工作人员撰写的第{n}段叙述。")
    order = factory.Sequence(int)


class PlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanItem

    title = factory.Sequence(lambda n: f"工作安排{n}")
    text = "下年度的工作安排。"
