"""The login page (password, then allauth's two-factor step) and the organisation login."""

from __future__ import annotations

from allauth.account.internal.flows.login import perform_login, record_authentication
from allauth.account.models import Login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.http import safe_next_url
from dealers.signin.forms import SsoForm
from dealers.signin.selectors import sso_app_for_email


class LoginView(auth_views.LoginView):
    """Django's login page; a right password hands over to allauth's login stages (the
    TOTP code when the person has turned it on), which then open the session."""

    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        login = Login(user=user, email_verification="none", redirect_url=self.get_success_url())
        # The password was just typed: it counts as the recent re-entry that allauth asks
        # for before turning TOTP on (ACCOUNT_REAUTHENTICATION_TIMEOUT), so the setup
        # that staff and consultants are sent to right after login does not ask again.
        record_authentication(
            self.request, user, method="password", email=user.email, reauthenticated=True
        )
        return perform_login(self.request, login)

    def get_context_data(self, **kwargs: object) -> dict:
        context = super().get_context_data(**kwargs)
        context.setdefault("sso_form", SsoForm())
        return context


@require_POST
def sso_start(request: HttpRequest) -> HttpResponse:
    """Send the person to their organisation's identity provider, found by the domain of
    the address they typed. A domain without one says so (no address is looked up)."""
    form = SsoForm(request.POST)
    app = sso_app_for_email(form.cleaned_data["email"]) if form.is_valid() else None
    if app is None:
        if form.is_valid():
            form.add_error(
                "email",
                _(
                    "No organisation login is set up for this address: log in with your "
                    "password, or ask your administrator."
                ),
            )
        return render(request, "dealers/signin/sso_start.html", {"form": form}, status=400)
    provider = app.get_provider(request)
    return provider.redirect(
        request,
        "login",
        next_url=safe_next_url(request, request.POST.get("next"), default="") or None,
        auth_params={**provider.get_auth_params(), "login_hint": form.cleaned_data["email"]},
    )
