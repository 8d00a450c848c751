from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("报告与看板")

    def ready(self) -> None:
        from bureau.figures import figures_changed

        from .tasks import schedule_warm

        figures_changed.connect(schedule_warm, dispatch_uid="reports.schedule_warm")
