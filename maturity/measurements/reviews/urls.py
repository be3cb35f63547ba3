"""Routes of customer reviews (names are stable)."""

from django.urls import path

from maturity.measurements.reviews import views

urlpatterns = [
    path(
        "dealerships/<int:pk>/customer-reviews/",
        views.dealership_reviews,
        name="dealership_reviews",
    ),
    path(
        "dealerships/<int:pk>/customer-reviews/import/", views.review_import, name="review_import"
    ),
]
