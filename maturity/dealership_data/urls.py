from django.urls import path

from maturity.dealership_data import views

urlpatterns = [
    path("dealerships/<int:pk>/data/", views.dealership_data, name="dealership_data"),
    path(
        "dealerships/<int:pk>/data/export.zip",
        views.dealership_data_download,
        name="dealership_data_download",
    ),
    path(
        "dealerships/<int:pk>/data/delete/",
        views.dealership_data_erase,
        name="dealership_data_erase",
    ),
]
