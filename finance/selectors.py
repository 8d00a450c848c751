"""Reads of technology-finance records shared by pages and figures.

`<entity>_get_for_user` functions are the one gate that decides who may see a record: bureau
roles see everything, an enterprise user only its own enterprise's needs and signings.
"""

import datetime
from collections.abc import Iterable

from django.apps import apps
from django.db.models import Count, Prefetch, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from bureau.roles import Role

from .case import EventFacts, NeedCase, need_case
from .matching import EnterpriseFacts, NeedFacts, ProductFacts, ProductMatch, rank_products
from .models import (
    Disbursement,
    FinanceEvent,
    FinancialProduct,
    FinancingNeed,
    GuaranteeScheme,
    Institution,
    ProductStatus,
    SchemeLoan,
    SchemeStageEntry,
    Signing,
)

# --- Tiers (read from the tier ladder when it exists) ----------------------------------------


def enterprise_tiers(
    enterprise, *, on: datetime.date | None = None
) -> dict[str, datetime.date | None]:
    """The tiers `enterprise` holds on `on` (default today): {tier code: held since}.

    The tier ladder (enterprises.Qualification, issue 3) is built separately; this adapter reads
    it only if the model exists and otherwise returns an empty mapping, so matching then treats
    the enterprise as holding no tier. A qualification counts when approved and valid on the
    day; its code is `kind.code` when kind is a relation, else the kind value itself.
    """
    try:
        qualification = apps.get_model("enterprises", "Qualification")
    except LookupError:
        return {}
    on = on or timezone.localdate()
    qs = qualification.objects.filter(enterprise=enterprise)
    if hasattr(qs, "valid_on"):
        qs = qs.valid_on(on)
    else:
        qs = qs.filter(status="approved")
    kind_field = qualification._meta.get_field("kind")
    if kind_field.is_relation:
        qs = qs.select_related("kind")
    held: dict[str, datetime.date | None] = {}
    for row in qs:
        kind = row.kind
        code = getattr(kind, "code", kind)
        since = getattr(row, "valid_from", None) or getattr(row, "approved_on", None)
        if code in held and held[code] is not None and (since is None or held[code] <= since):
            continue
        held[str(code)] = since
    return held


def enterprise_facts(enterprise, *, on: datetime.date | None = None) -> EnterpriseFacts:
    return EnterpriseFacts(
        size_class=enterprise.size_class,
        industry_division=enterprise.industry_division,
        industry_section=enterprise.industry_section,
        tiers=enterprise_tiers(enterprise, on=on),
    )


def product_facts(product: FinancialProduct) -> ProductFacts:
    return ProductFacts(
        key=product.pk,
        name=product.name,
        active=product.status == ProductStatus.ACTIVE,
        min_amount=product.min_amount,
        max_amount=product.max_amount,
        min_term_months=product.min_term_months,
        max_term_months=product.max_term_months,
        requires_collateral=product.requires_collateral,
        eligible_tiers=frozenset(product.eligible_tiers or ()),
        eligible_sizes=frozenset(product.eligible_sizes or ()),
        eligible_industries=frozenset(product.eligible_industries or ()),
    )


def need_facts(need: FinancingNeed) -> NeedFacts:
    return NeedFacts(
        amount=need.amount,
        term_months=need.term_months,
        collateral_available=need.collateral_available,
    )


def need_matches(
    need: FinancingNeed, products: Iterable[FinancialProduct] | None = None
) -> list[tuple[ProductMatch, FinancialProduct]]:
    """Active products ranked for the need, each with its product row (provider loaded)."""
    if products is None:
        products = FinancialProduct.objects.filter(status=ProductStatus.ACTIVE).select_related(
            "provider"
        )
    by_pk = {p.pk: p for p in products}
    ranked = rank_products(
        need_facts(need),
        enterprise_facts(need.enterprise),
        [product_facts(p) for p in by_pk.values()],
    )
    return [(m, by_pk[m.product.key]) for m in ranked]


# --- Needs and signings, with the ownership gate ---------------------------------------------


def need_list_for_user(*, user) -> QuerySet[FinancingNeed]:
    qs = FinancingNeed.objects.select_related("enterprise")
    if user.role is Role.ENTERPRISE_USER:
        return qs.filter(enterprise__accounts__user=user)
    if user.role is None:
        return qs.none()
    return qs


def need_get_for_user(*, user, pk: int) -> FinancingNeed:
    """The one gate for a single need: 404 when the user may not see it."""
    try:
        return need_list_for_user(user=user).get(pk=pk)
    except FinancingNeed.DoesNotExist:
        raise Http404 from None


def signing_list_for_user(*, user) -> QuerySet[Signing]:
    qs = Signing.objects.select_related(
        "enterprise", "bank", "product", "event__activity__kind", "need"
    ).annotate(disbursed=Sum("disbursements__amount"))
    if user.role is Role.ENTERPRISE_USER:
        return qs.filter(enterprise__accounts__user=user)
    if user.role is None:
        return qs.none()
    return qs


def signing_get_for_user(*, user, pk: int) -> Signing:
    """The one gate for a single signing: 404 when the user may not see it."""
    try:
        return signing_list_for_user(user=user).get(pk=pk)
    except Signing.DoesNotExist:
        raise Http404 from None


# --- The enterprise's own case (portal) ------------------------------------------------------


def portal_needs_for_user(*, user) -> QuerySet[FinancingNeed]:
    """The user's needs with what their stage depends on: the events that presented them and
    their signings (2 prefetch queries, whatever the number of needs), and whether staff took
    them up in their inbox (a subquery)."""
    from .services import accepted_in_inbox

    return (
        need_list_for_user(user=user)
        .annotate(accepted=accepted_in_inbox())
        .prefetch_related(
            Prefetch("events", queryset=FinanceEvent.objects.select_related("activity")),
            Prefetch(
                "signings",
                queryset=signing_list_for_user(user=user).order_by("signed_on", "pk"),
            ),
        )
    )


def portal_need_get(*, user, pk: int) -> FinancingNeed:
    """The one gate for the portal's need pages: 404 unless it is the user's enterprise's."""
    try:
        return portal_needs_for_user(user=user).get(pk=pk)
    except FinancingNeed.DoesNotExist:
        raise Http404 from None


def case_of(need: FinancingNeed, *, today: datetime.date | None = None) -> NeedCase:
    """The need's stage and next step (finance.case), from its prefetched events and signings."""
    signings = list(need.signings.all())
    return need_case(
        status=need.status,
        source=need.source,
        events=[
            EventFacts(topic=e.activity.topic, date=e.activity.date, place=e.activity.place)
            for e in need.events.all()
        ],
        signed_on=signings[0].signed_on if signings else None,
        today=today or timezone.localdate(),
        accepted=getattr(need, "accepted", False),
    )


def portal_matches(need: FinancingNeed) -> list[tuple[ProductMatch, FinancialProduct]]:
    """Active products ranked for the need, with each provider's branches and contacts
    loaded for the page's contact lines (4 queries)."""
    products = (
        FinancialProduct.objects.filter(status=ProductStatus.ACTIVE)
        .select_related("provider")
        .prefetch_related("provider__branches", "provider__contacts__branch")
    )
    return need_matches(need, products)


def portal_items(user) -> list:
    """我的事项: the user's financing needs (3 queries: needs, their events, their signings)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from bureau.casework import PortalItem, latest_history_date

    today = timezone.localdate()
    needs = portal_needs_for_user(user=user).annotate(
        last_change=latest_history_date(FinancingNeed)
    )
    items = []
    for need in needs:
        case = case_of(need, today=today)
        items.append(
            PortalItem(
                kind=_("融资需求"),
                title=need.purpose,
                submitted=need.posted_on,
                status=case.stage,
                changed=need.last_change,
                url=reverse("finance:portal_need_detail", args=[need.pk]),
                receipt_url=reverse("finance:portal_need_receipt", args=[need.pk]),
                open=need.is_open,
            )
        )
    return items


# --- Lists for staff pages --------------------------------------------------------------------


def institution_list() -> QuerySet[Institution]:
    return Institution.objects.annotate(
        n_products=Count("products", distinct=True),
        n_branches=Count("branches", distinct=True),
    ).prefetch_related("contacts")


def product_list() -> QuerySet[FinancialProduct]:
    return FinancialProduct.objects.select_related("provider").annotate(
        n_signings=Count("signings"), signed=Sum("signings__amount")
    )


def event_list() -> QuerySet[FinanceEvent]:
    return (
        FinanceEvent.objects.select_related("activity__kind")
        .annotate(
            n_signings=Count("signings", distinct=True),
            signed=Sum("signings__amount"),
            n_institutions=Count("institutions", distinct=True),
        )
        .order_by("-activity__date", "-pk")
    )


def event_detail(pk: int) -> FinanceEvent:
    qs = FinanceEvent.objects.select_related("activity__kind").prefetch_related(
        "institutions",
        "activity__enterprises",
        Prefetch("needs_presented", queryset=FinancingNeed.objects.select_related("enterprise")),
        Prefetch(
            "signings",
            queryset=Signing.objects.select_related("enterprise", "bank", "product").annotate(
                disbursed=Sum("disbursements__amount")
            ),
        ),
    )
    try:
        return qs.get(pk=pk)
    except FinanceEvent.DoesNotExist:
        raise Http404 from None


def upcoming_events(*, today: datetime.date | None = None) -> QuerySet[FinanceEvent]:
    today = today or timezone.localdate()
    return FinanceEvent.objects.select_related("activity__kind").filter(activity__date__gte=today)


def scheme_detail(pk: int) -> GuaranteeScheme:
    qs = GuaranteeScheme.objects.select_related("bank", "guarantor", "product").prefetch_related(
        Prefetch("stage_entries", queryset=SchemeStageEntry.objects.select_related("by")),
        Prefetch("loans", queryset=SchemeLoan.objects.select_related("enterprise")),
    )
    try:
        return qs.get(pk=pk)
    except GuaranteeScheme.DoesNotExist:
        raise Http404 from None


def disbursements_of(signing: Signing) -> QuerySet[Disbursement]:
    return signing.disbursements.order_by("disbursed_on", "pk")


def profile_section(enterprise) -> tuple[str, dict]:
    """The enterprise profile's section on financing needs and signings (2 queries)."""
    return "finance/_enterprise_profile.html", {
        "needs": list(
            FinancingNeed.objects.filter(enterprise=enterprise).order_by("-posted_on")[:10]
        ),
        "signings": list(
            Signing.objects.filter(enterprise=enterprise)
            .select_related("bank", "product")
            .order_by("-signed_on")[:10]
        ),
    }
