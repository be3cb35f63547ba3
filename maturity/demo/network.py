"""The demo network for ``manage.py seed_demo`` (idempotent): a federation of dealerships
in the west of France, its manager Nadia and enough assessments to fill her dashboard.

Eighteen dealerships of their own (Marc follows them, so that Claire's demo morning stays
as it is), each assessed two or one quarter ago; then Marc's autumn campaign asks all of
them again and twelve submit, so the dashboard has a rung distribution, medians by
region and by profile (Normandy and two profiles stay under the rule of five: the page
says so), a trend over three quarters and a campaign two thirds complete. The answers
are drawn from a fixed seed: every run creates the same data.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from dealers.models import (
    Assignment,
    Brand,
    DealerProfile,
    Dealership,
    Membership,
    Network,
    Region,
    User,
)
from maturity.assessments.progress import visible_keys
from maturity.assessments.services import answers_save, assessment_start, assessment_submit
from maturity.campaigns.mailing import send_campaign_messages
from maturity.campaigns.services import campaign_launch
from maturity.demo.people import CONSULTANTS, DEMO_PASSWORD, DemoLogin
from maturity.engine.answers import random_answer
from maturity.models import Assessment, Campaign, Notification
from maturity.network.services import network_aggregate_rebuild
from maturity.standing.services import standings_rebuild

NETWORK_NAME = "Fédération Auto Grand Ouest"
MANAGER = ("nadia.reseau@demo.example", "Nadia Benhamou")
CAMPAIGN_TITLE = "Point d'automne de la fédération"
CAMPAIGN_MESSAGE = "Avant l'assemblée de la fédération, merci de refaire le point en ligne."
RESUBMITTED = 12  # of the campaign's eighteen

# (name, city, region, profile): seven in Brittany, seven in the Pays de la Loire, four
# in Normandy (fewer than five: not shown by region).
MEMBERS = (
    ("Ouest Automobiles", "Quimper", Region.BRE, DealerProfile.BRAND_DEALER),
    ("Garage de l'Odet", "Quimper", Region.BRE, DealerProfile.BRAND_AGENT),
    ("Vannes Autos", "Vannes", Region.BRE, DealerProfile.BRAND_DEALER),
    ("Lorient Motors", "Lorient", Region.BRE, DealerProfile.BRAND_DEALER),
    ("Émeraude Auto", "Saint-Malo", Region.BRE, DealerProfile.BRAND_DEALER),
    ("Garage des Remparts", "Saint-Malo", Region.BRE, DealerProfile.INDEPENDENT),
    ("Armor Véhicules", "Saint-Brieuc", Region.BRE, DealerProfile.BRAND_DEALER),
    ("Loire Automobiles", "Saint-Nazaire", Region.PDL, DealerProfile.BRAND_DEALER),
    ("Garage du Maine", "Laval", Region.PDL, DealerProfile.BRAND_AGENT),
    ("Vendée Autos", "La Roche-sur-Yon", Region.PDL, DealerProfile.BRAND_DEALER),
    ("Cholet Motors", "Cholet", Region.PDL, DealerProfile.BRAND_DEALER),
    ("Sarthe Automobiles", "Sablé-sur-Sarthe", Region.PDL, DealerProfile.BRAND_DEALER),
    ("Garage de l'Erdre", "Carquefou", Region.PDL, DealerProfile.INDEPENDENT),
    ("Anjou Véhicules", "Saumur", Region.PDL, DealerProfile.BRAND_DEALER),
    ("Cotentin Autos", "Cherbourg-en-Cotentin", Region.NOR, DealerProfile.BRAND_DEALER),
    ("Garage du Bessin", "Bayeux", Region.NOR, DealerProfile.BRAND_AGENT),
    ("Seine Automobiles", "Évreux", Region.NOR, DealerProfile.BRAND_DEALER),
    ("Côte Fleurie Autos", "Lisieux", Region.NOR, DealerProfile.BRAND_AGENT),
)
BRANDS = (("Renault",), ("Peugeot",), ("Citroën", "DS"), ("Toyota",), ("Kia",))


def _slug(name: str) -> str:
    kept = "".join(c if c.isalnum() else "-" for c in name.lower())
    return "-".join(part for part in kept.split("-") if part)


def _person(email: str, full_name: str, **extra: object) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _answer(assessment: Assessment, user: User, rng: random.Random, *, dont_know: float) -> None:
    """Answer every question the draft shows (what is already answered included)."""
    definition = assessment.definition
    revisions = dict(assessment.answers.values_list("question_key", "revision"))
    answers: dict = {}
    for area in definition.areas:
        for question in area.questions:
            if question.key in visible_keys(definition, answers):
                answers[question.key] = random_answer(question, rng, dont_know_rate=dont_know)
    page = {key: (value, revisions.get(key, 0)) for key, value in answers.items()}
    errors = answers_save(assessment=assessment, answers=page, user=user)
    if errors:
        raise ValueError(f"{assessment.dealership}: demo answers refused ({errors})")


def _dealerships(marc: User) -> list[Dealership]:
    shops = []
    for index, (name, city, region, profile) in enumerate(MEMBERS):
        dealership, _created = Dealership.objects.get_or_create(
            name=name,
            city=city,
            defaults={"region": region, "size_band": "medium", "profile": profile},
        )
        brands = BRANDS[index % len(BRANDS)]
        dealership.brands.add(*(Brand.objects.get_or_create(name=b)[0] for b in brands))
        owner = _person(f"direction@{_slug(name)}.example", f"Direction {name}")
        Membership.objects.get_or_create(
            user=owner, dealership=dealership, defaults={"role": Membership.Role.OWNER}
        )
        Assignment.objects.get_or_create(consultant=marc, dealership=dealership)
        shops.append(dealership)
    return shops


def _owner(dealership: Dealership) -> User:
    return dealership.memberships.select_related("user").order_by("pk").first().user


def seed_network() -> tuple[list[str], list[DemoLogin]]:
    """Create the network, its manager and its assessments when missing; return what was
    created and the manager's login."""
    marc = User.objects.filter(email=CONSULTANTS[1][0]).first()
    if marc is None:
        return [], []
    created: list[str] = []
    network, new = Network.objects.get_or_create(name=NETWORK_NAME)
    if new:
        created.append(f"network: {NETWORK_NAME}")
    shops = _dealerships(marc)
    network.dealerships.add(*shops)
    manager = _person(*MANAGER)
    if manager.network_id != network.pk:
        manager.network = network
        manager.save(update_fields=["network"])

    rng = random.Random(2027)  # fixed: the same answers every time
    now = timezone.now()
    for index, dealership in enumerate(shops):
        if dealership.assessments.submitted().exists():
            continue
        owner = _owner(dealership)
        draft, _new = assessment_start(dealership=dealership, user=owner)
        _answer(draft, owner, rng, dont_know=0.1)
        assessment_submit(assessment=draft, user=owner)
        # Two quarters ago for half of them, one quarter ago for the others.
        Assessment.objects.filter(pk=draft.pk).update(
            created_at=now - timedelta(days=200 if index % 2 else 100),
            submitted_at=now - timedelta(days=190 if index % 2 else 95),
        )
        # Months old: like the demo's history, no "submitted" notice for it (the campaign's
        # new submissions below tell the consultant once each).
        Notification.objects.filter(
            kind=Notification.Kind.SUBMITTED, dealership=dealership
        ).delete()
        created.append(f"submitted assessment: {dealership.name}")

    if not Campaign.objects.filter(title=CAMPAIGN_TITLE).exists():
        campaign = campaign_launch(
            user=marc,
            dealerships=shops,
            title=CAMPAIGN_TITLE,
            message=CAMPAIGN_MESSAGE,
            due_date=timezone.localdate() + timedelta(days=14),
            reminder_every_days=7,
            reminder_max=2,
        )
        send_campaign_messages(campaign_id=campaign.pk)
        for entry in campaign.participants.select_related("assessment", "dealership").order_by(
            "pk"
        )[:RESUBMITTED]:
            owner = _owner(entry.dealership)
            # A better year: fewer "don't know" than the first time.
            _answer(entry.assessment, owner, rng, dont_know=0.02)
            assessment_submit(assessment=entry.assessment, user=owner)
        created.append(f"campaign: {CAMPAIGN_TITLE} ({RESUBMITTED}/{len(shops)} submitted)")
    # The submission dates moved by ``update`` above (no signal): the portfolio's order.
    standings_rebuild(dealership_ids=[shop.pk for shop in shops])
    # The dashboard at once, without waiting for the worker or the hourly rebuild.
    network_aggregate_rebuild()
    return created, [DemoLogin(MANAGER[0], f"network manager · {NETWORK_NAME}")]
