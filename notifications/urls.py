from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/<int:pk>/read/", views.notification_read, name="read"),
    path("notifications/read-all/", views.notification_read_all, name="read_all"),
    path("notifications/preferences/", views.preferences, name="preferences"),
    path("staff/inbox/", views.inbox, name="inbox"),
    path("staff/inbox/<int:pk>/take/", views.inbox_take, name="inbox_take"),
    path("staff/inbox/<int:pk>/handle/", views.inbox_handle, name="inbox_handle"),
    path("staff/filing/", views.filing_overview, name="filing_overview"),
    path("staff/filing/<int:period_id>/", views.filing_status, name="filing_status"),
    path("staff/filing/<int:period_id>/remind/", views.filing_remind, name="filing_remind"),
    path("staff/reminders/notify/", views.qualification_notify, name="qualification_notify"),
]
