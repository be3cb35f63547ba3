"""The product's admin site: Django's own, under the product's name.

``config.apps.AdminConfig`` makes this class the default site, so ``admin.site`` (used by
every ``@admin.register`` and by ``config/urls.py``) is an instance of it.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class AdminSite(admin.AdminSite):
    """Staff see the product's name, not Django's ("Django administration")."""

    site_header = _("Digital maturity administration")
    site_title = _("Digital maturity")
    index_title = _("Administration")
