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
    path(
        "dealerships/<int:pk>/website-checks/",
        views.WebsiteCheckRequest.as_view(),
        name="api_website_check_request",
    ),
    path("website-checks/", views.WebsiteCheckList.as_view(), name="api_website_check_list"),
    path(
        "website-checks/<int:pk>/",
        views.WebsiteCheckDetail.as_view(),
        name="api_website_check_detail",
    ),
    path(
        "dealerships/<int:pk>/lead-tests/",
        views.LeadTestCreate.as_view(),
        name="api_lead_test_create",
    ),
    path("lead-tests/", views.LeadTestList.as_view(), name="api_lead_test_list"),
    path("lead-tests/<int:pk>/", views.LeadTestDetail.as_view(), name="api_lead_test_detail"),
    path(
        "dealerships/<int:pk>/review-imports/",
        views.ReviewImportCreate.as_view(),
        name="api_review_import_create",
    ),
    path("review-imports/", views.ReviewImportList.as_view(), name="api_review_import_list"),
    path(
        "review-imports/<int:pk>/",
        views.ReviewImportDetail.as_view(),
        name="api_review_import_detail",
    ),
    path("campaigns/", views.CampaignList.as_view(), name="api_campaign_list"),
    path("campaigns/<int:pk>/", views.CampaignDetail.as_view(), name="api_campaign_detail"),
    # Anything else under /api/v1/ (a line break in a path too) answers in JSON.
    re_path(r"^[\s\S]*$", views.NotFound.as_view()),
]
