"""The product's admin site: Django's own, under the product's name.

``config.apps.AdminConfig`` makes this class the default site, so ``admin.site`` (used by
every ``@admin.register`` and by ``config/urls.py``) is an instance of it.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _


class AdminSite(admin.AdminSite):
    """Staff see the product's name, not Django's ("Django administration")."""

    site_header = _("Digital maturity administration")
    site_title = _("Digital maturity")
    index_title = _("Administration")

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """Staff log in on the product's page: its two-factor step and login throttling
        apply (Django's admin form would open the session on the password alone)."""
        target = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
        return redirect(f"{reverse('login')}?{urlencode({REDIRECT_FIELD_NAME: target})}")
