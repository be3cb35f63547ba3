from django.urls import path

from maturity.network import views

urlpatterns = [
    path("network/", views.network_index, name="network"),
    path("network/<int:pk>/", views.network_dashboard, name="network_dashboard"),
]
