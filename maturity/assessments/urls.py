from django.urls import path

from maturity.assessments import views

_ASSESSMENT = "dealerships/<int:pk>/assessments/<int:assessment_pk>/"

urlpatterns = [
    path(
        "dealerships/<int:pk>/assessments/start/",
        views.assessment_start,
        name="assessment_start",
    ),
    path(_ASSESSMENT, views.assessment_detail, name="assessment_detail"),
    path(_ASSESSMENT + "steps/<slug:area>/", views.assessment_step, name="assessment_step"),
    path(
        _ASSESSMENT + "steps/<slug:area>/delegate/",
        views.assessment_delegate,
        name="assessment_delegate",
    ),
    path(
        _ASSESSMENT + "answers/<slug:question_key>/",
        views.answer_save,
        name="answer_save",
    ),
    path(_ASSESSMENT + "review/", views.assessment_review, name="assessment_review"),
    path(_ASSESSMENT + "submit/", views.assessment_submit, name="assessment_submit"),
]
