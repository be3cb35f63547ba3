from allauth.account import views as allauth_views
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config.health import healthz
from dealers.signin import views as signin_views
from dealers.views import PasswordResetView

# The login page, under the name the product uses and the one allauth redirects to.
_login = signin_views.LoginView.as_view()

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # The REST API (maturity/api): versioned, token-authenticated, described by OpenAPI.
    path("api/v1/", include("maturity.api.urls")),
    path("accounts/login/", _login, name="login"),
    path("accounts/login/", _login, name="account_login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="account_logout"),
    # Two-factor sign-in (allauth): the code step, TOTP setup, recovery codes.
    path("accounts/2fa/", include("allauth.mfa.urls")),
    path("accounts/reauthenticate/", allauth_views.reauthenticate, name="account_reauthenticate"),
    path("accounts/inactive/", allauth_views.account_inactive, name="account_inactive"),
    # Organisation login (OpenID Connect): find the provider by domain, then allauth's.
    path("accounts/sso/", signin_views.sso_start, name="sso_start"),
    path("accounts/3rdparty/", include("allauth.socialaccount.urls")),
    path("accounts/", include("allauth.socialaccount.providers.openid_connect.urls")),
    # Django's, with a limit on the e-mails sent (dealers/throttling.py).
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("dealers.urls")),
    path("", include("maturity.urls")),
]
