"""Reads shared by the talent pages and figures, and the gates that decide who sees what.

Personal data (name, phone, e-mail) is shown unmasked only to bureau staff holding
`talent.view_personal_data`; every unmasked view is written to PersonalDataAccess.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from bureau import personal_data
from bureau.models import Activity
from bureau.roles import Role

from .masking import mask_email, mask_name, mask_phone
from .models import (
    TALENT_ACTIVITY_KINDS,
    CooperationAgreement,
    DemandMatch,
    DemandStatus,
    Institution,
    PersonalDataAccess,
    Talent,
    TalentActivity,
    TalentApplication,
    TechnologyDemand,
)

PERSONAL_DATA_PERMISSION = Talent.PERSONAL_DATA_PERMISSION


def can_view_personal_data(user) -> bool:
    """Only bureau staff with the explicit permission see names and phones unmasked."""
    return personal_data.can_view_personal_data(user, Talent)


@dataclass(frozen=True)
class PersonView:
    """A talent's personal data as one reader may see it."""

    name: str
    phone: str
    email: str
    masked: bool


def person_view(talent: Talent, *, unmasked: bool) -> PersonView:
    if unmasked:
        return PersonView(talent.name, talent.phone, talent.email, False)
    return PersonView(
        mask_name(talent.name), mask_phone(talent.phone), mask_email(talent.email), True
    )


def log_personal_data_access(
    *, user, talents: Iterable[Talent], context: str, path: str = ""
) -> int:
    """Keep who saw which talents' unmasked data, when and where (one INSERT)."""
    now = timezone.now()
    rows = [
        PersonalDataAccess(user=user, talent=t, at=now, context=context, path=path[:300])
        for t in talents
    ]
    PersonalDataAccess.objects.bulk_create(rows)
    if rows:
        from audit.services import record_personal_data

        record_personal_data(
            user=user,
            model="talent.Talent",
            ids=[r.talent_id for r in rows],
            context=context,
            path=path,
        )
    return len(rows)


def with_person_views(talents: list[Talent], *, user, context: str, path: str = "") -> list:
    """Attach `.person` (masked or not) to each talent; log the unmasked ones."""
    unmasked = can_view_personal_data(user)
    for talent in talents:
        talent.person = person_view(talent, unmasked=unmasked)
    if unmasked and talents:
        log_personal_data_access(user=user, talents=talents, context=context, path=path)
    return talents


# --- Roster -------------------------------------------------------------------------------------


def talent_list_for_user(*, user) -> QuerySet[Talent]:
    """Talents the user may see: all for bureau roles, only its own staff for an enterprise."""
    qs = Talent.objects.select_related("enterprise")
    if user.role is Role.ENTERPRISE_USER:
        return qs.filter(enterprise__accounts__user=user)
    if user.role is None:
        return qs.none()
    return qs


def talent_get_for_user(*, user, pk: int) -> Talent:
    """The one gate for a single talent: 404 when the user may not see it."""
    try:
        return talent_list_for_user(user=user).get(pk=pk)
    except Talent.DoesNotExist:
        raise Http404 from None


def on_roster(qs: QuerySet[Talent], day: datetime.date) -> QuerySet[Talent]:
    """Talents registered by `day` and not gone before it."""
    return qs.filter(registered_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))


# --- Programmes ---------------------------------------------------------------------------------


def application_list_for_user(*, user) -> QuerySet[TalentApplication]:
    qs = TalentApplication.objects.select_related("programme", "enterprise", "talent")
    if user.role is Role.ENTERPRISE_USER:
        return qs.filter(enterprise__accounts__user=user)
    if user.role is None:
        return qs.none()
    return qs


def application_get_for_user(*, user, pk: int) -> TalentApplication:
    try:
        return application_list_for_user(user=user).get(pk=pk)
    except TalentApplication.DoesNotExist:
        raise Http404 from None


# --- Trainings and exchanges -------------------------------------------------------------------


def talent_activities() -> QuerySet[Activity]:
    """Bureau activities that are trainings or exchanges, with their talent details."""
    return (
        Activity.objects.filter(kind__code__in=TALENT_ACTIVITY_KINDS)
        .select_related("kind", "talent_detail")
        .annotate(
            n_enterprises=Count("enterprises", distinct=True),
            n_talents=Count("talent_detail__talents", distinct=True),
        )
        .prefetch_related(
            Prefetch(
                "talent_detail__institutions",
                queryset=Institution.objects.order_by("name"),
            )
        )
        .order_by("-date", "-pk")
    )


def talent_activity_for(activity: Activity) -> TalentActivity | None:
    return getattr(activity, "talent_detail", None)


# --- Cooperation ------------------------------------------------------------------------------


def institution_list() -> QuerySet[Institution]:
    return Institution.objects.annotate(
        n_agreements=Count("agreements", distinct=True),
        n_enterprises=Count("agreements__enterprise", distinct=True),
    ).order_by("name")


def institution_detail(*, pk: int) -> Institution:
    qs = Institution.objects.prefetch_related(
        Prefetch(
            "agreements",
            queryset=CooperationAgreement.objects.select_related("enterprise").order_by(
                "-signed_on"
            ),
        )
    )
    try:
        return qs.get(pk=pk)
    except Institution.DoesNotExist:
        raise Http404 from None


def agreement_list() -> QuerySet[CooperationAgreement]:
    return CooperationAgreement.objects.select_related("enterprise", "institution").order_by(
        "-signed_on", "-pk"
    )


def demand_list_for_user(*, user) -> QuerySet[TechnologyDemand]:
    qs = TechnologyDemand.objects.select_related("enterprise")
    if user.role is Role.ENTERPRISE_USER:
        return qs.filter(enterprise__accounts__user=user)
    if user.role is None:
        return qs.none()
    return qs


def portal_items(user) -> list:
    """我的事项: the user's technology demands with how many institutions staff matched them
    with (1 query)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from bureau.casework import PortalItem, latest_history_date

    demands = demand_list_for_user(user=user).annotate(
        n_matches=Count("matches"), last_change=latest_history_date(TechnologyDemand)
    )
    items = []
    for demand in demands:
        status = demand.get_status_display()
        if demand.n_matches:
            status = _("%(s)s（已对接%(n)s家高校院所）") % {"s": status, "n": demand.n_matches}
        items.append(
            PortalItem(
                kind=_("技术需求"),
                title=demand.title,
                submitted=demand.raised_on,
                status=status,
                changed=demand.last_change,
                url=reverse("talent:portal_demands") + f"#demand-{demand.pk}",
                receipt_url=reverse("talent:portal_demand_receipt", args=[demand.pk]),
                open=demand.status == DemandStatus.OPEN,
            )
        )
    return items


def demand_changeable(demand: TechnologyDemand) -> bool:
    """Whether the enterprise may still edit the demand: open and matched with nobody (uses
    the prefetched matches of demand_get_for_user, or `n_matches` of a list)."""
    n = getattr(demand, "n_matches", None)
    if n is None:
        n = len(demand.matches.all())
    return demand.status == DemandStatus.OPEN and not n


def demand_get_for_user(*, user, pk: int) -> TechnologyDemand:
    qs = demand_list_for_user(user=user).prefetch_related(
        Prefetch(
            "matches",
            queryset=DemandMatch.objects.select_related("institution", "confirmed_by", "agreement"),
        )
    )
    try:
        return qs.get(pk=pk)
    except TechnologyDemand.DoesNotExist:
        raise Http404 from None


OPEN_DEMAND_STATUSES = (DemandStatus.OPEN, DemandStatus.MATCHED, DemandStatus.IN_COOPERATION)


def profile_section(enterprise) -> tuple[str, dict]:
    """The enterprise profile's section on talents (counts only: no names or phones are shown
    here, so nothing personal is read), cooperation agreements and technology demands
    (3 queries)."""
    from django.db.models import Count, Q

    from .models import DEPUTY_SENIOR_AND_ABOVE, MASTER_AND_ABOVE, TalentCategory

    current = Talent.objects.filter(enterprise=enterprise, left_on__isnull=True)
    counts = current.aggregate(
        total=Count("pk"),
        executives=Count("pk", filter=Q(category=TalentCategory.EXECUTIVE)),
        senior=Count("pk", filter=Q(title_level__in=DEPUTY_SENIOR_AND_ABOVE)),
        masters=Count("pk", filter=Q(education__in=MASTER_AND_ABOVE)),
    )
    return "talent/_enterprise_profile.html", {
        "talent_counts": counts,
        "agreements": list(
            CooperationAgreement.objects.filter(enterprise=enterprise)
            .select_related("institution")
            .order_by("-signed_on")[:10]
        ),
        "demands": list(
            TechnologyDemand.objects.filter(enterprise=enterprise).order_by("-raised_on", "-pk")[
                :10
            ]
        ),
    }
