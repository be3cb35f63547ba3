from django.urls import path

from maturity.portfolio import views

urlpatterns = [
    path("portfolio/", views.portfolio, name="portfolio"),
    path("portfolio/export.csv", views.portfolio_export_csv, name="portfolio_export_csv"),
    path("portfolio/export.xlsx", views.portfolio_export_xlsx, name="portfolio_export_xlsx"),
    path("portfolio/settings/", views.portfolio_settings, name="portfolio_settings"),
]
