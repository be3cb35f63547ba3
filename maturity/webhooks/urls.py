from django.urls import path

from maturity.webhooks import views

urlpatterns = [
    path("webhooks/", views.endpoint_list, name="webhooks"),
    path("webhooks/new/", views.endpoint_create, name="webhook_create"),
    path("webhooks/<int:pk>/", views.endpoint_detail, name="webhook_detail"),
    path("webhooks/<int:pk>/edit/", views.endpoint_edit, name="webhook_edit"),
    path("webhooks/<int:pk>/secret/", views.endpoint_secret, name="webhook_secret"),
    path("webhooks/<int:pk>/enable/", views.endpoint_enable, name="webhook_enable"),
    path("webhooks/<int:pk>/delete/", views.endpoint_delete, name="webhook_delete"),
    path("webhooks/<int:pk>/test/", views.endpoint_test, name="webhook_test"),
    path(
        "webhooks/<int:pk>/deliveries/<int:delivery>/resend/",
        views.delivery_resend,
        name="webhook_delivery_resend",
    ),
]
