from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _

# Reference data every installation starts with; bureaus add their own kinds in the admin.
DEFAULT_ACTIVITY_KINDS = [
    ("policy_seminar", "政策宣讲会"),
    ("door_to_door", "上门宣讲"),
    ("meeting", "会议"),
    ("training", "培训"),
    ("exchange", "交流座谈"),
    ("site_visit", "实地考察"),
    ("diagnostic_visit", "调研诊断"),
    ("forum", "论坛"),
    ("gov_bank_meeting", "政银推进会"),
    ("bank_enterprise_matchmaking", "银企对接会"),
]


def _is_last_post_migrate_sender(sender) -> bool:
    """Whether `sender` is the last app that `migrate` (or `flush`) sends post_migrate for.

    Django sends the signal once per installed app with models, in INSTALLED_APPS order, and
    each app's permissions are created on its own signal: only on the last one do they all
    exist. Every app gets its signal on every migrate, also when only some apps migrated.
    """
    from django.apps import apps

    with_models = [c for c in apps.get_app_configs() if c.models_module is not None]
    return bool(with_models) and getattr(sender, "label", None) == with_models[-1].label


def _after_migrate(sender, **kwargs) -> None:
    from django.apps import apps

    from .migrating import app_is_migrated
    from .models import ActivityKind
    from .services import sync_role_groups

    # Once per migrate: on every app's signal the sync ran ~20 times, each run that found the
    # next app's new permissions writing permission-change events to the security log.
    if not _is_last_post_migrate_sender(sender):
        return
    if not all(
        app_is_migrated(apps.get_app_config(a), **kwargs) for a in ("auth", "bureau", "audit")
    ):
        return

    sync_role_groups()
    for order, (code, name) in enumerate(DEFAULT_ACTIVITY_KINDS):
        ActivityKind.objects.get_or_create(code=code, defaults={"name": name, "order": order})


class BureauConfig(AppConfig):
    name = "bureau"
    verbose_name = _("科技金融局")

    def ready(self) -> None:
        # After the last app migrates, so every model's permissions exist.
        post_migrate.connect(_after_migrate, dispatch_uid="bureau.after_migrate")
        # Any change to a model that figures read starts a new figures data version.
        from django.contrib.auth import get_user_model

        from .figures import on_model_change
        from .services import refuse_two_admin_roles

        m2m_changed.connect(
            refuse_two_admin_roles,
            sender=get_user_model().groups.through,
            dispatch_uid="bureau.one_admin_role",
        )

        for name, signal in [("save", post_save), ("delete", post_delete), ("m2m", m2m_changed)]:
            signal.connect(on_model_change, dispatch_uid=f"bureau.figures.{name}")
        # A version bump dropped while Redis was unreachable is made when it answers again.
        from .cache import on_recovery
        from .figures import start_new_version

        on_recovery(start_new_version)
        # A request that met a database outage answers 503 (bureau/outage.py).
        from django.core.signals import got_request_exception

        from .outage import mark_outage

        got_request_exception.connect(mark_outage, dispatch_uid="bureau.outage")
