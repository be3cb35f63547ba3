"""Demo people and dealerships for ``manage.py seed_demo`` (idempotent).

The five reference dealers of ``shared/personas.md`` (A to E) are among them; the other
dealerships are generated from a fixed seed so every run creates the same data. Each has
a dealer profile (brand dealer, brand agent, independent, body shop), as onboarding sets.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from django.contrib.auth.hashers import make_password
from django.db import transaction

from dealers.models import (
    Assignment,
    Brand,
    DealerGroup,
    DealerProfile,
    Dealership,
    Membership,
    Region,
    User,
)

# Demo accounts only: seed_demo refuses to run with DEBUG off unless forced.
DEMO_PASSWORD = "demo-concession-2026"  # noqa: S105


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str


STAFF = ("admin@demo.example", "Sophie Admin")
CONSULTANTS = (
    ("claire.conseil@demo.example", "Claire Martin"),
    ("marc.conseil@demo.example", "Marc Lefèvre"),
)


@dataclass(frozen=True)
class DemoDealership:
    name: str
    city: str
    region: str
    brands: tuple[str, ...]
    size_band: str
    profile: str = DealerProfile.BRAND_DEALER
    group: str | None = None
    website_url: str = ""
    social_urls: tuple[str, ...] = ()
    language: str = "fr"
    owner: tuple[str, str] | None = None
    member: tuple[str, str] | None = None


PERSONAS = (
    DemoDealership(
        "Garage du Centre",
        "Issoire",
        Region.ARA,
        ("Citroën",),
        "small",
        profile=DealerProfile.BRAND_AGENT,
        owner=("jean.dupuis@garage-du-centre.example", "Jean Dupuis"),
    ),
    DemoDealership(
        "Auto Rivière",
        "Saint-Omer",
        Region.HDF,
        ("Renault", "Dacia"),
        "medium",
        website_url="https://auto-riviere.example",
        social_urls=("https://www.facebook.com/autoriviere.example",),
        owner=("paul.riviere@auto-riviere.example", "Paul Rivière"),
        member=("lea.vendeuse@auto-riviere.example", "Léa Morel"),
    ),
    DemoDealership(
        "Méga Motors",
        "Mérignac",
        Region.NAQ,
        ("Toutes marques (occasion)",),
        "large",
        profile=DealerProfile.INDEPENDENT,
        social_urls=(
            "https://www.facebook.com/megamotors.example",
            "https://www.instagram.com/megamotors.example",
            "https://www.tiktok.com/@megamotors.example",
        ),
        owner=("karim.benali@mega-motors.example", "Karim Benali"),
    ),
    DemoDealership(
        "Groupe Horizon – Lyon",
        "Lyon",
        Region.ARA,
        ("BMW", "MINI"),
        "large",
        group="Groupe Horizon",
        website_url="https://lyon.groupe-horizon.example",
        social_urls=(
            "https://www.facebook.com/horizonlyon.example",
            "https://www.instagram.com/horizonlyon.example",
            "https://www.linkedin.com/company/groupe-horizon-example",
            "https://www.youtube.com/@groupehorizon-example",
        ),
        owner=("isabelle.roche@groupe-horizon.example", "Isabelle Roche"),
        member=("thomas.marketing@groupe-horizon.example", "Thomas Garnier"),
    ),
    DemoDealership(
        "Auto Sélection 44",
        "Nantes",
        Region.PDL,
        ("Toutes marques (occasion)",),
        "small",
        profile=DealerProfile.INDEPENDENT,
        website_url="https://www.auto-selection-44.example",
        social_urls=(
            "https://www.facebook.com/autoselection44.example",
            "https://www.instagram.com/autoselection44.example",
        ),
        owner=("sophie.martin@auto-selection-44.example", "Sophie Martin"),
    ),
)
# The generated dealerships: (city, region, profile, brands). Chosen so that the peer
# rule (at least PEER_MIN_OTHERS other dealerships with a result) holds for the reference
# dealers' regions, brands and profiles once the history is seeded: six or more assessed
# dealerships in Auvergne-Rhône-Alpes, Hauts-de-France, Nouvelle-Aquitaine and Pays de la
# Loire, sharing Citroën, Renault/Dacia, BMW/MINI or "all makes", of every profile.
_B, _A, _I, _R = (
    DealerProfile.BRAND_DEALER,
    DealerProfile.BRAND_AGENT,
    DealerProfile.INDEPENDENT,
    DealerProfile.REPAIRER,
)
_USED = ("Toutes marques (occasion)",)
_TABLE = (
    ("Rennes", Region.BRE, _B, ("Peugeot",)),
    ("Lille", Region.HDF, _B, ("Renault", "Dacia")),
    ("Villeurbanne", Region.ARA, _B, ("BMW", "MINI")),
    ("Bordeaux", Region.NAQ, _A, ("Citroën",)),
    ("Nantes", Region.PDL, _I, _USED),
    ("Amiens", Region.HDF, _R, ("Renault",)),
    ("Grenoble", Region.ARA, _B, ("BMW", "MINI")),
    ("Limoges", Region.NAQ, _I, _USED),
    ("Strasbourg", Region.GES, _B, ("Toyota",)),
    ("Le Mans", Region.PDL, _A, ("Renault",)),
    ("Clermont-Ferrand", Region.ARA, _A, ("Citroën",)),
    ("Arras", Region.HDF, _R, ("Citroën", "DS")),
    ("Angers", Region.PDL, _B, ("BMW", "MINI")),
    ("Pau", Region.NAQ, _R, ("Renault", "Dacia")),
    ("Lens", Region.HDF, _I, _USED),
    ("Annecy", Region.ARA, _R, ("BMW",)),
    ("La Rochelle", Region.NAQ, _B, ("Citroën", "DS")),
    ("Versailles", Region.IDF, _B, ("Kia",)),
    ("Saint-Nazaire", Region.PDL, _R, ("Renault", "Dacia")),
    ("Dunkerque", Region.HDF, _A, ("Renault",)),
    ("Niort", Region.NAQ, _A, ("Citroën",)),
    ("Brest", Region.BRE, _I, _USED),
    ("Laval", Region.PDL, _R, ("Citroën",)),
    ("Valenciennes", Region.HDF, _B, ("BMW", "MINI")),
    ("Toulouse", Region.OCC, _B, ("Ford",)),
    ("Metz", Region.GES, _R, ("Toyota",)),
)
# Positions in _TABLE of the dealerships the demo shows as not assessed yet: the first
# (its first draft half-way, ``demo.assessments``), one whose first draft is nearly done
# and two never started (``demo.history`` gives every other one its past assessments).
NEVER_ASSESSED = (0, 8, 17, 24)

_PREFIXES = ("Garage", "Auto", "Espace", "Centre Auto", "Automobiles", "Sud Auto", "Atlantique")
_SURNAMES = (
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Blanc",
    "Guerin",
    "Muller",
)


def _generated() -> Iterator[DemoDealership]:
    rng = random.Random(2026)  # fixed: the same demo every time
    for index, (city, region, profile, brands) in enumerate(_TABLE):
        surname = _SURNAMES[index % len(_SURNAMES)]
        name = f"{rng.choice(_PREFIXES)} {surname}"
        group = "Groupe Horizon" if city in {"Villeurbanne", "Grenoble"} else None
        if group:
            name = f"Groupe Horizon – {city}"
        slug = name.lower().replace(" ", "-").replace("–", "").replace("--", "-")
        yield DemoDealership(
            name=name,
            city=city,
            region=region,
            brands=brands,
            size_band=rng.choice(("small", "medium", "medium", "large")),
            profile=profile,
            group=group,
            website_url=f"https://{slug}.example" if rng.random() < 0.7 else "",
            language="en" if index % 9 == 4 else "fr",
            owner=(
                f"direction@{slug}.example".replace(" ", ""),
                f"{rng.choice(('Anne', 'Luc', 'Nina', 'Hugo', 'Emma', 'Louis'))} {surname}",
            ),
        )


def demo_dealerships() -> tuple[DemoDealership, ...]:
    return PERSONAS + tuple(_generated())


@cache
def _demo_password_hash() -> str:
    # Hashed once for every demo account: the hasher is slow on purpose (about a second
    # per account on a small machine), and they all share one known password anyway.
    return make_password(DEMO_PASSWORD)


def _user(email: str, full_name: str, **extra: object) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, **extra}
    )
    if created:
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def seed_people(*, progress: Callable[[int, int], None] | None = None) -> list[DemoLogin]:
    """Create staff, consultants, dealerships and their members; return the demo logins."""
    _user(STAFF[0], STAFF[1], is_staff=True, is_superuser=True)
    consultants = [_user(email, name, is_consultant=True) for email, name in CONSULTANTS]
    entries = demo_dealerships()
    for index, entry in enumerate(entries):
        group = DealerGroup.objects.get_or_create(name=entry.group)[0] if entry.group else None
        dealership, _created = Dealership.objects.get_or_create(
            name=entry.name,
            city=entry.city,
            defaults={
                "region": entry.region,
                "size_band": entry.size_band,
                "profile": entry.profile,
                "group": group,
                "website_url": entry.website_url,
                "social_urls": list(entry.social_urls),
                "language": entry.language,
            },
        )
        dealership.brands.add(*(Brand.objects.get_or_create(name=b)[0] for b in entry.brands))
        for person, role in ((entry.owner, Membership.Role.OWNER), (entry.member, "member")):
            if person:
                Membership.objects.get_or_create(
                    user=_user(person[0], person[1], language=entry.language),
                    dealership=dealership,
                    defaults={"role": role},
                )
        # Claire follows the reference dealers and most others; Marc the rest.
        consultant = consultants[0] if index < len(PERSONAS) or index % 3 else consultants[1]
        Assignment.objects.get_or_create(consultant=consultant, dealership=dealership)
        if progress:
            progress(index + 1, len(entries))
    logins = [DemoLogin(STAFF[0], "staff")]
    logins += [DemoLogin(email, "consultant") for email, _name in CONSULTANTS]
    logins += [DemoLogin(p.owner[0], f"owner · {p.name}") for p in PERSONAS if p.owner]
    return logins
