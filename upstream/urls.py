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
]
