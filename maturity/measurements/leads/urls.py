"""Routes of lead-response tests (names are stable)."""

from django.urls import path

from maturity.measurements.leads import views

urlpatterns = [
    path("dealerships/<int:pk>/lead-tests/", views.lead_tests, name="lead_tests"),
    path("dealerships/<int:pk>/lead-tests/new/", views.lead_test_create, name="lead_test_create"),
    path(
        "dealerships/<int:pk>/lead-tests/<int:test_pk>/",
        views.lead_test_edit,
        name="lead_test_edit",
    ),
    path(
        "dealerships/<int:pk>/lead-tests/<int:test_pk>/delete/",
        views.lead_test_delete,
        name="lead_test_delete",
    ),
]
