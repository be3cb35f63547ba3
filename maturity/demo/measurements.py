"""Demo website measurements, stored directly (the demo needs no network).

What the website check would find on the reference dealers' sites, true to
``shared/personas.md``: Auto Rivière's old site has no mobile view (it declared "partly"),
Méga Motors' address is a manufacturer locator page (no website of its own), Groupe
Horizon's site passes every check, Auto Sélection 44 has no online booking. Two generated
dealerships raise the portfolio's measured alerts: a website that does not answer, and
stock pages gone since last month. Their latest results are rescored with the facts.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from dealers.models import Dealership
from maturity.demo.people import PERSONAS
from maturity.measurements.website import CHECK_KEYS
from maturity.models import Measurement, MeasurementCheck
from maturity.results.services import result_refresh_measured

MEGA_MOTORS_LOCATOR = "https://concessions.citroen.fr/mega-motors-merignac/"
_PLATFORM = (None, "a manufacturer dealer-locator page: this belongs to the platform")

# name -> {check: (ok, evidence)}; checks not named could not tell.
REFERENCE = {
    "Auto Rivière": {
        "own_domain": (
            True,
            "auto-riviere.example is neither a manufacturer locator nor a marketplace",
        ),
        "https": (True, "https://auto-riviere.example/ answers over HTTPS; http redirects"),
        "mobile": (False, 'https://auto-riviere.example/: no <meta name="viewport">'),
        "contact_form": (True, 'https://auto-riviere.example/contact: <form action="/envoi">'),
        "booking": (False, "no appointment or quote form on the 4 pages read"),
        "click_to_call": (False, "no tel: link on the 4 pages read (a number as text)"),
        "stock": (False, "no schema.org Car/Vehicle/Offer markup on the 4 pages read"),
        "social_links": (True, "facebook.com/autoriviere.example"),
        "analytics": (True, "Google Analytics 4 tag"),
        "fresh": (False, "Last-Modified 2021-04-12 (far more than 180 days)"),
    },
    "Méga Motors": {
        "own_domain": (
            False,
            f"{MEGA_MOTORS_LOCATOR}: concessions.citroen.fr is a manufacturer dealer-locator "
            "host (concessions.citroen.fr)",
        ),
        "https": _PLATFORM,
        "mobile": _PLATFORM,
        "contact_form": (False, "no contact form on the 1 page read"),
        "booking": (False, "no appointment or quote form on the 1 page read"),
        "click_to_call": (False, "no tel: link on the 1 page read"),
        "stock": (False, "no schema.org Car/Vehicle/Offer markup on the 1 page read"),
        "social_links": (True, "facebook.com/megamotors.merignac"),
        "analytics": _PLATFORM,
        "fresh": _PLATFORM,
    },
    "Groupe Horizon – Lyon": {
        "own_domain": (True, "lyon.groupe-horizon.example is the dealership's own domain"),
        "https": (True, "HTTPS, http redirects, HSTS"),
        "mobile": (True, '<meta name="viewport" content="width=device-width">'),
        "contact_form": (True, '/contact: <form action="/contact/envoyer">'),
        "booking": (True, "/atelier/rendez-vous: appointment form"),
        "click_to_call": (True, '<a href="tel:+33472000000">'),
        "stock": (True, "214 vehicle item(s); first: schema.org Car 'BMW Série 1' (json-ld)"),
        "social_links": (True, "facebook, instagram, linkedin, youtube"),
        "analytics": (True, "Google Analytics 4 with a consent manager"),
        "fresh": (True, "newest sitemap <lastmod> 3 days before the check"),
    },
    "Auto Sélection 44": {
        "own_domain": (True, "www.auto-selection-44.example is the dealership's own domain"),
        "https": (True, "HTTPS, http redirects"),
        "mobile": (True, '<meta name="viewport" content="width=device-width">'),
        "contact_form": (True, '/contact: <form action="/message">'),
        "booking": (False, "no appointment or quote form on the 6 pages read"),
        "click_to_call": (True, '<a href="tel:+33240000000">'),
        "stock": (True, "58 vehicle item(s); first: schema.org Car 'Peugeot 208' (json-ld)"),
        "social_links": (True, "facebook, instagram"),
        "analytics": (True, "Google Tag Manager"),
        "fresh": (True, "newest sitemap <lastmod> 2 days before the check"),
    },
}


def _store(
    dealership: Dealership,
    url: str,
    checks: dict,
    *,
    days_ago: int = 0,
    status: str = Measurement.Status.OK,
    reason: str = "",
) -> Measurement:
    finished = timezone.now() - timedelta(days=days_ago)
    measurement = Measurement.objects.create(
        dealership=dealership,
        url=url,
        final_url=url,
        status=status,
        reason=reason,
        trigger=Measurement.Trigger.DEMO,
        started_at=finished - timedelta(seconds=20),
        finished_at=finished,
    )
    if status == Measurement.Status.OK:
        MeasurementCheck.objects.bulk_create(
            MeasurementCheck(
                measurement=measurement,
                key=key,
                ok=checks.get(key, (None, ""))[0],
                evidence=checks.get(key, (None, "could not tell"))[1],
                details={"count": int(checks[key][1].split()[0])}
                if key == "stock" and checks.get(key, (None, ""))[0]
                else {},
            )
            for key in CHECK_KEYS
        )
    return measurement


@transaction.atomic
def seed_measurements() -> list[str]:
    """Create the demo measurements that do not exist yet; return what was created."""
    created: list[str] = []
    names = {p.name for p in PERSONAS}
    for name, checks in REFERENCE.items():
        dealership = Dealership.objects.filter(name=name).first()
        if dealership is None or dealership.measurements.exists():
            continue
        if name == "Méga Motors" and not dealership.website_url:
            # Its only "website": the locator entry (personas.md).
            dealership.website_url = MEGA_MOTORS_LOCATOR
            dealership.save(update_fields=["website_url"])
        _store(dealership, dealership.website_url, checks)
        result_refresh_measured(dealership_id=dealership.pk)
        created.append(f"website measurement: {name}")
    others = list(
        Dealership.objects.exclude(website_url="").exclude(name__in=names).order_by("pk")[:2]
    )
    if len(others) == 2 and not any(d.measurements.exists() for d in others):
        down, gone = others
        full = REFERENCE["Groupe Horizon – Lyon"]
        _store(down, down.website_url, full, days_ago=33)
        _store(
            down,
            down.website_url,
            {},
            status=Measurement.Status.FAILED,
            reason="connection refused by the server",
        )
        _store(gone, gone.website_url, {**full, "stock": (True, "14 vehicle item(s)")}, days_ago=31)
        _store(
            gone,
            gone.website_url,
            {**full, "stock": (False, "no schema.org Car/Vehicle/Offer markup")},
        )
        created += [f"website unreachable: {down.name}", f"stock pages gone: {gone.name}"]
    return created
