"""Who may open which object URL: a matrix of roles x routes.

Every route whose URL carries an object id must have a case here; the first test fails
when a new route is added without one. Expected outcomes:

- a role in ``allowed`` gets a page (status below 400, not the login redirect);
- a role in ``forbidden`` sees the object but may not do this: 403;
- ``anonymous`` is sent to the login page;
- every other role gets 404, exactly like an id that does not exist.

API routes (``api=True``) are called with a personal access token of the role and JSON
bodies; the same expectations hold, except that ``anonymous`` (no token) gets a 401.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import UploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

ROLES = (
    "owner",
    "member",
    "outsider",
    "assigned_consultant",
    "unassigned_consultant",
    # Manages a network holding the world's dealership: its figures, none of its pages.
    "network_manager",
    "staff",
    "anonymous",
)

# Routes that carry a secret token rather than an object id: the token is the
# authorisation, and their own tests cover reuse and expiry.
TOKEN_ROUTES = {"invitation_accept", "password_reset_confirm"}


@dataclass
class World:
    """The objects the routes point at, all belonging to ``dealership``."""

    dealership: object
    users: dict[str, object]
    objects: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    url: Callable[[World], str]
    allowed: frozenset[str]
    forbidden: frozenset[str] = frozenset()
    method: str = "GET"
    data: Callable[[World], dict] | None = None
    # The object whose id the "id that does not exist" test changes in the URL (default:
    # the dealership, for URLs that carry its id).
    guessed: Callable[[World], object] | None = None
    # An API route: a token instead of a session, JSON in, 401 without a token.
    api: bool = False
    # The URL name when the key is not one (two methods of one API route).
    route: str = ""


EVERYONE_WHO_SEES = frozenset({"owner", "member", "assigned_consultant", "staff"})


def _campaign(world: World):
    """A campaign of the world's consultant, with the world's dealership in it."""
    if "campaign" not in world.objects:
        from datetime import timedelta

        from maturity.models import Campaign, CampaignDealership

        now = timezone.now()
        campaign = Campaign.objects.create(
            title="Printemps",
            due_date=(now + timedelta(days=20)).date(),
            created_by=world.users["assigned_consultant"],
            created_at=now,
        )
        CampaignDealership.objects.create(
            campaign=campaign,
            dealership=world.dealership,
            assessment=world.objects["draft"],
            added_at=now,
        )
        world.objects["campaign"] = campaign
    return world.objects["campaign"]


def _notification(world: World):
    """A notification of the world's owner."""
    if "notification" not in world.objects:
        from maturity.models import Notification

        world.objects["notification"] = Notification.objects.create(
            user=world.users["owner"],
            kind=Notification.Kind.REVIEW_PUBLISHED,
            dealership=world.dealership,
            url=reverse("dealership_detail", args=[world.dealership.pk]),
            delivery=Notification.Delivery.IMMEDIATE,
            created_at=timezone.now(),
        )
    return world.objects["notification"]


DEALER_PEOPLE = frozenset({"owner", "member"})


def _scored(world: World):
    """The world's submitted assessment with answers (an evidence link too) and a result."""
    if "scored" not in world.objects:
        from tests.factories import persona_answers, score_assessment

        answers = persona_answers("b") | {"website_url": "https://www.example.com"}
        world.objects["scored"] = score_assessment(world.objects["submitted"], answers)
    return world.objects["scored"]


def _ready_report(world: World):
    """A ready PDF report of the world's scored assessment, its file on disk."""
    if "report" not in world.objects:
        from pathlib import Path

        from django.conf import settings

        from tests.factories import ReportFactory

        report = ReportFactory(assessment=_scored(world), status="ready")
        report.file.name = f"reports/test/report-{report.pk}.pdf"
        report.save(update_fields=["file"])
        path = Path(settings.MEDIA_ROOT) / report.file.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.7\n%%EOF\n")
        world.objects["report"] = report
    return world.objects["report"]


def _in_a_group(world: World):
    """The world's dealership, made part of a dealer group."""
    from tests.factories import DealerGroupFactory

    if world.dealership.group_id is None:
        world.dealership.group = DealerGroupFactory()
        world.dealership.save()
    return world.dealership


def _complete_draft(world: World):
    """The world's draft with every answer of a reference dealer: ready to submit."""
    if "complete" not in world.objects:
        from maturity.models import Answer
        from tests.factories import persona_answers

        draft = world.objects["draft"]
        Answer.objects.bulk_create(
            Answer(assessment=draft, question_key=key, value=value)
            for key, value in persona_answers("b").items()
        )
        world.objects["complete"] = draft
    return world.objects["complete"]


def _measured(world: World):
    """The world's scored assessment, its result contradicted by a website measurement on
    one answer (``website_own``) and confirmed by a consultant on another."""
    if "measured" not in world.objects:
        from maturity.models import AssessmentResult

        assessment = _scored(world)
        result = AssessmentResult.objects.get(assessment=assessment)
        comparison = {
            "question": "website_own",
            "option": None,
            "check": "website.own_domain",
            "declared": "own_site",
            "measured_ok": False,
            "evidence": "a locator page",
            "measured_on": timezone.localdate().isoformat(),
        }
        result.snapshot["measured"] = {
            "as_of": timezone.localdate().isoformat(),
            "measurement": None,
            "facts": {},
            "confirmed": [],
            "comparisons": [
                {**comparison, "key": "website_own", "status": "disproved", "scored": "x"},
                {**comparison, "key": "website_mobile", "status": "confirmed", "scored": "x"},
            ],
        }
        result.save(update_fields=["snapshot"])
        world.objects["measured"] = assessment
    return world.objects["measured"]


def _owners_token(world: World):
    """A personal access token of the world's owner."""
    if "token" not in world.objects:
        from dealers.models import PersonalAccessToken
        from tests.factories import token_for

        token_for(world.users["owner"], name="CRM")
        world.objects["token"] = PersonalAccessToken.objects.get(user=world.users["owner"])
    return world.objects["token"]


def _endpoint(world: World):
    """A webhook endpoint of the world's consultant."""
    if "endpoint" not in world.objects:
        from maturity.models import WebhookEndpoint

        world.objects["endpoint"] = WebhookEndpoint.objects.create(
            owner=world.users["assigned_consultant"],
            url="https://crm.example.com/hooks",
            events=["assessment.submitted"],
            secret="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            created_at=timezone.now(),
        )
    return world.objects["endpoint"]


def _webhook_delivery(world: World):
    """A failed delivery of the world's endpoint."""
    if "webhook_delivery" not in world.objects:
        from maturity.models import WebhookDelivery

        world.objects["webhook_delivery"] = WebhookDelivery.objects.create(
            endpoint=_endpoint(world),
            event_type="webhook.test",
            message_id="msg_matrix",
            payload={"type": "webhook.test", "data": {}},
            status="failed",
            attempts=1,
            attempt_limit=1,
            created_at=timezone.now(),
        )
    return world.objects["webhook_delivery"]


# A webhook endpoint is its owner's (and staff's); dealers have no webhook pages.
WEBHOOK_USERS = frozenset({"assigned_consultant", "staff"})
NOT_CONSULTANTS = frozenset({"owner", "member", "outsider", "network_manager"})


def _lead_test(world: World):
    """A lead-response test of the world's dealership, answered (so its people see it)."""
    if "lead_test" not in world.objects:
        from datetime import timedelta

        from maturity.models import LeadTest

        now = timezone.now()
        world.objects["lead_test"] = LeadTest.objects.create(
            dealership=world.dealership,
            channel=LeadTest.Channel.EMAIL,
            question="Le SUV d'occasion est-il encore disponible ?",
            sent_at=now - timedelta(days=2),
            replied_at=now - timedelta(days=1),
            grid_items=["question_answered"],
            recorded_by=world.users["assigned_consultant"],
            recorded_at=now,
        )
    return world.objects["lead_test"]


def _lead_test_form(world: World) -> dict:
    return {
        "channel": "phone",
        "question": "Avez-vous un créneau d'essai samedi ?",
        "sent_at": (timezone.localtime() - timezone.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"),
        "replied_at": "",
    }


def _reviews_file(world: World) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = "date;note;texte;date de réponse\n05/01/2026;5;Très bien;06/01/2026\n"
    return {"file": SimpleUploadedFile("avis.csv", content.encode(), content_type="text/csv")}


def _with_website(world: World):
    """The world's dealership, with a website address to check."""
    if not world.dealership.website_url:
        world.dealership.website_url = "https://www.auto-riviere.example/"
        world.dealership.save(update_fields=["website_url"])
    return world.dealership


def _website_check(world: World):
    """A finished website check of the world's dealership."""
    if "website_check" not in world.objects:
        from maturity.models import Measurement

        now = timezone.now()
        world.objects["website_check"] = Measurement.objects.create(
            dealership=world.dealership,
            url="https://www.auto-riviere.example/",
            status=Measurement.Status.OK,
            started_at=now,
            finished_at=now,
        )
    return world.objects["website_check"]


def _review_import(world: World):
    """An import of customer reviews of the world's dealership."""
    if "review_import" not in world.objects:
        from maturity.models import ReviewImport

        world.objects["review_import"] = ReviewImport.objects.create(
            dealership=world.dealership,
            file_format="csv",
            filename="avis.csv",
            file_hash="0" * 64,
            rows=1,
            added=1,
            imported_by=world.users["owner"],
            imported_at=timezone.now(),
        )
    return world.objects["review_import"]


def _lead_test_json(world: World) -> dict:
    return {
        "channel": "phone",
        "question": "Avez-vous un créneau d'essai samedi ?",
        "sent_at": (timezone.now() - timezone.timedelta(hours=5)).isoformat(),
    }


CASES: dict[str, Case] = {
    "dealership_detail": Case(
        url=lambda w: reverse("dealership_detail", args=[w.dealership.pk]),
        allowed=EVERYONE_WHO_SEES,
    ),
    # Taking away or erasing all of a dealership's data: its owner (and staff) only.
    "dealership_data": Case(
        url=lambda w: reverse("dealership_data", args=[w.dealership.pk]),
        allowed=frozenset({"owner", "staff"}),
        forbidden=frozenset({"member", "assigned_consultant"}),
    ),
    "dealership_data_download": Case(
        url=lambda w: reverse("dealership_data_download", args=[w.dealership.pk]),
        allowed=frozenset({"owner", "staff"}),
        forbidden=frozenset({"member", "assigned_consultant"}),
    ),
    "dealership_data_erase": Case(
        url=lambda w: reverse("dealership_data_erase", args=[w.dealership.pk]),
        allowed=frozenset({"owner", "staff"}),
        forbidden=frozenset({"member", "assigned_consultant"}),
        method="POST",
        data=lambda w: {"name": w.dealership.name},
    ),
    # What kind of dealer it is, its website and pages: its owner (and staff) correct them.
    "dealership_profile": Case(
        url=lambda w: reverse("dealership_profile", args=[w.dealership.pk]),
        allowed=frozenset({"owner", "staff"}),
        forbidden=frozenset({"member", "assigned_consultant"}),
    ),
    "invitation_create": Case(
        url=lambda w: reverse("invitation_create", args=[w.dealership.pk]),
        allowed=frozenset({"owner", "assigned_consultant", "staff"}),
        forbidden=frozenset({"member"}),
    ),
    # The assessment wizard: everyone who sees the dealership reads its assessments; only
    # its own people (owner, members) start, answer and submit them.
    "assessment_start": Case(
        url=lambda w: reverse("assessment_start", args=[w.dealership.pk]),
        allowed=DEALER_PEOPLE,
        forbidden=frozenset({"assigned_consultant", "staff"}),
        method="POST",
    ),
    "assessment_detail": Case(
        url=lambda w: reverse("assessment_detail", args=[w.dealership.pk, w.objects["draft"].pk]),
        allowed=EVERYONE_WHO_SEES,
    ),
    "assessment_step": Case(
        url=lambda w: reverse(
            "assessment_step", args=[w.dealership.pk, w.objects["draft"].pk, "website"]
        ),
        allowed=EVERYONE_WHO_SEES,
    ),
    "answer_save": Case(
        url=lambda w: reverse(
            "answer_save", args=[w.dealership.pk, w.objects["draft"].pk, "website_own"]
        ),
        allowed=DEALER_PEOPLE,
        forbidden=frozenset({"assigned_consultant", "staff"}),
        method="POST",
        data=lambda w: {"q-website_own": "own_site", "rev-website_own": "0"},
    ),
    "assessment_review": Case(
        url=lambda w: reverse(
            "assessment_review", args=[w.dealership.pk, w.objects["submitted"].pk]
        ),
        allowed=EVERYONE_WHO_SEES,
    ),
    "assessment_submit": Case(
        url=lambda w: reverse("assessment_submit", args=[w.dealership.pk, w.objects["draft"].pk]),
        allowed=DEALER_PEOPLE,
        forbidden=frozenset({"assigned_consultant", "staff"}),
        method="POST",
    ),
    # The results page: everyone who sees the dealership reads it.
    "assessment_results": Case(
        url=lambda w: reverse("assessment_results", args=[w.objects["submitted"].pk]),
        allowed=EVERYONE_WHO_SEES,
        guessed=lambda w: w.objects["submitted"],
    ),
    # Dealer home follow-up: everyone who sees the dealership reads the roadmap,
    # the group view, comparisons and exports; only its own people move roadmap actions;
    # only its consultants and staff review (the dealer reads the review on the home).
    "roadmap_followup": Case(
        url=lambda w: reverse("roadmap_followup", args=[w.dealership.pk]),
        allowed=EVERYONE_WHO_SEES,
    ),
    "roadmap_status": Case(
        url=lambda w: reverse("roadmap_status", args=[_scored(w).dealership_id, "website_mobile"]),
        allowed=DEALER_PEOPLE,
        forbidden=frozenset({"assigned_consultant", "staff"}),
        method="POST",
        data=lambda w: {"status": "done"},
    ),
    "dealership_group": Case(
        url=lambda w: reverse("dealership_group", args=[_in_a_group(w).pk]),
        allowed=EVERYONE_WHO_SEES,
    ),
    "assessment_compare": Case(
        url=lambda w: reverse("assessment_compare", args=[w.dealership.pk]),
        allowed=EVERYONE_WHO_SEES,
    ),
    "assessment_feedback": Case(
        url=lambda w: reverse("assessment_feedback", args=[w.dealership.pk, _scored(w).pk]),
        allowed=frozenset({"assigned_consultant", "staff"}),
        forbidden=DEALER_PEOPLE,
    ),
    "evidence_verify": Case(
        url=lambda w: reverse(
            "evidence_verify", args=[w.dealership.pk, _scored(w).pk, "website_url"]
        ),
        allowed=frozenset({"assigned_consultant", "staff"}),
        forbidden=DEALER_PEOPLE,
        method="POST",
        data=lambda w: {"verified": "1"},
    ),
    "assessment_export_json": Case(
        url=lambda w: reverse(
            "assessment_export_json", args=[w.dealership.pk, w.objects["submitted"].pk]
        ),
        allowed=EVERYONE_WHO_SEES,
    ),
    # PDF roadmaps: everyone who sees the dealership generates and downloads them.
    "report_create": Case(
        url=lambda w: reverse("report_create", args=[w.dealership.pk, _scored(w).pk]),
        allowed=EVERYONE_WHO_SEES,
        method="POST",
    ),
    "report_detail": Case(
        url=lambda w: reverse("report_detail", args=[w.dealership.pk, _ready_report(w).pk]),
        allowed=EVERYONE_WHO_SEES,
    ),
    "report_status": Case(
        url=lambda w: reverse("report_status", args=[w.dealership.pk, _ready_report(w).pk]),
        allowed=EVERYONE_WHO_SEES,
    ),
    "report_retry": Case(
        url=lambda w: reverse("report_retry", args=[w.dealership.pk, _ready_report(w).pk]),
        allowed=EVERYONE_WHO_SEES,
        method="POST",
    ),
    "report_download": Case(
        url=lambda w: reverse("report_download", args=[w.dealership.pk, _ready_report(w).pk]),
        allowed=EVERYONE_WHO_SEES,
    ),
    # A colleague answers a step: asked by the dealership's own people only.
    "assessment_delegate": Case(
        url=lambda w: reverse(
            "assessment_delegate", args=[w.dealership.pk, w.objects["draft"].pk, "website"]
        ),
        allowed=DEALER_PEOPLE,
        forbidden=frozenset({"assigned_consultant", "staff"}),
    ),
    # Owners, due dates, notes and the target are planned by the dealership's people and
    # its consultants together (staff too).
    "roadmap_plan": Case(
        url=lambda w: reverse("roadmap_plan", args=[_scored(w).dealership_id, "website_mobile"]),
        allowed=EVERYONE_WHO_SEES,
    ),
    "dealership_target": Case(
        url=lambda w: reverse("dealership_target", args=[w.dealership.pk]),
        allowed=EVERYONE_WHO_SEES,
    ),
    # The website check: its owner and its consultants (and staff) ask for one; everyone
    # who sees the dealership follows its status. Confirming a declared answer that a
    # measurement contradicts (or withdrawing that) is the consultant's.
    "website_check_request": Case(
        url=lambda w: reverse("website_check_request", args=[w.dealership.pk]),
        allowed=frozenset({"owner", "assigned_consultant", "staff"}),
        forbidden=frozenset({"member"}),
        method="POST",
    ),
    "website_check_status": Case(
        url=lambda w: reverse("website_check_status", args=[w.dealership.pk]),
        allowed=EVERYONE_WHO_SEES,
    ),
    "measured_confirm": Case(
        url=lambda w: reverse("measured_confirm", args=[w.dealership.pk, _measured(w).pk]),
        allowed=frozenset({"assigned_consultant", "staff"}),
        forbidden=DEALER_PEOPLE,
        method="POST",
        data=lambda w: {"key": "website_own", "comment": "Vu sur place."},
    ),
    "measured_unconfirm": Case(
        url=lambda w: reverse("measured_unconfirm", args=[w.dealership.pk, _measured(w).pk]),
        allowed=frozenset({"assigned_consultant", "staff"}),
        forbidden=DEALER_PEOPLE,
        method="POST",
        data=lambda w: {"key": "website_mobile"},
    ),
    # Reminding a dealership about its stalled draft: its consultants and staff.
    "draft_reminder_send": Case(
        url=lambda w: reverse("draft_reminder_send", args=[w.dealership.pk]),
        allowed=frozenset({"assigned_consultant", "staff"}),
        forbidden=DEALER_PEOPLE,
        method="POST",
    ),
    # A campaign is its creator's (and staff's); the dealers' side has no campaign pages.
    "campaign_detail": Case(
        url=lambda w: reverse("campaign_detail", args=[_campaign(w).pk]),
        allowed=frozenset({"assigned_consultant", "staff"}),
        forbidden=NOT_CONSULTANTS,
        guessed=_campaign,
    ),
    "campaign_close": Case(
        url=lambda w: reverse("campaign_close", args=[_campaign(w).pk]),
        allowed=frozenset({"assigned_consultant", "staff"}),
        forbidden=NOT_CONSULTANTS,
        guessed=_campaign,
    ),
    # A notification is its recipient's only.
    "notification_open": Case(
        url=lambda w: reverse("notification_open", args=[_notification(w).pk]),
        allowed=frozenset({"owner"}),
        method="POST",
        guessed=_notification,
    ),
    "assessment_export_xlsx": Case(
        url=lambda w: reverse("assessment_export_xlsx", args=[w.dealership.pk, _scored(w).pk]),
        allowed=EVERYONE_WHO_SEES,
    ),
    # My account's API tokens: only one's own (staff revoke others' in the admin).
    "access_token_revoke": Case(
        url=lambda w: reverse("access_token_revoke", args=[_owners_token(w).pk]),
        allowed=frozenset({"owner"}),
        guessed=_owners_token,
    ),
    "webhook_detail": Case(
        url=lambda w: reverse("webhook_detail", args=[_endpoint(w).pk]),
        allowed=WEBHOOK_USERS,
        forbidden=NOT_CONSULTANTS,
        guessed=_endpoint,
    ),
    "webhook_edit": Case(
        url=lambda w: reverse("webhook_edit", args=[_endpoint(w).pk]),
        allowed=WEBHOOK_USERS,
        forbidden=NOT_CONSULTANTS,
        guessed=_endpoint,
    ),
    "webhook_delete": Case(
        url=lambda w: reverse("webhook_delete", args=[_endpoint(w).pk]),
        allowed=WEBHOOK_USERS,
        forbidden=NOT_CONSULTANTS,
        guessed=_endpoint,
    ),
    "webhook_secret": Case(
        url=lambda w: reverse("webhook_secret", args=[_endpoint(w).pk]),
        allowed=WEBHOOK_USERS,
        forbidden=NOT_CONSULTANTS,
        guessed=_endpoint,
    ),
    "webhook_enable": Case(
        url=lambda w: reverse("webhook_enable", args=[_endpoint(w).pk]),
        allowed=WEBHOOK_USERS,
        forbidden=NOT_CONSULTANTS,
        method="POST",
        data=lambda w: {"enabled": "1"},
        guessed=_endpoint,
    ),
    "webhook_test": Case(
        url=lambda w: reverse("webhook_test", args=[_endpoint(w).pk]),
        allowed=WEBHOOK_USERS,
        forbidden=NOT_CONSULTANTS,
        method="POST",
        guessed=_endpoint,
    ),
    "webhook_delivery_resend": Case(
        url=lambda w: reverse(
            "webhook_delivery_resend", args=[_endpoint(w).pk, _webhook_delivery(w).pk]
        ),
        allowed=WEBHOOK_USERS,
        forbidden=NOT_CONSULTANTS,
        method="POST",
        guessed=_webhook_delivery,
    ),
    # A network's dashboard: its managers and staff, nobody else (not even the consultants
    # or the people of its dealerships).
    "network_dashboard": Case(
        url=lambda w: reverse("network_dashboard", args=[w.objects["network"].pk]),
        allowed=frozenset({"network_manager", "staff"}),
        guessed=lambda w: w.objects["network"],
    ),
    # --- the REST API: the same rules as the pages ---
    "api_dealership_detail": Case(
        url=lambda w: reverse("api_dealership_detail", args=[w.dealership.pk]),
        allowed=EVERYONE_WHO_SEES,
        api=True,
    ),
    "api_dealership_detail:patch": Case(
        route="api_dealership_detail",
        url=lambda w: reverse("api_dealership_detail", args=[w.dealership.pk]),
        allowed=frozenset({"owner", "staff"}),
        forbidden=frozenset({"member", "assigned_consultant"}),
        method="PATCH",
        data=lambda w: {"website_url": "https://www.example.com/"},
        api=True,
    ),
    "api_assessment_start": Case(
        url=lambda w: reverse("api_assessment_start", args=[w.dealership.pk]),
        allowed=DEALER_PEOPLE,
        forbidden=frozenset({"assigned_consultant", "staff"}),
        method="POST",
        api=True,
    ),
    "api_dealership_roadmap": Case(
        url=lambda w: reverse("api_dealership_roadmap", args=[_scored(w).dealership_id]),
        allowed=EVERYONE_WHO_SEES,
        api=True,
    ),
    "api_roadmap_status": Case(
        url=lambda w: reverse(
            "api_roadmap_status", args=[_scored(w).dealership_id, "website_mobile"]
        ),
        allowed=DEALER_PEOPLE,
        forbidden=frozenset({"assigned_consultant", "staff"}),
        method="PUT",
        data=lambda w: {"status": "done"},
        api=True,
    ),
    "api_assessment_detail": Case(
        url=lambda w: reverse("api_assessment_detail", args=[w.objects["draft"].pk]),
        allowed=EVERYONE_WHO_SEES,
        guessed=lambda w: w.objects["draft"],
        api=True,
    ),
    "api_assessment_questions": Case(
        url=lambda w: reverse("api_assessment_questions", args=[w.objects["draft"].pk]),
        allowed=EVERYONE_WHO_SEES,
        guessed=lambda w: w.objects["draft"],
        api=True,
    ),
    "api_answers": Case(
        url=lambda w: reverse("api_answers", args=[w.objects["draft"].pk]),
        allowed=DEALER_PEOPLE,
        forbidden=frozenset({"assigned_consultant", "staff"}),
        method="POST",
        data=lambda w: {
            "answers": [{"question": "website_own", "value": "own_site", "revision": 0}]
        },
        guessed=lambda w: w.objects["draft"],
        api=True,
    ),
    "api_answer": Case(
        url=lambda w: reverse("api_answer", args=[w.objects["draft"].pk, "website_own"]),
        allowed=DEALER_PEOPLE,
        forbidden=frozenset({"assigned_consultant", "staff"}),
        method="PUT",
        data=lambda w: {"value": "own_site", "revision": 0},
        guessed=lambda w: w.objects["draft"],
        api=True,
    ),
    "api_assessment_submit": Case(
        url=lambda w: reverse("api_assessment_submit", args=[_complete_draft(w).pk]),
        allowed=DEALER_PEOPLE,
        forbidden=frozenset({"assigned_consultant", "staff"}),
        method="POST",
        guessed=_complete_draft,
        api=True,
    ),
    "api_assessment_roadmap": Case(
        url=lambda w: reverse("api_assessment_roadmap", args=[_scored(w).pk]),
        allowed=EVERYONE_WHO_SEES,
        guessed=_scored,
        api=True,
    ),
    "api_report_create": Case(
        url=lambda w: reverse("api_report_create", args=[_scored(w).pk]),
        allowed=EVERYONE_WHO_SEES,
        method="POST",
        guessed=_scored,
        api=True,
    ),
    "api_report_detail": Case(
        url=lambda w: reverse("api_report_detail", args=[_ready_report(w).pk]),
        allowed=EVERYONE_WHO_SEES,
        guessed=_ready_report,
        api=True,
    ),
    "api_report_download": Case(
        url=lambda w: reverse("api_report_download", args=[_ready_report(w).pk]),
        allowed=EVERYONE_WHO_SEES,
        guessed=_ready_report,
        api=True,
    ),
    # Measured facts: lead-response tests are read by everyone who sees the dealership and
    # recorded by its consultants and staff (a dealer cannot test itself); reviews are
    # imported by the owner, its consultants and staff.
    "lead_tests": Case(
        url=lambda w: reverse("lead_tests", args=[w.dealership.pk]),
        allowed=EVERYONE_WHO_SEES,
    ),
    "lead_test_create": Case(
        url=lambda w: reverse("lead_test_create", args=[w.dealership.pk]),
        allowed=frozenset({"assigned_consultant", "staff"}),
        forbidden=DEALER_PEOPLE,
    ),
    "lead_test_create_post": Case(
        url=lambda w: reverse("lead_test_create", args=[w.dealership.pk]),
        allowed=frozenset({"assigned_consultant", "staff"}),
        forbidden=DEALER_PEOPLE,
        method="POST",
        data=_lead_test_form,
        route="lead_test_create",
    ),
    "lead_test_edit": Case(
        url=lambda w: reverse("lead_test_edit", args=[w.dealership.pk, _lead_test(w).pk]),
        allowed=frozenset({"assigned_consultant", "staff"}),
        forbidden=DEALER_PEOPLE,
        guessed=_lead_test,
    ),
    "lead_test_delete": Case(
        url=lambda w: reverse("lead_test_delete", args=[w.dealership.pk, _lead_test(w).pk]),
        allowed=frozenset({"assigned_consultant", "staff"}),
        forbidden=DEALER_PEOPLE,
        method="POST",
        guessed=_lead_test,
    ),
    "dealership_reviews": Case(
        url=lambda w: reverse("dealership_reviews", args=[w.dealership.pk]),
        allowed=EVERYONE_WHO_SEES,
    ),
    "review_import": Case(
        url=lambda w: reverse("review_import", args=[w.dealership.pk]),
        allowed=frozenset({"owner", "assigned_consultant", "staff"}),
        forbidden=frozenset({"member"}),
        method="POST",
        data=_reviews_file,
    ),
    # A campaign's status as files: like its page.
    "campaign_export_csv": Case(
        url=lambda w: reverse("campaign_export_csv", args=[_campaign(w).pk]),
        allowed=frozenset({"assigned_consultant", "staff"}),
        forbidden=NOT_CONSULTANTS,
        guessed=_campaign,
    ),
    "campaign_export_xlsx": Case(
        url=lambda w: reverse("campaign_export_xlsx", args=[_campaign(w).pk]),
        allowed=frozenset({"assigned_consultant", "staff"}),
        forbidden=NOT_CONSULTANTS,
        guessed=_campaign,
    ),
    # --- the API's measurements and campaigns: the pages' rules ---
    "api_website_check_request": Case(
        url=lambda w: reverse("api_website_check_request", args=[_with_website(w).pk]),
        allowed=frozenset({"owner", "assigned_consultant", "staff"}),
        forbidden=frozenset({"member"}),
        method="POST",
        api=True,
    ),
    "api_website_check_detail": Case(
        url=lambda w: reverse("api_website_check_detail", args=[_website_check(w).pk]),
        allowed=EVERYONE_WHO_SEES,
        guessed=_website_check,
        api=True,
    ),
    "api_lead_test_create": Case(
        url=lambda w: reverse("api_lead_test_create", args=[w.dealership.pk]),
        allowed=frozenset({"assigned_consultant", "staff"}),
        forbidden=DEALER_PEOPLE,
        method="POST",
        data=_lead_test_json,
        api=True,
    ),
    "api_lead_test_detail": Case(
        url=lambda w: reverse("api_lead_test_detail", args=[_lead_test(w).pk]),
        allowed=EVERYONE_WHO_SEES,
        guessed=_lead_test,
        api=True,
    ),
    "api_review_import_create": Case(
        url=lambda w: reverse("api_review_import_create", args=[w.dealership.pk]),
        allowed=frozenset({"owner", "assigned_consultant", "staff"}),
        forbidden=frozenset({"member"}),
        method="POST",
        data=_reviews_file,
        api=True,
    ),
    "api_review_import_detail": Case(
        url=lambda w: reverse("api_review_import_detail", args=[_review_import(w).pk]),
        allowed=EVERYONE_WHO_SEES,
        guessed=_review_import,
        api=True,
    ),
    # A campaign is its creator's and staff's; to anybody else the API says it does not
    # exist (404), dealers included: they do not see campaigns at all.
    "api_campaign_detail": Case(
        url=lambda w: reverse("api_campaign_detail", args=[_campaign(w).pk]),
        allowed=frozenset({"assigned_consultant", "staff"}),
        guessed=_campaign,
        api=True,
    ),
}


def _object_routes() -> set[str]:
    """Names of every project route (admin aside) whose pattern takes a parameter."""
    found: set[str] = set()

    def walk(patterns: list, namespace: str | None) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and namespace != "admin":
                pattern = entry.pattern
                params = getattr(pattern, "converters", {}) or getattr(
                    getattr(pattern, "regex", None), "groupindex", {}
                )
                if params and entry.name:
                    found.add(entry.name)

    walk(get_resolver().url_patterns, None)
    return found


def route_of(key: str) -> str:
    return CASES[key].route or key


def test_it_has_a_case_for_every_route_that_takes_an_id():
    missing = _object_routes() - {route_of(key) for key in CASES} - TOKEN_ROUTES
    assert not missing, f"Add authorisation cases for: {sorted(missing)}"


@pytest.fixture
def world(
    dealership,
    owner,
    member,
    outsider,
    assigned_consultant,
    unassigned_consultant,
    network_manager,
    staff,
) -> World:
    users = {
        "owner": owner,
        "member": member,
        "outsider": outsider,
        "assigned_consultant": assigned_consultant,
        "unassigned_consultant": unassigned_consultant,
        "network_manager": network_manager,
        "staff": staff,
        "anonymous": None,
    }
    objects = _assessments(dealership, owner) | {"network": network_manager.network}
    return World(dealership=dealership, users=users, objects=objects)


def _assessments(dealership, owner) -> dict[str, object]:
    """A submitted assessment of ``dealership`` and the draft that re-assesses it."""
    from maturity.models import Assessment
    from maturity.questionnaire.services import questionnaire_current

    version = questionnaire_current()
    submitted = Assessment.objects.create(
        dealership=dealership,
        version=version,
        status=Assessment.Status.SUBMITTED,
        created_by=owner,
        submitted_by=owner,
        submitted_at=timezone.now(),
    )
    draft = Assessment.objects.create(
        dealership=dealership, version=version, previous=submitted, created_by=owner
    )
    return {"draft": draft, "submitted": submitted}


def call(client, case: Case, world: World, role: str, url: str | None = None):
    """Request ``case`` as ``role``: a session for a page, a token for the API."""
    user = world.users[role]
    url = url or case.url(world)
    data = case.data(world) if case.data else {}
    method = case.method.lower()
    if case.api:
        headers = {"Authorization": f"Bearer {_token(world, role)}"} if user is not None else {}
        if method == "get":
            return client.get(url, headers=headers)
        if any(isinstance(value, UploadedFile) for value in data.values()):
            return client.post(url, data, headers=headers)  # multipart, as a file upload is
        body = json.dumps(data) if data else ""
        return getattr(client, method)(
            url, data=body, content_type="application/json", headers=headers
        )
    if user is not None:
        client.force_login(user)
    return client.get(url) if method == "get" else client.post(url, data)


def _token(world: World, role: str) -> str:
    from tests.factories import token_for

    key = f"secret:{role}"
    if key not in world.objects:
        world.objects[key] = token_for(world.users[role], name="matrix")
    return world.objects[key]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(CASES))
def test_it_scopes_every_object_route(client, world, route, role):
    case = CASES[route]
    response = call(client, case, world, role)

    if role in case.allowed:
        assert response.status_code < 400, (route, role, response.status_code)
        assert "/accounts/login/" not in response.headers.get("Location", "")
    elif role == "anonymous" and case.api:
        assert response.status_code == 401, (route, response.status_code)
    elif role == "anonymous":
        assert response.status_code == 302
        assert response.headers["Location"].startswith(reverse("login"))
    elif role in case.forbidden:
        assert response.status_code == 403, (route, role, response.status_code)
    else:
        assert response.status_code == 404, (route, role, response.status_code)


@pytest.mark.parametrize("route", sorted(CASES))
def test_it_answers_404_for_an_id_that_does_not_exist(client, world, route):
    """Guessing the next id gives the same answer as someone else's object."""
    case = CASES[route]
    # Staff see everything; the token page is the owner's own.
    role = "owner" if case.allowed == {"owner"} else "staff"
    url = case.url(world)
    pk = str((case.guessed(world) if case.guessed else world.dealership).pk)
    guessed = url.replace(f"/{pk}/", f"/{int(pk) + 10_000}/", 1)
    assert guessed != url
    response = call(client, case, world, role, url=guessed)
    assert response.status_code == 404
