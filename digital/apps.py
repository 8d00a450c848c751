from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_questionnaire(**kwargs) -> None:
    """The 2024 questionnaire also after a flush (transactional tests), not only in migration
    0002; loading an edition that exists changes nothing."""
    from django.apps import apps

    from bureau.migrating import app_is_migrated

    from .editions import EDITIONS_DIR, load_edition, read_edition
    from .models import QuestionnaireVersion

    if not app_is_migrated(apps.get_app_config("digital"), **kwargs):
        return

    if not QuestionnaireVersion.objects.filter(code="2024").exists():
        load_edition(read_edition(EDITIONS_DIR / "2024.json"))


class DigitalConfig(AppConfig):
    name = "digital"
    verbose_name = _("数字化赋能")

    def ready(self) -> None:
        post_migrate.connect(_ensure_questionnaire, sender=self, dispatch_uid="digital-edition")
