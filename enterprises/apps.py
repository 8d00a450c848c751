from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_qualification_kinds(**kwargs) -> None:
    """The ladder's qualification kinds also after a flush (transactional tests), not only in
    migration 0003; existing kinds are left as staff edited them."""
    from importlib import import_module

    from django.apps import apps

    from bureau.migrating import app_is_migrated

    if not app_is_migrated(apps.get_app_config("enterprises"), **kwargs):
        return

    import_module("enterprises.migrations.0003_qualification_kinds_and_overlap").add_kinds(
        apps, None
    )


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("企业")

    def ready(self) -> None:
        post_migrate.connect(
            _ensure_qualification_kinds, sender=self, dispatch_uid="enterprises-kinds"
        )
