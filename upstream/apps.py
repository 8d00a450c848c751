from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


@checks.register()
def check_specs(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """upstream.E001: every form spec in upstream/specs/ loads and validates."""
    from .specs import problems

    return [
        checks.Error(problem, hint="See docs/upstream.md, 'Adding a form'.", id="upstream.E001")
        for problem in problems()
    ]


@checks.register()
def check_rules(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """upstream.E002: every quality rule file in upstream/rules/ loads and validates."""
    from .quality import problems

    return [
        checks.Error(problem, hint="See docs/upstream.md, 'The quality gate'.", id="upstream.E002")
        for problem in problems()
    ]


class UpstreamConfig(AppConfig):
    name = "upstream"
    verbose_name = _("上报数据包")
