"""Application configurations that give third-party apps the product's words.

``INSTALLED_APPS`` names these classes in place of ``"django.contrib.admin"`` and
``"axes"``. Both keep the app's name and label, hence its tables, migrations,
permissions and URLs; only what staff read changes.
"""

from __future__ import annotations

from axes.apps import AppConfig as BaseAxesConfig
from django.contrib.admin.apps import AdminConfig as BaseAdminConfig
from django.utils.translation import gettext_lazy as _


class AdminConfig(BaseAdminConfig):
    """The admin, with the product's site (``config.admin.AdminSite``) as the default.

    Django's documented way to customise the default site. The branding lives in one class
    and applies before any page is rendered. Assigning ``admin.site.site_header`` from
    ``config/urls.py`` instead would depend on that module having been imported. Every
    ``@admin.register`` and ``admin.site.urls`` keep working unchanged.
    """

    default_site = "config.admin.AdminSite"


class AxesConfig(BaseAxesConfig):
    """django-axes, under a name that says what it does for staff (not "Axes")."""

    verbose_name = _("Login throttling")
