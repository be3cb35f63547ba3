"""factory_boy factories for the tests (one place, shared by every test module)."""

from __future__ import annotations

import json

import factory
from django.utils import timezone

from dealers.models import (
    Assignment,
    Brand,
    DealerGroup,
    Dealership,
    Membership,
    Network,
    Region,
    User,
)
from dealers.services import access_token_create

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ConsultantFactory(UserFactory):
    is_consultant = True


class StaffFactory(UserFactory):
    is_staff = True


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Réseau {n}")

    @factory.post_generation
    def dealerships(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.dealerships.add(*extracted)


class NetworkManagerFactory(UserFactory):
    """A network manager: a person linked to ``network`` (no membership, no portfolio)."""

    network = factory.SubFactory(NetworkFactory)


class DealerGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DealerGroup
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Groupe {n}")


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand
        django_get_or_create = ("name",)

    name = factory.Iterator(["Peugeot", "Renault", "Citroën", "Toyota", "Kia"])


class DealershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dealership

    name = factory.Sequence(lambda n: f"Garage {n}")
    city = factory.Iterator(["Lyon", "Rennes", "Lille", "Nantes", "Dijon"])
    region = factory.Iterator([Region.ARA, Region.BRE, Region.HDF, Region.PDL, Region.BFC])
    size_band = "medium"
    profile = "brand_dealer"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    dealership = factory.SubFactory(DealershipFactory)
    role = Membership.Role.MEMBER


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    consultant = factory.SubFactory(ConsultantFactory)
    dealership = factory.SubFactory(DealershipFactory)


# --- Assessments (maturity) -------------------------------------------------------------

AREA_KEYS = ("website", "social", "reviews", "monitoring", "crm", "contact_center", "strategy")


def _current_version():
    # The real questionnaire, published on first use: tests that score or render an
    # assessment need its definition, not a stub.
    from maturity.questionnaire.services import questionnaire_current

    return questionnaire_current()


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A draft by default; ``SubmittedAssessmentFactory`` for a submitted one."""

    class Meta:
        model = "maturity.Assessment"

    dealership = factory.SubFactory(DealershipFactory)
    version = factory.LazyFunction(_current_version)
    status = "draft"


class SubmittedAssessmentFactory(AssessmentFactory):
    status = "submitted"
    submitted_at = factory.LazyFunction(timezone.now)
    profile = factory.LazyAttribute(lambda o: o.dealership.profile)


class AssessmentResultFactory(factory.django.DjangoModelFactory):
    """A stored result with the given ``area_scores`` (all 50 by default).

    The overall score is the plain mean of the areas: tests that need the engine's weighted
    score should score real answers through ``maturity.results.services`` instead.
    """

    class Meta:
        model = "maturity.AssessmentResult"

    assessment = factory.SubFactory(SubmittedAssessmentFactory)
    engine_version = "test"
    rung = 2
    area_scores = factory.LazyFunction(lambda: dict.fromkeys(AREA_KEYS, 50.0))
    overall_score = factory.LazyAttribute(
        lambda o: round(sum(o.area_scores.values()) / max(len(o.area_scores), 1), 1)
    )
    snapshot = factory.LazyFunction(dict)


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "maturity.Report"

    assessment = factory.SubFactory(SubmittedAssessmentFactory)
    status = "ready"
    fingerprint = factory.Sequence(lambda n: f"{n:064x}")


class LeadTestFactory(factory.django.DjangoModelFactory):
    """A lead-response test sent two days ago, answered after ``reply_hours`` (a
    ``replied_at=None`` gives one without reply)."""

    class Meta:
        model = "maturity.LeadTest"

    class Params:
        reply_hours = 2

    dealership = factory.SubFactory(DealershipFactory)
    channel = "email"
    question = "Le véhicule est-il encore disponible ?"
    sent_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=2))
    replied_at = factory.LazyAttribute(
        lambda o: o.sent_at + timezone.timedelta(hours=o.reply_hours)
    )
    grid_items = factory.LazyFunction(lambda: ["question_answered"])
    recorded_at = factory.LazyFunction(timezone.now)


# --- Scored assessments from the reference dealers' answers ------------------------------

_snapshots: dict[tuple[str, str], dict] = {}


def persona_answers(letter: str = "b") -> dict:
    """The answers of a reference dealer (``maturity/content/personas``), ``a`` to ``e``
    (give its dealership the persona's profile: ``persona_profile``)."""
    from maturity.demo.personas import load_persona

    return dict(load_persona(letter).answers)


def persona_profile(letter: str = "b") -> str:
    """The dealer profile of a reference dealer."""
    from maturity.demo.personas import load_persona

    return load_persona(letter).profile


def submitted_assessment(
    *,
    dealership,
    answers: dict | None = None,
    persona: str = "b",
    submitted_at=None,
    user=None,
    version=None,
):
    """A submitted assessment with its answers and the engine's real frozen result.

    Scored once per set of answers (cached): twenty assessments cost one scoring.
    """
    from maturity.models import Assessment

    version = version or _current_version()
    answers = persona_answers(persona) if answers is None else answers
    submitted_at = submitted_at or timezone.now()
    assessment = Assessment.objects.create(
        dealership=dealership,
        version=version,
        status=Assessment.Status.SUBMITTED,
        created_by=user,
        submitted_by=user,
        submitted_at=submitted_at,
        profile=dealership.profile,
    )
    Assessment.objects.filter(pk=assessment.pk).update(created_at=submitted_at)
    assessment.created_at = submitted_at
    return score_assessment(assessment, answers, user=user)


def score_assessment(assessment, answers: dict, *, user=None):
    """Store ``answers`` on a submitted ``assessment`` and its engine result."""
    from maturity.models import Answer, AssessmentResult
    from maturity.results.services import _fields_from, result_snapshot

    version = assessment.version
    Answer.objects.bulk_create(
        Answer(assessment=assessment, question_key=key, value=value, updated_by=user)
        for key, value in answers.items()
    )
    definition = assessment.definition
    cache_key = (version.content_hash, definition.profile, json.dumps(answers, sort_keys=True))
    if cache_key not in _snapshots:
        _snapshots[cache_key] = result_snapshot(definition, answers)
    AssessmentResult.objects.create(assessment=assessment, **_fields_from(_snapshots[cache_key]))
    refresh_peers(assessment.dealership_id)
    return assessment


def refresh_peers(*dealership_ids: int) -> None:
    """What a submission's task does: refresh the peer statistics of these dealerships."""
    from maturity.peers.services import peer_statistics_refresh

    peer_statistics_refresh(dealership_ids=dealership_ids)


# --- API tokens ---------------------------------------------------------------------------


def token_for(user, *, name: str = "test", days: int = 30) -> str:
    """The secret of a new personal access token of ``user`` (what a program sends)."""
    _token, secret = access_token_create(user=user, name=name, days=days)
    return secret
