"""``/api/v1/``: every route of the API's first version. Paths and names never change
within ``v1`` (programs and the links sent to them rely on them); a breaking change makes
``v2`` beside it."""

from django.urls import path, re_path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView

from maturity.api import views

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "docs/",
        TemplateView.as_view(template_name="maturity/api/docs.html"),
        name="api_docs",
    ),
    path("dealerships/", views.DealershipList.as_view(), name="api_dealership_list"),
    path("dealerships/<int:pk>/", views.DealershipDetail.as_view(), name="api_dealership_detail"),
    path(
        "dealerships/<int:pk>/assessments/",
        views.AssessmentStart.as_view(),
        name="api_assessment_start",
    ),
    path(
        "dealerships/<int:pk>/roadmap/",
        views.DealershipRoadmap.as_view(),
        name="api_dealership_roadmap",
    ),
    path(
        "dealerships/<int:pk>/roadmap/<slug:action_key>/",
        views.DealershipRoadmapAction.as_view(),
        name="api_roadmap_status",
    ),
    path("assessments/", views.AssessmentList.as_view(), name="api_assessment_list"),
    path("assessments/<int:pk>/", views.AssessmentDetail.as_view(), name="api_assessment_detail"),
    path(
        "assessments/<int:pk>/questions/",
        views.AssessmentQuestions.as_view(),
        name="api_assessment_questions",
    ),
    path("assessments/<int:pk>/answers/", views.Answers.as_view(), name="api_answers"),
    path(
        "assessments/<int:pk>/answers/<slug:question_key>/",
        views.AnswerDetail.as_view(),
        name="api_answer",
    ),
    path(
        "assessments/<int:pk>/submit/",
        views.AssessmentSubmit.as_view(),
        name="api_assessment_submit",
    ),
    path(
        "assessments/<int:pk>/roadmap/",
        views.AssessmentRoadmap.as_view(),
        name="api_assessment_roadmap",
    ),
    path(
        "assessments/<int:pk>/reports/",
        views.AssessmentReports.as_view(),
        name="api_report_create",
    ),
    path("reports/", views.ReportList.as_view(), name="api_report_list"),
    path("reports/<int:pk>/", views.ReportDetail.as_view(), name="api_report_detail"),
    path("reports/<int:pk>/download/", views.ReportDownload.as_view(), name="api_report_download"),
    path("portfolio/", views.Portfolio.as_view(), name="api_portfolio"),
    # Anything else under /api/v1/ (a line break in a path too) answers in JSON.
    re_path(r"^[\s\S]*$", views.NotFound.as_view()),
]
