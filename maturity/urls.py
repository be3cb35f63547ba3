from django.urls import include, path

from maturity.views import (
    assessments,
    compare,
    dealership_data,
    feedback,
    followup,
    reports,
    results,
)

_ASSESSMENT = "dealerships/<int:pk>/assessments/<int:assessment_pk>/"
_REPORT = "dealerships/<int:pk>/reports/<int:report_pk>/"

urlpatterns = [
    path(
        "dealerships/<int:pk>/assessments/start/",
        assessments.assessment_start,
        name="assessment_start",
    ),
    path(_ASSESSMENT, assessments.assessment_detail, name="assessment_detail"),
    path(
        _ASSESSMENT + "steps/<slug:area>/",
        assessments.assessment_step,
        name="assessment_step",
    ),
    path(
        _ASSESSMENT + "answers/<slug:question_key>/",
        assessments.answer_save,
        name="answer_save",
    ),
    path(_ASSESSMENT + "review/", assessments.assessment_review, name="assessment_review"),
    path(_ASSESSMENT + "submit/", assessments.assessment_submit, name="assessment_submit"),
    path("assessments/<int:pk>/results/", results.assessment_results, name="assessment_results"),
    # Dealer home follow-up, review, compare, export (issue 6).
    path("dealerships/<int:pk>/roadmap/", followup.roadmap_followup, name="roadmap_followup"),
    path(
        "dealerships/<int:pk>/roadmap/<slug:action_key>/",
        followup.roadmap_status,
        name="roadmap_status",
    ),
    path("dealerships/<int:pk>/group/", followup.dealership_group, name="dealership_group"),
    path("dealerships/<int:pk>/compare/", compare.assessment_compare, name="assessment_compare"),
    path(_ASSESSMENT + "feedback/", feedback.assessment_feedback, name="assessment_feedback"),
    path(
        _ASSESSMENT + "evidence/<slug:question_key>/",
        feedback.evidence_verify,
        name="evidence_verify",
    ),
    path(
        _ASSESSMENT + "export.json",
        compare.assessment_export_json,
        name="assessment_export_json",
    ),
    # PDF roadmaps (issue 5): generate, watch the job, download through a scoped view.
    path(_ASSESSMENT + "report/", reports.report_create, name="report_create"),
    path(_REPORT, reports.report_detail, name="report_detail"),
    path(_REPORT + "status/", reports.report_status, name="report_status"),
    path(_REPORT + "retry/", reports.report_retry, name="report_retry"),
    path(_REPORT + "download/", reports.report_download, name="report_download"),
    # Consultant portfolio (issue 6): no id in these URLs, scoping is in the selectors.
    path("dealerships/<int:pk>/data/", dealership_data.dealership_data, name="dealership_data"),
    path(
        "dealerships/<int:pk>/data/export.json",
        dealership_data.dealership_data_download,
        name="dealership_data_download",
    ),
    path(
        "dealerships/<int:pk>/data/delete/",
        dealership_data.dealership_data_erase,
        name="dealership_data_erase",
    ),
    path("", include("maturity.portfolio.urls")),
]
