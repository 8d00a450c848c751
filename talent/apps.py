from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

PERSONAL_DATA_CODENAME = "view_personal_data"


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = _("人才与产学研")
    # `talent.view_personal_data` is never given to a role group automatically: it is listed in
    # bureau.roles.EXPLICIT_ONLY_PERMISSIONS and granted per user by a system admin.
