"""Which identity provider vouches for an e-mail address (reads only)."""

from __future__ import annotations

from allauth.socialaccount.models import SocialApp

from dealers.models import normalise_email

PROVIDER = "openid_connect"


def app_domains(app: SocialApp) -> set[str]:
    """The e-mail domains ``app`` signs in (its ``settings["domains"]``, lower case)."""
    domains = (app.settings or {}).get("domains") or []
    if isinstance(domains, str):
        domains = domains.split(",")
    return {str(d).strip().lower().lstrip("@") for d in domains if str(d).strip()}


def email_domain(email: str) -> str:
    return normalise_email(email).rpartition("@")[2]


def sso_app_for_email(email: str) -> SocialApp | None:
    """The OpenID Connect application configured for the domain of ``email``, if any."""
    domain = email_domain(email)
    if not domain:
        return None
    for app in SocialApp.objects.filter(provider=PROVIDER).order_by("pk"):
        if domain in app_domains(app):
            return app
    return None
