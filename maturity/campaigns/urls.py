from django.urls import path

from maturity.campaigns import views

urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/close/", views.campaign_close, name="campaign_close"),
    path("campaigns/<int:pk>/export.csv", views.campaign_export_csv, name="campaign_export_csv"),
    path("campaigns/<int:pk>/export.xlsx", views.campaign_export_xlsx, name="campaign_export_xlsx"),
]
