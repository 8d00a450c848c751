"""What other apps add to shared pages: home-page reminders, enterprise profile sections and
the leadership dashboard's panels.

An app with something for an enterprise user to do defines
`portal_reminders(enterprise) -> list[tuple[str, str]]` (text, URL) in its `selectors.py`; one
with something for bureau staff to follow up defines `staff_reminders(day) -> list[tuple[str,
str]]`. Each should cost a constant number of queries.
"""

import datetime
from functools import cache
from importlib import import_module

from django.apps import apps


@cache
def _sources(name: str) -> list:
    found = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.selectors")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.selectors":
                raise
            continue
        if hasattr(module, name):
            found.append(getattr(module, name))
    return found


def portal_reminders(enterprise) -> list[tuple[str, str]]:
    """Every app's reminders for this enterprise, in app order."""
    return [item for source in _sources("portal_reminders") for item in source(enterprise)]


def staff_reminders(day: datetime.date) -> list[tuple[str, str]]:
    """Every app's follow-ups for bureau staff on `day`, in app order."""
    return [item for source in _sources("staff_reminders") for item in source(day)]


def profile_sections(enterprise, request=None) -> list[str]:
    """What other apps show on an enterprise's profile page for bureau roles, rendered: each
    app's `profile_section(enterprise) -> (template name, context)` in its selectors."""
    from django.template.loader import render_to_string

    return [
        render_to_string(template, context, request)
        for template, context in (source(enterprise) for source in _sources("profile_section"))
    ]


def profile_parts(enterprise, request=None) -> list[tuple[str, str, str]]:
    """The same sections as `profile_sections`, each with its app's label and name, so that
    the profile page can list them in its table of contents: (anchor, title, html)."""
    from django.template.loader import render_to_string

    parts = []
    for source in _sources("profile_section"):
        config = apps.get_containing_app_config(source.__module__)
        template, context = source(enterprise)
        html = render_to_string(template, context, request)
        parts.append((config.label, str(config.verbose_name), html))
    return parts


def dashboard_panels(year: int, request=None) -> list[str]:
    """Each app's section of the leadership dashboard for `year`, rendered: the app's
    `dashboard_panel(year) -> (template name, context)` in its selectors."""
    from django.template.loader import render_to_string

    return [
        render_to_string(template, context, request)
        for template, context in (source(year) for source in _sources("dashboard_panel"))
    ]
