from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dealers import selectors, services, throttling
from dealers.forms import (
    AcceptInvitationForm,
    AccessTokenForm,
    DealershipProfileForm,
    InvitationForm,
)
from dealers.models import (
    Dealership,
    Invitation,
    Membership,
    PersonalAccessToken,
    User,
    normalise_email,
)
from dealers.permissions import can_edit_profile, can_manage_contacts, can_use_portfolio
from dealers.scoping import get_scoped_or_404
from dealers.signin.forms import SsoForm


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to the page they start from."""
    if can_use_portfolio(request.user):
        # Their home is the portfolio (maturity.portfolio): table, rungs, heat map, alerts.
        return redirect("portfolio")
    only = list(selectors.dealership_list(user=request.user)[:2])
    if not only and request.user.network_id is not None:
        # A network manager's home is the network dashboard (maturity.network).
        return redirect("network")
    if len(only) == 1:
        return redirect("dealership_detail", pk=only[0].pk)
    return redirect("dealership_list")


@login_required
def dealership_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").replace("\x00", "").strip()  # PostgreSQL: no NUL
    if can_use_portfolio(request.user):
        # The portfolio supersedes this plain list for them; old links keep their search.
        url = reverse("portfolio")
        return redirect(f"{url}?{urlencode({'q': search})}" if search else url)
    page = Paginator(selectors.dealership_list(user=request.user, search=search), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "dealers/dealership_list.html", {"page": page, "search": search})


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request: HttpRequest, pk: int) -> HttpResponse:
    dealership = get_scoped_or_404(Dealership.objects.all(), request.user, pk=pk)
    if not can_manage_contacts(user=request.user, dealership=dealership):
        raise PermissionDenied
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation = services.invitation_create(
            invited_by=request.user, dealership=dealership, **form.cleaned_data
        )
        messages.success(
            request,
            _("Invitation sent to %(email)s. The link is valid for a week.")
            % {"email": invitation.email},
        )
        return redirect("dealership_detail", pk=dealership.pk)
    pending = dealership.invitations.filter(accepted_at__isnull=True).order_by("-created_at")[:10]
    return render(
        request,
        "dealers/invitation_form.html",
        {"dealership": dealership, "form": form, "pending": pending},
    )


@login_required
@require_http_methods(["GET", "POST"])
def dealership_profile(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner says what kind of dealer it is (not scored) and where it is online."""
    dealership = get_scoped_or_404(Dealership.objects.select_related("group"), request.user, pk=pk)
    if not can_edit_profile(user=request.user, dealership=dealership):
        raise PermissionDenied
    initial = {
        "profile": dealership.profile,
        "website_url": dealership.website_url,
        "social_urls": "\n".join(dealership.social_urls or []),
    }
    form = DealershipProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.dealership_profile_update(dealership=dealership, changes=form.cleaned_data)
        messages.success(request, _("The dealership's profile is saved."))
        return redirect("dealership_detail", pk=dealership.pk)
    return render(
        request, "dealers/dealership_profile.html", {"dealership": dealership, "form": form}
    )


def _joined(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    """Where someone who just joined goes: an owner first checks the dealership's profile."""
    if invitation.role == Membership.Role.OWNER:
        messages.info(
            request,
            _("Please check what kind of dealership %(name)s is: your questions depend on it.")
            % {"name": invitation.dealership.name},
        )
        return redirect("dealership_profile", pk=invitation.dealership_id)
    return redirect("dealership_detail", pk=invitation.dealership_id)


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.objects.find_by_token(token)
    if invitation is None or not invitation.is_usable:
        reason = (
            "unknown" if invitation is None else ("used" if invitation.accepted_at else "expired")
        )
        return render(request, "dealers/invitation_unusable.html", {"reason": reason}, status=410)

    existing = User.objects.filter(email=normalise_email(invitation.email)).first()
    if existing is not None:
        # The address already has an account: joining needs that account's session.
        if request.user != existing:
            login_url = reverse("login") + "?next=" + request.path
            return render(
                request,
                "dealers/invitation_login.html",
                {"invitation": invitation, "login_url": login_url},
            )
        if request.method == "POST":
            services.invitation_accept(token=token, password="", existing_user=existing)
            messages.success(
                request, _("You have joined %(name)s.") % {"name": invitation.dealership.name}
            )
            return _joined(request, invitation)
        return render(request, "dealers/invitation_join.html", {"invitation": invitation})

    form = AcceptInvitationForm(
        request.POST or None,
        email=invitation.email,
        initial={"full_name": invitation.full_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                password=form.cleaned_data["password1"],
                full_name=form.cleaned_data["full_name"],
            )
        except services.InvitationError:
            return render(
                request, "dealers/invitation_unusable.html", {"reason": "used"}, status=410
            )
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            # The backend that loads people (the last one: the first only throttles).
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[-1])
            messages.success(request, _("Welcome! Your account is ready."))
            if invitation.role == Membership.Role.OWNER:
                return _joined(request, invitation)
            return redirect("home")
    return render(
        request, "dealers/invitation_accept.html", {"invitation": invitation, "form": form}
    )


def login_locked_out(
    request: HttpRequest, credentials: dict | None = None, *args: object, **kwargs: object
) -> HttpResponse:
    """Too many failed logins: the same answer whether or not the account exists."""
    form = AuthenticationForm(request, initial={"username": (credentials or {}).get("username")})
    return render(
        request,
        "registration/login.html",
        {
            "form": form,
            "sso_form": SsoForm(),
            "locked_out": True,
            "next": request.POST.get("next", ""),
        },
        status=429,
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, sending at most a few e-mails per address and per client
    address (``dealers.throttling``). Beyond, the same redirect and page, and no e-mail."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        allowed = throttling.password_reset_allowed(
            email=form.cleaned_data["email"], client=get_client_ip_address(self.request)
        )
        if allowed:
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


# --- my account: personal access tokens for the API ------------------------------------


def _account_page(
    request: HttpRequest, form: AccessTokenForm, *, secret: str = "", status: int = 200
) -> HttpResponse:
    tokens = list(selectors.access_tokens_of(user=request.user))
    response = render(
        request,
        "dealers/account.html",
        {
            "form": form,
            "secret": secret,
            "tokens": tokens,
            "active_count": sum(1 for t in tokens if t.is_active),
        },
        status=status,
    )
    if secret:
        # The one page that ever shows the secret: no copy in any cache.
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    """My account: who I am, my password, my API tokens (created, last used, revoked)."""
    return _account_page(request, AccessTokenForm())


@login_required
def access_token_create(request: HttpRequest) -> HttpResponse:
    """Create a token and show its secret, once: the page is the POST's answer, never a
    redirect (a redirect would have to carry the secret in the session or a cookie)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = AccessTokenForm(request.POST)
    if not form.is_valid():
        return _account_page(request, form, status=400)
    try:
        _token, secret = services.access_token_create(
            user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
    except services.TooManyTokens:
        form.add_error(
            None,
            _("You already have %(n)s active tokens: revoke one you no longer use first.")
            % {"n": settings.API_TOKENS_PER_USER},
        )
        return _account_page(request, form, status=400)
    return _account_page(request, AccessTokenForm(), secret=secret)


@login_required
@require_http_methods(["GET", "POST"])
def access_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for confirmation (GET), then stop the token for good (POST). Only one's own
    tokens: anybody else's is a 404, like one that does not exist."""
    token = get_object_or_404(PersonalAccessToken, pk=pk, user=request.user)
    if request.method == "POST":
        services.access_token_revoke(token=token, by=request.user)
        messages.success(
            request,
            _("The token “%(name)s” is revoked: programs using it are refused from now on.")
            % {"name": token.name},
        )
        return redirect("account")
    return render(request, "dealers/access_token_revoke.html", {"token": token})
