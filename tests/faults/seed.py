"""Test data for the fault tests, written into the private database by a subprocess.

Run as ``python -m tests.faults.seed`` with the stack's environment (``DEBUG=0``): it
prints one JSON line the fixtures read. Much lighter than ``seed_demo`` (one login, two
dealerships): password hashing of the demo's forty accounts took about a minute on a
busy machine.

- ``submitted``: a dealership with a submitted assessment (reference persona A), whose
  PDF the report tests render;
- ``draft``: another dealership of the same owner with an empty draft, for autosave.
"""

from __future__ import annotations

import json

import django

EMAIL = "owner@faults.example"
CONSULTANT = "consultant@faults.example"
# A throwaway account in a throwaway database.
PASSWORD = "faults-concession-2026"


def seed() -> dict:
    from dealers.models import Assignment, Dealership, Membership, Region, SizeBand, User
    from maturity import selectors
    from maturity.assessments.services import answers_save, assessment_start, assessment_submit
    from maturity.demo.personas import load_personas

    user = User.objects.create_user(email=EMAIL, password=PASSWORD, full_name="Fanny Pannes")

    def dealership(name: str) -> Dealership:
        created = Dealership.objects.create(
            name=name, city="Nantes", region=Region.PDL, size_band=SizeBand.SMALL
        )
        Membership.objects.create(user=user, dealership=created, role=Membership.Role.OWNER)
        return created

    persona = load_personas()[0]
    submitted_dealership = dealership("Garage des Pannes")
    submitted, _created = assessment_start(dealership=submitted_dealership, user=user)
    rows = selectors.answer_rows(assessment=submitted)
    page = {
        key: (value, rows[key].revision if key in rows else 0)
        for key, value in persona.answers.items()
    }
    errors = answers_save(assessment=submitted, answers=page, user=user)
    if errors:
        raise RuntimeError(f"persona answers refused: {errors}")
    assessment_submit(assessment=submitted, user=user)

    consultant = User.objects.create_user(
        email=CONSULTANT, password=PASSWORD, full_name="Claude Conseil", is_consultant=True
    )
    Assignment.objects.create(consultant=consultant, dealership=submitted_dealership)

    draft_dealership = dealership("Auto Coupure")
    draft, _created = assessment_start(dealership=draft_dealership, user=user)
    return {
        "email": EMAIL,
        "consultant": CONSULTANT,
        "password": PASSWORD,
        "submitted": {"dealership": submitted_dealership.pk, "assessment": submitted.pk},
        "draft": {"dealership": draft_dealership.pk, "assessment": draft.pk},
    }


if __name__ == "__main__":
    django.setup()
    print(json.dumps(seed()))
