from django.urls import path

from maturity.reports import views

_REPORT = "dealerships/<int:pk>/reports/<int:report_pk>/"

urlpatterns = [
    path(
        "dealerships/<int:pk>/assessments/<int:assessment_pk>/report/",
        views.report_create,
        name="report_create",
    ),
    path(_REPORT, views.report_detail, name="report_detail"),
    path(_REPORT + "status/", views.report_status, name="report_status"),
    path(_REPORT + "retry/", views.report_retry, name="report_retry"),
    path(_REPORT + "download/", views.report_download, name="report_download"),
]
