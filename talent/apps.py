from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

PERSONAL_DATA_CODENAME = "view_personal_data"


def _withhold_personal_data_permission(sender, **kwargs) -> None:
    """Take `talent.view_personal_data` back from the role groups after bureau's sync.

    bureau.services.sync_role_groups gives staff every permission of the domain apps and
    leadership every `view_*` one; personal data must instead be granted explicitly, per user
    (or through a group a system admin creates for the purpose).
    """
    from django.contrib.auth.models import Group, Permission

    from bureau.roles import Role

    perm = Permission.objects.filter(
        content_type__app_label="talent", codename=PERSONAL_DATA_CODENAME
    ).first()
    if perm is None:
        return
    for role in (Role.BUREAU_STAFF, Role.LEADERSHIP, Role.ENTERPRISE_USER):
        group = Group.objects.filter(name=role.group_name).first()
        if group is not None:
            group.permissions.remove(perm)


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = _("人才与产学研")

    def ready(self) -> None:
        # Connected after bureau's receiver (apps are readied in INSTALLED_APPS order), so it
        # runs after every sync.
        post_migrate.connect(
            _withhold_personal_data_permission, dispatch_uid="talent.withhold_personal_data"
        )
