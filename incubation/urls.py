from django.urls import path

from . import views

app_name = "incubation"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("incubators/", views.incubator_list, name="incubator_list"),
    path("incubators/<int:pk>/", views.incubator_detail, name="incubator_detail"),
    path("incubators/<int:pk>/admit/", views.tenant_admit, name="tenant_admit"),
    path("tenants/", views.tenant_list, name="tenant_list"),
    path("tenants/<int:pk>/end/", views.tenant_end, name="tenant_end"),
    path("platforms/", views.platform_list, name="platform_list"),
    path("platforms/<int:pk>/", views.platform_detail, name="platform_detail"),
    path("recognitions/", views.recognition_list, name="recognition_list"),
    path("recognitions/<int:pk>/", views.recognition_detail, name="recognition_detail"),
    path("move/<slug:kind>/<int:pk>/", views.application_move, name="application_move"),
    path("enterprises/<int:pk>/", views.enterprise_carriers, name="enterprise_carriers"),
    path("portal/", views.portal_carriers, name="portal_carriers"),
    path("portal/platforms/<int:pk>/", views.portal_platform, name="portal_platform"),
    path("portal/recognitions/<int:pk>/", views.portal_recognition, name="portal_recognition"),
]
