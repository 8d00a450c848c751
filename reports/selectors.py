"""What the dashboard reads: published figures (bureau.figures) and the year's targets."""

from dataclasses import dataclass
from decimal import Decimal

from bureau.figures import Figure, collect
from bureau.models import Target


@dataclass
class TargetProgress:
    target: Target
    figure: Figure | None

    @property
    def value(self):
        return None if self.figure is None else self.figure.value

    @property
    def percent(self) -> int | None:
        if self.value is None or not self.target.target_value:
            return None
        return min(100, int(Decimal(self.value) * 100 / self.target.target_value))


def dashboard_data(year: int, quarter: int | None = None) -> dict:
    figures = collect(year, quarter)
    targets = [
        TargetProgress(t, figures.get(t.figure_key)) for t in Target.objects.filter(year=year)
    ]
    return {"figures": figures, "targets": targets}
