from django.urls import path

from maturity.results import views

urlpatterns = [
    path("assessments/<int:pk>/results/", views.assessment_results, name="assessment_results"),
    path(
        "dealerships/<int:pk>/assessments/<int:assessment_pk>/export.json",
        views.assessment_export_json,
        name="assessment_export_json",
    ),
    path(
        "dealerships/<int:pk>/assessments/<int:assessment_pk>/export.xlsx",
        views.assessment_export_xlsx,
        name="assessment_export_xlsx",
    ),
]
