from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("institutions/", views.institution_list, name="institution_list"),
    path("products/", views.product_list, name="product_list"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("needs/", views.need_list, name="need_list"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("signings/", views.signing_list, name="signing_list"),
    path("signings/<int:pk>/", views.signing_detail, name="signing_detail"),
    path("schemes/", views.scheme_list, name="scheme_list"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path("portal/needs/", views.portal_needs, name="portal_needs"),
    path("portal/needs/<int:pk>/", views.portal_need_detail, name="portal_need_detail"),
    path("portal/needs/<int:pk>/edit/", views.portal_need_edit, name="portal_need_edit"),
    path(
        "portal/needs/<int:pk>/withdraw/", views.portal_need_withdraw, name="portal_need_withdraw"
    ),
    path("portal/needs/<int:pk>/receipt/", views.portal_need_receipt, name="portal_need_receipt"),
    path("portal/signings/<int:pk>/", views.portal_signing_detail, name="portal_signing_detail"),
]
