from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaturityConfig(AppConfig):
    name = "maturity"
    verbose_name = _("Maturity assessments")

    def ready(self) -> None:
        from dealers.signals import website_url_changed
        from maturity.measured.receivers import on_website_url_changed

        website_url_changed.connect(on_website_url_changed, dispatch_uid="measured-website-url")

        from maturity.standing import receivers as standing_receivers

        standing_receivers.connect()
