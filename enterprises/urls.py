from django.urls import path

from . import views

app_name = "enterprises"

urlpatterns = [
    path("enterprises/", views.enterprise_list, name="list"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="detail"),
    path("portal/", views.portal_home, name="portal_home"),
    path("portal/profile/", views.portal_profile, name="portal_profile"),
    path("portal/quarterly/", views.portal_quarterly, name="portal_quarterly"),
    path(
        "portal/quarterly/<int:period_id>/",
        views.portal_quarterly_edit,
        name="portal_quarterly_edit",
    ),
    path("portal/annual/", views.portal_annual, name="portal_annual"),
    path("portal/annual/<int:year>/", views.portal_annual_edit, name="portal_annual_edit"),
]
