"""Figures the bureau's own records publish: activities held in the year, by kind."""

from .figures import Figure
from .models import Activity, ActivityKind

# What these figures read (bureau.figures.reads): activities and their kinds (the labels).
READS = ("bureau.activity", "bureau.activitykind")

# How many topics of each kind a figure names (the first held in the period).
NOTED_TOPICS = 5


def figures(year: int, quarter: int | None = None) -> list[Figure]:
    """One figure per activity kind: how many were held in the year (to the quarter's end)."""
    activities = Activity.objects.filter(date__year=year)
    if quarter:
        activities = activities.filter(date__month__lte=3 * quarter)
    # One query for the counts and the topics of each kind's activities, which the summary
    # names as notable ones (Figure.notes).
    counts: dict[int, int] = {}
    topics: dict[int, list[str]] = {}
    for kind_id, topic in activities.order_by("date", "pk").values_list("kind_id", "topic"):
        counts[kind_id] = counts.get(kind_id, 0) + 1
        noted = topics.setdefault(kind_id, [])
        if len(noted) < NOTED_TOPICS and topic not in noted:
            noted.append(topic)
    return [
        Figure(
            key=f"bureau.activities.{kind.code}",
            label=f"{kind.name}",
            unit="次",
            value=counts.get(kind.pk, 0),
            year=year,
            quarter=quarter,
            records=activities.filter(kind=kind).select_related("kind"),
            section="四",
            notes=tuple(topics.get(kind.pk, ())),
        )
        for kind in ActivityKind.objects.all()
    ]
