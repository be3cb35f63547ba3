"""The consultant's day in the demo (``manage.py seed_demo``, after the assessments).

Claire's morning has something in each part of her to-do list: reviews to write (Garage
du Centre, Méga Motors), one published (Auto Rivière, whose people were notified), a
running campaign for five of her dealerships (one of them half-way through its draft),
and Auto Rivière's roadmap with owners and due dates (one overdue) and a target. Dates are
counted from the day of the seed; running it again changes nothing (idempotent).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from dealers.models import Dealership, User
from maturity.campaigns.mailing import send_campaign_messages
from maturity.campaigns.services import campaign_launch
from maturity.demo.people import CONSULTANTS, PERSONAS, demo_dealerships
from maturity.engine.roadmap import build_roadmap
from maturity.engine.scoring import Result
from maturity.followup.services import roadmap_plan_set, target_set
from maturity.models import Assessment, AssessmentReview, Campaign, DealershipTarget
from maturity.questionnaire.catalogues import catalogue_for
from maturity.review.services import review_save

CAMPAIGN_TITLE = "Réévaluation de printemps"
CAMPAIGN_MESSAGE = (
    "Bonjour à tous, avant notre réunion de réseau, merci de refaire le point sur votre "
    "présence en ligne : vos réponses de l'an dernier sont déjà remplies."
)
REVIEW_NOTE = (
    "Un site solide : la priorité est maintenant de répondre aux messages Facebook et de "
    "suivre chaque demande web dans le CRM."
)
REVIEW_COMMENT = "Répondez à chaque commentaire et message sous 24 heures."
# Auto Rivière's first three actions: (owner's e-mail, days from today, notes).
PLANS = (
    ("lea.vendeuse@auto-riviere.example", -10, "Devis de l'agence attendu."),
    ("paul.riviere@auto-riviere.example", 20, ""),
    ("claire.conseil@demo.example", 45, "Atelier prévu avec l'équipe commerciale."),
)


def _latest(name: str) -> Assessment | None:
    return (
        Assessment.objects.filter(dealership__name=name)
        .scored()
        .select_related("version", "result", "dealership")
        .newest_first()
        .first()
    )


def _reviews(claire: User) -> list[str]:
    done = []
    riviere = _latest("Auto Rivière")
    if riviere is not None and not AssessmentReview.objects.filter(assessment=riviere).exists():
        review_save(
            assessment=riviere,
            user=claire,
            overall_note=REVIEW_NOTE,
            area_comments={"social": REVIEW_COMMENT},
            action="publish",
        )
        done.append("published review: Auto Rivière")
    return done


def _plans(claire: User) -> list[str]:
    riviere = _latest("Auto Rivière")
    if riviere is None:
        return []
    dealership = riviere.dealership
    definition = riviere.definition
    catalogue = catalogue_for(definition)
    if catalogue is None:
        return []
    roadmap = build_roadmap(definition, {}, Result.from_dict(riviere.result.snapshot), catalogue)
    today = timezone.localdate()
    done = []
    for item, (email, days, notes) in zip(roadmap.items, PLANS, strict=False):
        owner = User.objects.filter(email=email).first()
        row = dealership.roadmap_statuses.filter(action_key=item.key).first()
        if row is not None and row.owner_id:
            continue  # planned on an earlier run (or by someone since): keep it
        roadmap_plan_set(
            dealership=dealership,
            action_key=item.key,
            user=claire,
            catalogue_of=riviere,
            owner=owner,
            due_date=today + timedelta(days=days),
            notes=notes,
        )
        done.append(f"owned action: Auto Rivière / {item.key}")
    if not DealershipTarget.objects.filter(dealership=dealership).exists():
        target_set(dealership=dealership, user=claire, rung=3, due_date=today + timedelta(180))
        done.append("target: Auto Rivière, rung 3")
    return done


def _campaign(claire: User) -> list[str]:
    if Campaign.objects.filter(title=CAMPAIGN_TITLE, created_by=claire).exists():
        return []
    # The generated dealerships in the seed's order: the first has the half-filled draft
    # (the campaign reuses it: "in progress"), the others have never been assessed.
    generated = [(d.name, d.city) for d in demo_dealerships()[len(PERSONAS) :][:10]]
    claires = {
        (d.name, d.city): d for d in Dealership.objects.filter(assignments__consultant=claire)
    }
    dealerships = [claires[key] for key in generated if key in claires][:5]
    if not dealerships:
        return []
    campaign = campaign_launch(
        user=claire,
        dealerships=dealerships,
        title=CAMPAIGN_TITLE,
        message=CAMPAIGN_MESSAGE,
        due_date=timezone.localdate() + timedelta(days=21),
        reminder_every_days=7,
        reminder_max=3,
    )
    send_campaign_messages(campaign_id=campaign.pk)  # the launch e-mails and their log
    return [f"campaign: {CAMPAIGN_TITLE} ({len(dealerships)} dealerships)"]


def seed_consultant_day() -> list[str]:
    """Create what Claire's day needs and does not exist yet; return what was created."""
    claire = User.objects.filter(email=CONSULTANTS[0][0]).first()
    if claire is None:
        return []
    return _reviews(claire) + _plans(claire) + _campaign(claire)
