from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


@checks.register(checks.Tags.security, deploy=False)
def check_private_root(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """evidence.E001: the locker's files must not lie where media or static files are served."""
    from django.conf import settings

    from .storage import is_public

    if is_public(settings.EVIDENCE_ROOT):
        return [
            checks.Error(
                f"EVIDENCE_ROOT ({settings.EVIDENCE_ROOT}) lies under a publicly served directory.",
                hint="Point EVIDENCE_ROOT outside MEDIA_ROOT, STATIC_ROOT and STATICFILES_DIRS.",
                id="evidence.E001",
            )
        ]
    return []


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = _("证明材料库")
