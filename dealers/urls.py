from django.urls import path

from dealers import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dealerships/", views.dealership_list, name="dealership_list"),
    # The dealership page itself is the dealer home: maturity.followup.views.dealer_home.
    path("dealerships/<int:pk>/invite/", views.invitation_create, name="invitation_create"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("accounts/me/", views.account, name="account"),
    path("accounts/me/tokens/", views.access_token_create, name="access_token_create"),
    path(
        "accounts/me/tokens/<int:pk>/revoke/",
        views.access_token_revoke,
        name="access_token_revoke",
    ),
]
