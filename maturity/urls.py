"""Every page of the maturity app, one URL module per feature (names are stable: links in
e-mails, tests and templates use them)."""

from django.urls import include, path

urlpatterns = [
    path("", include("maturity.assessments.urls")),
    path("", include("maturity.results.urls")),
    path("", include("maturity.followup.urls")),
    path("", include("maturity.review.urls")),
    path("", include("maturity.reports.urls")),
    path("", include("maturity.dealership_data.urls")),
    # No id in the portfolio's URLs: scoping is in its selectors.
    path("", include("maturity.portfolio.urls")),
    path("", include("maturity.campaigns.urls")),
    # The network's figures: scoping by ``dealers.scoping.networks_for``.
    path("", include("maturity.network.urls")),
    path("", include("maturity.notifications.urls")),
    path("", include("maturity.webhooks.urls")),
    path("", include("maturity.measured.urls")),
    path("", include("maturity.measurements.leads.urls")),
    path("", include("maturity.measurements.reviews.urls")),
]
