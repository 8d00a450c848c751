"""Navigation of the base layout, chosen by the signed-in user's role.

Each app may add entries through `NAV` in its `nav.py`: a list of (order, label, url name,
roles) tuples. The bureau's own entries are below.
"""

from functools import cache
from importlib import import_module

from django.apps import apps
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .roles import Role

STAFF = (Role.BUREAU_STAFF, Role.SYSTEM_ADMIN)
BUREAU = (Role.BUREAU_STAFF, Role.LEADERSHIP, Role.SYSTEM_ADMIN)
ENTERPRISE = (Role.ENTERPRISE_USER,)

NAV = [
    (0, _("工作台"), "staff_home", STAFF),
    (5, _("领导看板"), "reports:dashboard", BUREAU),
    (10, _("企业库"), "enterprises:list", BUREAU),
    (80, _("工作活动"), "activity_list", BUREAU),
    (99, _("管理后台"), "admin:index", STAFF),
    (0, _("企业首页"), "enterprises:portal_home", ENTERPRISE),
    (1, _("企业信息"), "enterprises:portal_profile", ENTERPRISE),
    (2, _("季度填报"), "enterprises:portal_quarterly", ENTERPRISE),
    (3, _("年度数据"), "enterprises:portal_annual", ENTERPRISE),
]


@cache
def nav_entries() -> list[tuple]:
    entries = list(NAV)
    for config in apps.get_app_configs():
        if config.name == "bureau":
            continue
        try:
            module = import_module(f"{config.name}.nav")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.nav":
                raise
            continue
        entries.extend(module.NAV)
    return sorted(entries, key=lambda e: e[0])


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_role": None}
    role = user.role
    items = [(label, reverse(name)) for _o, label, name, roles in nav_entries() if role in roles]
    return {"nav_items": items, "user_role": role}
