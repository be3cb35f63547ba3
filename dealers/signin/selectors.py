"""Which identity provider vouches for an e-mail address (reads only)."""

from __future__ import annotations

from allauth.socialaccount.models import SocialApp

from dealers.models import normalise_email

PROVIDER = "openid_connect"


def domains_of(settings: object) -> set[str]:
    """The e-mail domains in an application's ``settings`` (``{"domains": [...]}``, or a
    comma-separated string), lower case; anything malformed gives none."""
    domains = settings.get("domains") if isinstance(settings, dict) else None
    if isinstance(domains, str):
        domains = domains.split(",")
    if not isinstance(domains, list):
        return set()
    return {d.strip().lower().lstrip("@") for d in domains if isinstance(d, str) and d.strip()}


def app_domains(app: SocialApp) -> set[str]:
    """The e-mail domains ``app`` signs in."""
    return domains_of(app.settings)


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
