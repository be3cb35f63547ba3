"""Staff set up an organisation's login: allauth's social application, checked.

An OpenID Connect application needs the provider's address and the e-mail domains it
signs in; one domain belongs to one provider (else who signs in a person would depend on
the order of the rows).
"""

from __future__ import annotations

from allauth.socialaccount.admin import SocialAppAdmin as BaseSocialAppAdmin
from allauth.socialaccount.admin import SocialAppForm as BaseSocialAppForm
from allauth.socialaccount.models import SocialApp
from django.contrib import admin
from django.utils.translation import gettext as _

from dealers.signin.selectors import PROVIDER, domains_of


class SocialAppForm(BaseSocialAppForm):
    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("provider") != PROVIDER:
            return cleaned
        settings = cleaned.get("settings")
        server_url = settings.get("server_url") if isinstance(settings, dict) else None
        if not isinstance(server_url, str) or not server_url.startswith(("https://", "http://")):
            self.add_error(
                "settings",
                _('Give the provider\'s address: {"server_url": "https://…", "domains": […]}.'),
            )
        domains = domains_of(settings)
        if not domains:
            self.add_error(
                "settings",
                _('Give the e-mail domains it signs in: "domains": ["example.com"].'),
            )
        others = SocialApp.objects.filter(provider=PROVIDER).exclude(pk=self.instance.pk)
        taken = sorted(d for app in others for d in domains_of(app.settings) if d in domains)
        if taken:
            self.add_error(
                "settings",
                _("Another organisation login already signs in %(domains)s.")
                % {"domains": ", ".join(taken)},
            )
        return cleaned


class SocialAppAdmin(BaseSocialAppAdmin):
    form = SocialAppForm
    list_display = ("name", "provider", "provider_id", "client_id")


if admin.site.is_registered(SocialApp):
    admin.site.unregister(SocialApp)
admin.site.register(SocialApp, SocialAppAdmin)
