from django.urls import path

from maturity.measured import views

_ASSESSMENT = "dealerships/<int:pk>/assessments/<int:assessment_pk>/"

urlpatterns = [
    path(
        "dealerships/<int:pk>/website-check/",
        views.website_check_request,
        name="website_check_request",
    ),
    path(
        "dealerships/<int:pk>/website-check/status/",
        views.website_check_status,
        name="website_check_status",
    ),
    path(_ASSESSMENT + "measured/confirm/", views.measured_confirm, name="measured_confirm"),
    path(_ASSESSMENT + "measured/unconfirm/", views.measured_unconfirm, name="measured_unconfirm"),
]
