"""Navigation of the base layout, chosen by the signed-in user's role."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .roles import Role


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_role": None}
    role = user.role
    items: list[tuple[str, str]] = []
    if role is Role.ENTERPRISE_USER:
        items = [
            (_("企业首页"), reverse("enterprises:portal_home")),
            (_("企业信息"), reverse("enterprises:portal_profile")),
            (_("季度填报"), reverse("enterprises:portal_quarterly")),
            (_("年度数据"), reverse("enterprises:portal_annual")),
        ]
    elif role in (Role.BUREAU_STAFF, Role.SYSTEM_ADMIN):
        items = [
            (_("工作台"), reverse("staff_home")),
            (_("领导看板"), reverse("reports:dashboard")),
            (_("企业库"), reverse("enterprises:list")),
            (_("工作活动"), reverse("activity_list")),
            (_("管理后台"), reverse("admin:index")),
        ]
    elif role is Role.LEADERSHIP:
        items = [
            (_("领导看板"), reverse("reports:dashboard")),
            (_("企业库"), reverse("enterprises:list")),
            (_("工作活动"), reverse("activity_list")),
        ]
    return {"nav_items": items, "user_role": role}
