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


def _facts_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    """post_save/post_delete of a model pre-screening reads (selectors.facts_for): recompute
    the enterprise's results when the transaction commits."""
    if raw:
        return
    from . import prescreening

    enterprise_id = instance.pk if sender.__name__ == "Enterprise" else instance.enterprise_id
    prescreening.note_changed([enterprise_id])


def _kinds_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    """A kind's rule family, ladder rank or state changes every enterprise's results."""
    if raw:
        return
    from django.db import transaction

    from . import prescreening

    if not prescreening.bulk_writing():
        transaction.on_commit(prescreening.queue_refresh_all, robust=True)


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("企业")

    def ready(self) -> None:
        post_migrate.connect(
            _ensure_qualification_kinds, sender=self, dispatch_uid="enterprises-kinds"
        )
        from django.db.models.signals import post_delete, post_save

        from .models import (
            AnnualFigures,
            Enterprise,
            InnovationProfile,
            Qualification,
            QualificationKind,
        )

        # Every input of selectors.facts_for (quarterly figures are not one).
        for model in (Enterprise, AnnualFigures, Qualification, InnovationProfile):
            for signal in (post_save, post_delete):
                signal.connect(
                    _facts_changed, sender=model, dispatch_uid=f"prescreen-{model.__name__}"
                )
        for signal in (post_save, post_delete):
            signal.connect(_kinds_changed, sender=QualificationKind, dispatch_uid="prescreen-kinds")
