from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IncubationConfig(AppConfig):
    name = "incubation"
    verbose_name = _("创新载体")

    def ready(self) -> None:
        from .reference import ensure_rd_platform_kinds

        # Reference data also after a flush (transactional tests), not only in the migration.
        post_migrate.connect(ensure_rd_platform_kinds, sender=self, dispatch_uid="incubation-kinds")
