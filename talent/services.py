"""Writes of the talent app that span rows: confirming a demand's match with an institution
and turning a confirmed match into a cooperation agreement."""

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bureau.concurrency import ensure_current
from notifications import events

from .matching import (
    DemandProfile,
    InstitutionProfile,
    MatchResult,
    rank_institutions,
    split_fields,
)
from .models import (
    CooperationAgreement,
    DemandMatch,
    DemandStatus,
    Institution,
    MatchStatus,
    TechField,
    TechnologyDemand,
)


def institution_profiles(institutions: Iterable[Institution]) -> list[InstitutionProfile]:
    return [
        InstitutionProfile(
            id=i.pk,
            name=i.name,
            fields=split_fields(i.research_fields),
            capabilities=i.capabilities,
        )
        for i in institutions
    ]


def demand_profile(demand: TechnologyDemand) -> DemandProfile:
    field_label = str(TechField(demand.field).label) if demand.field in TechField.values else ""
    return DemandProfile(title=demand.title, description=demand.description, field=field_label)


def suggestions_for(demand: TechnologyDemand, *, limit: int = 5) -> list[MatchResult]:
    """The ranking of every institution for `demand` (one query for the institutions)."""
    profiles = institution_profiles(Institution.objects.order_by("name"))
    return rank_institutions(demand_profile(demand), profiles, limit=limit)


@transaction.atomic
def confirm_match(*, demand: TechnologyDemand, institution: Institution, by) -> DemandMatch:
    """Staff confirm `institution` for `demand`; the score and reasons are recomputed and kept,
    and an open demand becomes matched."""
    # Locked and re-read, so an enterprise's edit committed meanwhile is seen (and waits); the
    # caller's instance follows the status change as before.
    given, demand = demand, TechnologyDemand.objects.select_for_update().get(pk=demand.pk)
    if demand.status == DemandStatus.SOLVED:
        raise ValidationError(_("该需求已解决，不能再确认对接。"))
    if demand.status == DemandStatus.WITHDRAWN:
        raise ValidationError(_("该需求已由企业撤回，不能再确认对接。"))
    if DemandMatch.objects.filter(demand=demand, institution=institution).exists():
        raise ValidationError(_("该需求已与该院校确认过对接。"))
    ranked = {r.institution_id: r for r in suggestions_for(demand, limit=None)}
    result = ranked.get(institution.pk)
    match = DemandMatch.objects.create(
        demand=demand,
        institution=institution,
        score=Decimal(str(result.score)) if result else Decimal("0"),
        reasons="；".join(result.reasons) if result else _("人工指定（排序中无共同领域或关键词）"),
        confirmed_by=by,
        confirmed_at=timezone.now(),
    )
    if demand.status == DemandStatus.OPEN:
        demand.status = DemandStatus.MATCHED
        demand.save(update_fields=["status"])
    given.status = demand.status
    events.demand_matched(match)
    return match


@transaction.atomic
def create_agreement_from_match(*, match: DemandMatch, **fields) -> CooperationAgreement:
    """A cooperation agreement between the demand's enterprise and the matched institution;
    the demand moves to "in cooperation"."""
    if match.agreement_id:
        raise ValidationError(_("该对接已签订合作协议。"))
    agreement = CooperationAgreement(
        enterprise=match.demand.enterprise,
        institution=match.institution,
        demand=match.demand,
        **fields,
    )
    agreement.full_clean()
    agreement.save()
    match.agreement = agreement
    match.status = MatchStatus.AGREEMENT
    match.save(update_fields=["agreement", "status"])
    demand = match.demand
    if demand.status in (DemandStatus.OPEN, DemandStatus.MATCHED):
        demand.status = DemandStatus.IN_COOPERATION
        demand.save(update_fields=["status"])
    return agreement


DEMAND_TAKEN_UP_MESSAGE = gettext_lazy(
    "局工作人员已为该技术需求对接高校院所，不能再修改或撤回。如需变更，请联系局工作人员。"
)
# The fields of a demand its enterprise may change before staff match it.
DEMAND_EDITABLE = ("title", "description", "field", "budget", "raised_on", "deadline")


def _lock_changeable_demand(demand: TechnologyDemand, token: str | None) -> TechnologyDemand:
    """The demand re-read under a row lock, refused unless it is open and no institution has
    been matched (in the database, so a match committed meanwhile wins) and unless the form was
    opened on its latest version (bureau.concurrency)."""
    locked = (
        TechnologyDemand.objects.select_for_update()
        .filter(
            pk=demand.pk,
            enterprise_id=demand.enterprise_id,
            status=DemandStatus.OPEN,
        )
        .exclude(Exists(DemandMatch.objects.filter(demand_id=OuterRef("pk"))))
        .first()
    )
    if locked is None:
        raise ValidationError(DEMAND_TAKEN_UP_MESSAGE, code="taken_up")
    ensure_current(locked, token)
    return locked


@transaction.atomic
def withdraw_demand_by_enterprise(
    demand: TechnologyDemand, *, by, token: str | None
) -> TechnologyDemand:
    """The enterprise withdraws its own demand (已撤回) until staff match it; the history
    records who withdrew it and when, and the demand leaves the period's figures."""
    locked = _lock_changeable_demand(demand, token)
    locked.status = DemandStatus.WITHDRAWN
    locked._history_user = by
    locked._change_reason = _("企业撤回")
    locked.save(update_fields=["status"])
    return locked


@transaction.atomic
def update_demand_by_enterprise(
    demand: TechnologyDemand, *, by, token: str | None, **fields
) -> TechnologyDemand:
    """The enterprise's correction of its own demand while it is open and no institution has
    been matched, and only from a form opened on its latest version."""
    locked = _lock_changeable_demand(demand, token)
    for name in DEMAND_EDITABLE:
        if name in fields:
            setattr(locked, name, fields[name])
    locked.full_clean()
    locked._history_user = by
    locked._change_reason = _("企业修改")
    locked.save()
    return locked
