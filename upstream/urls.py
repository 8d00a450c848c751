from django.urls import path

from . import views

app_name = "upstream"

urlpatterns = [
    path("upstream/", views.bulk, name="bulk"),
    path("upstream/enterprises/<int:pk>/", views.enterprise_packs, name="enterprise_packs"),
    path(
        "upstream/<slug:code>/<int:year>/enterprises/<int:pk>/",
        views.enterprise_pack,
        name="enterprise_pack",
    ),
    path("portal/upstream/", views.portal_packs, name="portal_packs"),
    path("upstream/explanations/", views.explanation_queue, name="explanations"),
    path(
        "upstream/explanations/<int:pk>/review/",
        views.explanation_review,
        name="explanation_review",
    ),
    path("portal/upstream/explanations/", views.portal_explanations, name="portal_explanations"),
    path(
        "portal/upstream/explanations/<int:pk>/",
        views.portal_explanation,
        name="portal_explanation",
    ),
]
