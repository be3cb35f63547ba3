from django.urls import path

from maturity.followup import views

urlpatterns = [
    path("dealerships/<int:pk>/", views.dealer_home, name="dealership_detail"),
    path("dealerships/<int:pk>/roadmap/", views.roadmap_followup, name="roadmap_followup"),
    path(
        "dealerships/<int:pk>/roadmap/<slug:action_key>/",
        views.roadmap_status,
        name="roadmap_status",
    ),
    path(
        "dealerships/<int:pk>/roadmap/<slug:action_key>/plan/",
        views.roadmap_plan,
        name="roadmap_plan",
    ),
    path("dealerships/<int:pk>/target/", views.dealership_target, name="dealership_target"),
    path("dealerships/<int:pk>/remind/", views.draft_reminder_send, name="draft_reminder_send"),
    path("dealerships/<int:pk>/group/", views.dealership_group, name="dealership_group"),
    path("dealerships/<int:pk>/compare/", views.assessment_compare, name="assessment_compare"),
]
