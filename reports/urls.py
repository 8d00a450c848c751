from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/figures/<str:key>/", views.figure_records, name="figure_records"),
    path("summaries/", views.summary_list, name="summary_list"),
    path("summaries/new/", views.summary_create, name="summary_create"),
    path("summaries/<int:year>/", views.summary_preview, name="summary_preview"),
    path("summaries/<int:year>/edit/", views.summary_edit, name="summary_edit"),
    path("summaries/<int:year>/regenerate/", views.summary_regenerate, name="summary_regenerate"),
    path("summaries/<int:year>/rounding/", views.summary_rounding, name="summary_rounding"),
    path("summaries/<int:year>/plan/new/", views.plan_item_edit, name="plan_item_add"),
    path("summaries/<int:year>/plan/<int:pk>/", views.plan_item_edit, name="plan_item_edit"),
    path("summaries/<int:year>/export/", views.export_request, name="export_request"),
    path(
        "summaries/sections/<int:section_id>/paragraphs/new/",
        views.paragraph_add,
        name="paragraph_add",
    ),
    path("summaries/paragraphs/<int:pk>/", views.paragraph_edit, name="paragraph_edit"),
    path("exports/<int:pk>/", views.export_status, name="export_status"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("summary-templates/", views.template_upload, name="template_upload"),
    path("summary-templates/default.docx", views.template_default, name="template_default"),
]
