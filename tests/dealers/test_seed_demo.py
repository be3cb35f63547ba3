from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dealers.models import Assignment, Dealership, Membership, User


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_it_creates_the_demo_world_and_prints_the_logins(db):
    output = _seed()
    assert Dealership.objects.count() >= 30
    assert User.objects.filter(is_consultant=True).count() == 2
    assert User.objects.filter(is_staff=True).exists()
    names = ("Garage du Centre", "Auto Rivière", "Méga Motors", "Groupe Horizon – Lyon")
    for name in (*names, "Auto Sélection 44"):
        assert Dealership.objects.filter(name=name).exists(), name
    assert "claire.conseil@demo.example" in output
    assert "sophie.martin@auto-selection-44.example" in output
    assert "31/31" in output  # the progress bar reached the end
    # Onboarding says what kind of dealer each one is.
    assert Dealership.objects.get(name="Auto Sélection 44").profile == "independent"
    assert Dealership.objects.get(name="Garage du Centre").profile == "brand_agent"
    assert set(Dealership.objects.values_list("profile", flat=True)) == {
        "brand_dealer",
        "brand_agent",
        "independent",
        "repairer",
    }
    # Every dealership has an owner and a consultant.
    assert not Dealership.objects.exclude(memberships__role="owner").exists()
    assert not Dealership.objects.filter(assignments__isnull=True).exists()
    # The README's table of demo logins tells the truth about Claire's portfolio.
    followed = Assignment.objects.filter(consultant__email="claire.conseil@demo.example").count()
    assert followed == 22
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert f"consultant (portfolio of {followed} dealerships)" in readme


def test_it_is_idempotent(db):
    _seed()
    counts = (
        Dealership.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Assignment.objects.count(),
    )
    _seed()
    assert counts == (
        Dealership.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Assignment.objects.count(),
    )


@pytest.fixture(autouse=True)
def _development(settings):
    settings.DEBUG = True  # the test runner turns DEBUG off; seed_demo is a development tool


def test_it_refuses_to_run_in_production(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        _seed()
