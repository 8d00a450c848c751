from django.urls import path

from . import views

app_name = "enterprises"

urlpatterns = [
    path("enterprises/", views.enterprise_list, name="list"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="detail"),
    path("enterprises/autocomplete/", views.enterprise_autocomplete, name="autocomplete"),
    path("ladder/board/", views.pipeline_board, name="board"),
    path("ladder/qualifications/", views.qualification_list, name="qualification_list"),
    path(
        "ladder/qualifications/<int:pk>/",
        views.qualification_detail,
        name="qualification_detail",
    ),
    path("ladder/prescreen/<slug:code>/", views.prescreen, name="prescreen"),
    path("ladder/reminders/", views.reminder_list, name="reminders"),
    path("portal/", views.portal_home, name="portal_home"),
    path("portal/profile/", views.portal_profile, name="portal_profile"),
    path("portal/quarterly/", views.portal_quarterly, name="portal_quarterly"),
    path(
        "portal/quarterly/<int:period_id>/",
        views.portal_quarterly_edit,
        name="portal_quarterly_edit",
    ),
    path("portal/items/", views.portal_items, name="portal_items"),
    path(
        "portal/quarterly/<int:period_id>/receipt/",
        views.portal_quarterly_receipt,
        name="portal_quarterly_receipt",
    ),
    path(
        "portal/annual/<int:year>/receipt/",
        views.portal_annual_receipt,
        name="portal_annual_receipt",
    ),
    path("portal/annual/", views.portal_annual, name="portal_annual"),
    path("portal/annual/<int:year>/", views.portal_annual_edit, name="portal_annual_edit"),
    path(
        "portal/qualifications/<int:pk>/",
        views.portal_qualification,
        name="portal_qualification",
    ),
]
