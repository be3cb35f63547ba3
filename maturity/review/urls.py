from django.urls import path

from maturity.review import views

_ASSESSMENT = "dealerships/<int:pk>/assessments/<int:assessment_pk>/"

urlpatterns = [
    path(_ASSESSMENT + "feedback/", views.assessment_feedback, name="assessment_feedback"),
    path(
        _ASSESSMENT + "evidence/<slug:question_key>/",
        views.evidence_verify,
        name="evidence_verify",
    ),
]
