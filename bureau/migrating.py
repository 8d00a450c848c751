"""Helpers for the apps' post_migrate hooks (reference data that must exist after a flush)."""

from __future__ import annotations

from django.apps import AppConfig
from django.apps import apps as global_apps


def app_is_migrated(config: AppConfig, /, **kwargs) -> bool:
    """Whether every model of `config` exists in the state a post_migrate signal describes.

    `migrate <app> zero` (or back to an earlier migration) also sends post_migrate, with the
    state after the reversal in `kwargs["apps"]`; a hook that writes reference data through
    the real models must then do nothing, or it fails on the tables the reversal dropped.
    """
    state = kwargs.get("apps") or global_apps
    for model in config.get_models():
        try:
            state.get_model(model._meta.app_label, model._meta.model_name)
        except LookupError:
            return False
    return True
