from django.urls import path

from . import views

app_name = "talent"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("talents/", views.talent_list, name="talent_list"),
    path("talents/<int:pk>/", views.talent_detail, name="talent_detail"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("activities/", views.activity_list, name="activity_list"),
    path("institutions/", views.institution_list, name="institution_list"),
    path("institutions/<int:pk>/", views.institution_detail, name="institution_detail"),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("demands/", views.demand_list, name="demand_list"),
    path("demands/<int:pk>/", views.demand_detail, name="demand_detail"),
    path("demands/<int:pk>/confirm/", views.demand_confirm, name="demand_confirm"),
    path("matches/<int:pk>/agreement/", views.match_agreement, name="match_agreement"),
    path("portal/talents/", views.portal_talents, name="portal_talents"),
    path("portal/talents/new/", views.portal_talent_edit, name="portal_talent_create"),
    path("portal/talents/<int:pk>/", views.portal_talent_edit, name="portal_talent_edit"),
    path("portal/demands/", views.portal_demands, name="portal_demands"),
    path("portal/demands/<int:pk>/edit/", views.portal_demand_edit, name="portal_demand_edit"),
    path(
        "portal/demands/<int:pk>/withdraw/",
        views.portal_demand_withdraw,
        name="portal_demand_withdraw",
    ),
    path(
        "portal/demands/<int:pk>/receipt/",
        views.portal_demand_receipt,
        name="portal_demand_receipt",
    ),
]
