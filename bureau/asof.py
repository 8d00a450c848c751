"""A figure is the state at its period's end (DESIGN.md): each record's status as of a day.

Every published figure that depends on a status (approved, under review, applying, filed,
held, open, solved…) reads it through `status_as_of`, so that a later decision never moves a
past year or quarter, and the records behind the figure (its drill-down) are the ones it
counts. Two histories answer, one helper asks both:

- applications (bureau.models.Application: qualifications, platforms, recognitions, talent
  subsidies, demonstration projects, guarantee schemes) keep every status change in
  `ApplicationTransition`; their status at the end of a day is the last transition at or
  before it. An approval counts from its approval date (认定日期): the flow never leaves
  已认定, and a certificate dated in December that was recorded in March belongs to December
  (DESIGN.md: dated records carry the dates of the event); before that date the application
  had the status it held before approval. An application with no transition by then did
  not exist yet and has no status ("").
- other records with a status (assessments, financing needs, technology demands, talent
  activities, milestones, the registry's 在册 flag) keep their rows in django-simple-history;
  the value at the end of a day is the last historical row at or before it. A record entered
  after that day counts with the values it was entered with: its own dates (评测日期, 登记日期,
  提出日期…) say whether it belongs to the period, the history says what it was then.

Both are one correlated subquery in the same SQL statement, so the number of queries does not
grow with the records; and it runs only for rows changed after the day (their
`status_changed_at`, or `updated_at` where the model keeps one, and not for rows entered after
the day and unchanged since), so a past year costs little more than the current one. The history lookups are indexed: ApplicationTransition on
(content_type, object_id, at), simple-history tables on the record's id.

Filter on the values then through `matching_then` rather than on the `_then` annotations
alone: PostgreSQL cannot estimate a CASE over subqueries, guesses a few rows, and joins a
filtered set of enterprises against them by a nested loop that grows with the square of the
rows (issue 16: 9 s for the industry-filtered dashboard at 10,000 enterprises).
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, Exists, F, OrderBy, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

THEN = "_then"


def period_end(year: int, quarter: int | None = None) -> datetime.date:
    """The last day of the year, or of the quarter when given (1–4)."""
    if not quarter or quarter == 4:
        return datetime.date(year, 12, 31)
    return datetime.date(year, 3 * quarter + 1, 1) - datetime.timedelta(days=1)


def end_of_day(day: datetime.date | datetime.datetime) -> datetime.datetime:
    """The last moment of `day` in the portal's time zone (a datetime is returned as is)."""
    if isinstance(day, datetime.datetime):
        return day
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def _as_day(moment: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(moment, datetime.datetime):
        return timezone.localdate(moment)
    return moment


def status_as_of(
    qs: QuerySet,
    day: datetime.date | datetime.datetime,
    *,
    fields: tuple[str, ...] = ("status",),
) -> QuerySet:
    """`qs` annotated with each of `fields` as it stood at the end of `day`: `<field>_then`
    (so `status_then` for the status). Applications' status comes from their transitions,
    everything else from its simple-history rows (the module doc gives the rules)."""
    from .models import Application

    moment = end_of_day(day)
    model = qs.model
    annotations = {}
    for name in fields:
        if name == "status" and issubclass(model, Application):
            annotations[name + THEN] = _application_status(model, moment)
        else:
            annotations[name + THEN] = _history_value(model, name, moment)
    return qs.annotate(**annotations)


def status_changed_as_of(qs: QuerySet, day: datetime.date | datetime.datetime) -> QuerySet:
    """Applications in `qs` annotated with `status_changed_then`: when their status last changed
    at or before the end of `day` (null when they had no status yet), so "in a stage for over
    half a year" is judged as it stood then, not as it stands now."""
    from .models import ApplicationTransition

    moment = end_of_day(day)
    last = (
        ApplicationTransition.objects.filter(
            content_type_id=ContentType.objects.get_for_model(qs.model).pk,
            object_id=OuterRef("pk"),
            at__lte=moment,
        )
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    return qs.annotate(
        status_changed_then=Case(
            When(status_changed_at__lte=moment, then=F("status_changed_at")),
            default=Subquery(last),
            output_field=models.DateTimeField(),
        )
    )


def _application_status(model: type[models.Model], moment: datetime.datetime):
    from .models import ApplicationStatus, ApplicationTransition

    day = _as_day(moment)
    history = ApplicationTransition.objects.filter(
        content_type_id=ContentType.objects.get_for_model(model).pk,
        object_id=OuterRef("pk"),
        at__lte=moment,
    ).order_by("-at", "-pk")
    last = history.values("to_status")[:1]
    before_approval = history.exclude(to_status=ApplicationStatus.APPROVED).values("to_status")[:1]
    approved = Q(status=ApplicationStatus.APPROVED)
    return Case(
        # Approved by its approval date: approved then, whenever it was recorded.
        When(approved & Q(approved_on__lte=day), then=Value(ApplicationStatus.APPROVED.value)),
        # Approved only after the day: what it was before the approval.
        When(
            approved & Q(approved_on__gt=day),
            then=Coalesce(Subquery(before_approval), Value("")),
        ),
        # Unchanged since the day (the pipeline stamps status_changed_at with each change).
        When(status_changed_at__lte=moment, then=F("status")),
        default=Coalesce(Subquery(last), Value("")),
        output_field=models.CharField(),
    )


def _history_value(model: type[models.Model], name: str, moment: datetime.datetime):
    historical = getattr(model, "history", None)
    if historical is None:
        raise TypeError(f"{model._meta.label} keeps no history to read {name!r} as of a day")
    field = model._meta.get_field(name)
    output = field.clone()
    rows = historical.model.objects.filter(**{model._meta.pk.attname: OuterRef("pk")})
    by_then = Q(history_date__lte=moment)
    # One row per record: the last at or before the moment, or else the first (entered later).
    row = rows.order_by(
        OrderBy(Case(When(by_then, then=F("history_date"))), descending=True, nulls_last=True),
        OrderBy(Case(When(by_then, then=F("history_id"))), descending=True, nulls_last=True),
        "history_date",
        "history_id",
    )
    value = Case(
        # A record without history rows (a bulk insert) has only its current values.
        When(~Exists(rows), then=F(field.attname)),
        default=Subquery(row.values(field.attname)[:1]),
        output_field=output,
    )
    changed, created = _timestamps(model)
    if changed is None:
        return value
    unchanged = [When(**{f"{changed}__lte": moment}, then=F(field.attname))]
    if created is not None:
        # Entered after the moment and never changed since (an import, the demo seeder): the
        # values it was entered with, which are its values now. Saves one probe of the history
        # per row where most rows were entered at once.
        unchanged.append(
            When(
                Q(**{f"{created}__gt": moment})
                & Q(**{f"{changed}__lte": F(created) + datetime.timedelta(seconds=1)}),
                then=F(field.attname),
            )
        )
    return Case(*unchanged, default=value, output_field=output)


def _timestamps(model: type[models.Model]) -> tuple[str | None, str | None]:
    """The timestamps the model sets on every save (auto_now) and on creation (auto_now_add)."""
    changed = created = None
    for field in model._meta.concrete_fields:
        if isinstance(field, models.DateTimeField):
            if field.auto_now and changed is None:
                changed = field.name
            elif field.auto_now_add and created is None:
                created = field.name
    return changed, created


def matching_then(
    model: type[models.Model], day: datetime.date | datetime.datetime, **lookups
) -> Q:
    """A condition on a queryset annotated by `status_as_of` (with the fields the lookups
    name): the rows whose values at the end of `day` match `lookups`, written on the field
    names (`status="submitted", assessed_on__gte=start`).

    The same rows as `.filter(status_then=…, assessed_on_then__gte=…)`, stated so that the
    planner can estimate them: PostgreSQL has no statistics for a CASE over subqueries and
    guesses a handful of rows (then nests a loop over the enterprises against them, quadratic
    in N). The condition is `(unchanged AND lookups on today's columns) OR lookups on the
    values then`: a row unchanged since the day has its values of then today, so the first
    branch only adds rows the second selects anyway, and it is the branch the column
    statistics and indexes serve. `unchanged` need only be a part of the rows whose values
    then are their values now (`_unchanged`); any other row is judged by its history."""
    then = Q(**{_then_lookup(key): value for key, value in lookups.items()})
    fields = {key.split("__", 1)[0] for key in lookups}
    unchanged = _unchanged(model, end_of_day(day), fields)
    if unchanged is None:
        return then
    return (unchanged & Q(**lookups)) | then


def _then_lookup(lookup: str) -> str:
    name, _sep, rest = lookup.partition("__")
    return f"{name}{THEN}__{rest}" if rest else f"{name}{THEN}"


def _unchanged(model: type[models.Model], moment: datetime.datetime, fields: set[str]) -> Q | None:
    """Rows whose `fields` at `moment` are their values now, as `status_as_of` reads them
    (a part of those rows is enough; None when none can be told without the history)."""
    from .models import Application, ApplicationStatus

    day = _as_day(moment)
    condition = Q()
    history_fields = set(fields)
    if "status" in fields and issubclass(model, Application):
        history_fields.discard("status")
        # _application_status: approved by the day, or not approved and unchanged since.
        condition &= Q(status=ApplicationStatus.APPROVED, approved_on__lte=day) | (
            Q(status_changed_at__lte=moment) & ~Q(status=ApplicationStatus.APPROVED)
        )
    if history_fields:
        changed, created = _timestamps(model)
        if changed is None:
            return None
        # _history_value: unchanged since the moment, or entered after it and unchanged since.
        unchanged = Q(**{f"{changed}__lte": moment})
        if created is not None:
            unchanged |= Q(**{f"{created}__gt": moment}) & Q(
                **{f"{changed}__lte": F(created) + datetime.timedelta(seconds=1)}
            )
        condition &= unchanged
    return condition
