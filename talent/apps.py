from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

PERSONAL_DATA_CODENAME = "view_personal_data"


def _ensure_programmes(**kwargs) -> None:
    """The programme kinds also after a flush (transactional tests), not only in migration
    0002; existing kinds are left as staff edited them."""
    from importlib import import_module

    from django.apps import apps

    from bureau.migrating import app_is_migrated

    if not app_is_migrated(apps.get_app_config("talent"), **kwargs):
        return

    import_module("talent.migrations.0002_programmes").forwards(apps, None)


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = _("人才与产学研")
    # `talent.view_personal_data` is never given to a role group automatically: it is listed in
    # bureau.roles.EXPLICIT_ONLY_PERMISSIONS and granted per user by a system admin.

    def ready(self) -> None:
        post_migrate.connect(_ensure_programmes, sender=self, dispatch_uid="talent-programmes")
