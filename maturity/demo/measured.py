"""Measured facts in the demo (``manage.py seed_demo``): lead-response tests and imported
customer reviews for the five reference dealerships, through the features' own services.

Each dealership gets a story the pages and the portfolio show: Auto Rivière answers fast
on its site but not on Facebook; Méga Motors lets a test go unanswered (an alert) and sees
its rating fall between two imports (another); Garage du Centre barely answers its reviews
(a third). Dates are counted from the day of the seed; a dealership that already has tests
or imports is left alone (idempotent).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from dealers.models import Dealership, User
from maturity.demo.people import CONSULTANTS
from maturity.measurements.leads.services import lead_test_record
from maturity.measurements.reviews.services import reviews_import
from maturity.models import LeadTest, ReviewImport

ALL = ["question_answered", "appointment_proposed", "named_contact", "follow_up_48h"]
# name -> [(channel, days ago, reply after hours or None, grid items, question)]
LEAD_TESTS = {
    "Auto Rivière": [
        ("website_form", 150, 1.5, ALL, "Le Peugeot 3008 d'occasion est-il encore disponible ?"),
        ("facebook", 140, None, [], "Bonjour, faites-vous la reprise de mon véhicule ?"),
        ("website_form", 40, 0.75, ALL[:3], "Puis-je essayer la 208 électrique samedi ?"),
        ("email", 35, 26, ALL[:1], "Quel est le délai pour une 2008 neuve ?"),
        ("facebook", 20, 50, ALL[:1], "Avez-vous des offres de LOA sur la 308 ?"),
        ("phone", 10, 0.1, ALL[:2], "Un rendez-vous atelier cette semaine ?"),
    ],
    "Méga Motors": [
        ("website_form", 30, None, [], "La Kia Sportage est-elle en stock ?"),
        ("email", 25, 70, ALL[:1], "Faites-vous des essais le dimanche ?"),
        ("instagram", 6, None, [], "Bonjour, le prix affiché est-il ferme ?"),
    ],
    "Garage du Centre": [
        ("phone", 60, 0.05, ALL, "Pouvez-vous faire la révision de ma C3 ?"),
        ("google", 12, 5, ALL[:2], "Êtes-vous ouverts le samedi matin ?"),
    ],
    "Groupe Horizon – Lyon": [
        ("website_form", 45, 0.3, ALL, "Je cherche un SUV hybride, que proposez-vous ?"),
        ("email", 15, 3, ALL[:3], "Quelles sont vos conditions de reprise ?"),
    ],
}
# name -> imports, oldest first: [(days ago, rows as (days ago, rating, reply after days))]
REVIEWS = {
    "Auto Rivière": [
        (60, [(d, 5 if d % 3 else 4, 1 if d % 2 else None) for d in range(70, 400, 9)]),
        (5, [(d, 5 if d % 4 else 3, 1) for d in range(6, 70, 5)]),
    ],
    "Méga Motors": [
        (90, [(d, 5 if d % 2 else 4, 2) for d in range(95, 300, 7)]),
        (3, [(d, 1 if d % 2 else 2, None) for d in range(4, 90, 3)]),
    ],
    "Garage du Centre": [
        (8, [(d, 4 if d % 7 else 2, 3 if d % 5 == 0 else None) for d in range(10, 500, 12)]),
    ],
    "Auto Sélection 44": [
        (14, [(d, 5 if d % 3 else 4, 1) for d in range(15, 200, 6)]),
    ],
}


def _moment(days_ago: float, now: datetime) -> datetime:
    moment = now - timedelta(days=days_ago)
    return moment.replace(hour=10, minute=0, second=0, microsecond=0)


def _csv(rows: list[tuple[int, int, int | None]], *, now: datetime) -> bytes:
    lines = ["date;note;texte;date de réponse"]
    for days_ago, rating, reply_days in rows:
        created = _moment(days_ago, now)
        replied = created + timedelta(days=reply_days) if reply_days is not None else None
        text = {5: "Très bon accueil", 4: "Bien", 3: "Moyen", 2: "Déçu", 1: "À éviter"}[rating]
        reply = replied.strftime("%d/%m/%Y %H:%M") if replied and replied < now else ""
        lines.append(f"{created:%d/%m/%Y %H:%M};{rating};{text};{reply}")
    return ("\n".join(lines) + "\n").encode()


def seed_measured() -> list[str]:
    claire = User.objects.filter(email=CONSULTANTS[0][0]).first()
    now = timezone.now()
    done = []
    for name, tests in LEAD_TESTS.items():
        dealership = Dealership.objects.filter(name=name).first()
        if dealership is None or LeadTest.objects.filter(dealership=dealership).exists():
            continue
        for channel, days_ago, reply_hours, items, question in tests:
            sent = _moment(days_ago, now)
            replied = sent + timedelta(hours=reply_hours) if reply_hours is not None else None
            lead_test_record(
                dealership=dealership,
                user=claire,
                channel=channel,
                question=question,
                sent_at=sent,
                replied_at=replied if replied and replied < now else None,
                grid_items=items if replied and replied < now else [],
            )
        done.append(f"lead tests: {name} ({len(tests)})")
    for name, imports in REVIEWS.items():
        dealership = Dealership.objects.filter(name=name).first()
        if dealership is None or ReviewImport.objects.filter(dealership=dealership).exists():
            continue
        for number, (days_ago, rows) in enumerate(imports, start=1):
            record = reviews_import(
                dealership=dealership,
                user=claire,
                data=_csv(rows, now=now),
                filename=f"avis-{number}.csv",
            )
            # As if imported back then (the rating alert compares two imports).
            ReviewImport.objects.filter(pk=record.pk).update(imported_at=_moment(days_ago, now))
        done.append(f"reviews: {name} ({len(imports)} imports)")
    return done
