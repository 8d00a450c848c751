from django.urls import path

from . import views

app_name = "digital"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("assessments/", views.assessment_list, name="assessment_list"),
    path("assessments/new/", views.assessment_create, name="assessment_create"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/reopen/", views.assessment_reopen, name="assessment_reopen"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("deliveries/", views.delivery_list, name="delivery_list"),
    path("project/", views.project_list, name="project_list"),
    path("project/<int:pk>/", views.project_detail, name="project_detail"),
    path("demonstrations/", views.demonstrations, name="demonstrations"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("portal/", views.portal_assessments, name="portal_assessments"),
    path("portal/<int:pk>/", views.portal_assessment_edit, name="portal_assessment_edit"),
    path(
        "portal/<int:pk>/receipt/",
        views.portal_assessment_receipt,
        name="portal_assessment_receipt",
    ),
]
