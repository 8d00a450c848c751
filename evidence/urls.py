from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("evidence/", views.staff_list, name="list"),
    path("evidence/<int:pk>/download/", views.download, name="download"),
    path("evidence/notify/", views.notify, name="notify"),
    path(
        "evidence/qualifications/<int:pk>/link/",
        views.link_qualification,
        name="link_qualification",
    ),
    path("portal/evidence/", views.portal_list, name="portal_list"),
    path("portal/evidence/<int:pk>/", views.portal_edit, name="portal_edit"),
    path("portal/evidence/<int:pk>/delete/", views.portal_delete, name="portal_delete"),
]
