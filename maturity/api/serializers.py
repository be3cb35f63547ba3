"""What the API reads and writes, field by field (the OpenAPI schema is made from these).

Output serializers read model rows or the plain dicts of the features' documents (the
JSON export's shape, ``maturity.results.export``); input serializers only check the
request's shape: the rules (an answer's value, a stale revision, who may do what) stay in
the features' services and in ``dealers.permissions``.

Every resource carries its ``id`` and its ``url`` in the API (stable within ``v1``), and
``web_url``, the page a person opens for it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request

from dealers.models import LANGUAGE_CHOICES, DealerProfile, Dealership, Region, SizeBand
from maturity.engine.scoring import display
from maturity.models import (
    Assessment,
    LeadTest,
    Measurement,
    Report,
    ReviewImport,
    RoadmapActionStatus,
)
from maturity.reports.content import REPORT_LANGUAGES


def _absolute(request: Request | None, path: str) -> str:
    if request is None:
        return settings.SITE_URL.rstrip("/") + path
    return request.build_absolute_uri(path)


@extend_schema_field({"type": "string", "format": "uri"})
class LinkField(serializers.Field):
    """An absolute URL to ``view_name`` with the ids that ``args(instance)`` gives (``None``
    when there is nothing to link to)."""

    def __init__(self, view_name: str, args, **kwargs: Any) -> None:
        self.view_name, self.args = view_name, args
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, instance: Any) -> str | None:
        args = self.args(instance)
        if args is None:
            return None
        return _absolute(self.context.get("request"), reverse(self.view_name, args=args))


def link(view_name: str, args, *, nullable: bool = False, help_text: str = "") -> LinkField:
    return LinkField(view_name, args, allow_null=nullable, help_text=help_text)


def _get(instance: Any, name: str) -> Any:
    return instance[name] if isinstance(instance, dict) else getattr(instance, name)


class BilingualSerializer(serializers.Serializer):
    fr = serializers.CharField()
    en = serializers.CharField()


# --- dealerships -------------------------------------------------------------------------------


class GroupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class DealershipSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    url = link("api_dealership_detail", lambda d: [d.pk])
    web_url = link("dealership_detail", lambda d: [d.pk], help_text="The dealership's page.")
    name = serializers.CharField(read_only=True)
    city = serializers.CharField(read_only=True)
    region = serializers.ChoiceField(choices=Region.choices, read_only=True)
    group = GroupSerializer(read_only=True, allow_null=True)
    brands = serializers.SerializerMethodField()
    size_band = serializers.ChoiceField(choices=SizeBand.choices, read_only=True)
    profile = serializers.ChoiceField(choices=DealerProfile.choices, read_only=True)
    website_url = serializers.CharField(read_only=True)
    social_urls = serializers.ListField(child=serializers.CharField(), read_only=True)
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_brands(self, dealership: Dealership) -> list[str]:
        return [brand.name for brand in dealership.brands.all()]


class DealershipProfileSerializer(serializers.Serializer):
    """The fields the owner may change (``PATCH``: send only those that change)."""

    profile = serializers.ChoiceField(choices=DealerProfile.choices, required=False)
    website_url = serializers.URLField(
        required=False,
        allow_blank=True,
        max_length=Dealership._meta.get_field("website_url").max_length,
    )
    social_urls = serializers.ListField(
        child=serializers.URLField(max_length=500), required=False, max_length=20
    )
    size_band = serializers.ChoiceField(choices=SizeBand.choices, required=False)
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False)

    def validate_social_urls(self, value: list[str]) -> list[str]:
        return list(dict.fromkeys(url.strip() for url in value))  # keep order, drop repeats


# --- assessments ---------------------------------------------------------------------------


class AreaScoreSerializer(serializers.Serializer):
    area = serializers.CharField()
    title = BilingualSerializer()
    score = serializers.FloatField(allow_null=True)


class ResultSerializer(serializers.Serializer):
    """The frozen result (``maturity.results.export.result_part``)."""

    engine_version = serializers.CharField()
    computed_at = serializers.DateTimeField()
    rung = serializers.IntegerField()
    rung_title = BilingualSerializer(allow_null=True)
    overall_score = serializers.FloatField()
    areas = AreaScoreSerializer(many=True)
    snapshot = serializers.JSONField(
        help_text="What the scoring engine said at submission: scores, levels, the "
        "conditions of each rung and whether they held (the results page's 'why')."
    )


class AnswerSerializer(serializers.Serializer):
    """A stored answer. ``revision`` is what to send back with the next change of it; a
    cleared answer keeps its row, with a ``null`` value and its revision."""

    question = serializers.CharField()
    area = serializers.CharField()
    kind = serializers.CharField()
    value = serializers.JSONField(allow_null=True)
    label = BilingualSerializer(allow_null=True, help_text="The answer in plain words.")
    revision = serializers.IntegerField()
    updated_at = serializers.DateTimeField(allow_null=True)
    updated_by = serializers.CharField(allow_null=True)


class AssessmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = link("api_assessment_detail", lambda a: [_get(a, "pk")])
    web_url = link(
        "assessment_detail",
        lambda a: [_get(a, "dealership_id"), _get(a, "pk")],
        help_text="The assessment's page (the wizard, or its answers once submitted).",
    )
    dealership = serializers.IntegerField(source="dealership_id")
    dealership_url = link("api_dealership_detail", lambda a: [_get(a, "dealership_id")])
    status = serializers.ChoiceField(choices=Assessment.Status.choices)
    questionnaire_version = serializers.CharField(source="version.label")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    submitted_by = serializers.SerializerMethodField()
    previous = serializers.IntegerField(
        source="previous_id",
        allow_null=True,
        help_text="The submitted assessment this one was pre-filled from.",
    )
    rung = serializers.SerializerMethodField()
    overall_score = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "nullable": True})
    def get_submitted_by(self, assessment: Assessment) -> str | None:
        return str(assessment.submitted_by) if assessment.submitted_by else None

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_rung(self, assessment: Assessment) -> int | None:
        result = getattr(assessment, "result", None)
        return result.rung if result is not None else None

    @extend_schema_field({"type": "number", "nullable": True})
    def get_overall_score(self, assessment: Assessment) -> float | None:
        result = getattr(assessment, "result", None)
        return display(result.overall_score) if result is not None else None


class AssessmentDetailSerializer(AssessmentSerializer):
    questionnaire_hash = serializers.CharField(source="version.content_hash")
    answers = AnswerSerializer(many=True, source="api_answers")
    missing = serializers.ListField(
        child=serializers.CharField(),
        source="api_missing",
        help_text="Required questions still unanswered (a draft cannot be submitted before).",
    )
    result = ResultSerializer(source="api_result", allow_null=True)


class AnswerWriteSerializer(serializers.Serializer):
    value = serializers.JSONField(
        allow_null=True,
        help_text="An option key, a list of option keys, a number or a text, depending "
        "on the question's kind; null clears the answer.",
    )
    revision = serializers.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        help_text="The answer's revision you read (0 when it had none). A stale revision "
        "is refused with 409 and the stored answer.",
    )


class AnswerItemSerializer(AnswerWriteSerializer):
    question = serializers.CharField(max_length=80)


class AnswersWriteSerializer(serializers.Serializer):
    answers = AnswerItemSerializer(many=True, min_length=1, max_length=500)

    def validate_answers(self, answers: list[dict[str, Any]]) -> list[dict[str, Any]]:
        keys = [a["question"] for a in answers]
        if len(keys) != len(set(keys)):
            raise serializers.ValidationError(_("Each question may appear only once."))
        return answers


class AnswersSerializer(serializers.Serializer):
    answers = AnswerSerializer(many=True)


# --- the questions of an assessment's version --------------------------------------------------


class OptionSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = BilingualSerializer()
    exclusive = serializers.BooleanField()


class ScaleSerializer(serializers.Serializer):
    min = serializers.IntegerField()
    max = serializers.IntegerField()
    min_label = BilingualSerializer()
    max_label = BilingualSerializer()


class NumberSpecSerializer(serializers.Serializer):
    min = serializers.FloatField()
    max = serializers.FloatField()
    integer = serializers.BooleanField()
    unit = BilingualSerializer(allow_null=True)


class ShowIfSerializer(serializers.Serializer):
    question = serializers.CharField()
    any_of = serializers.ListField(child=serializers.CharField())


class AnswerStateSerializer(serializers.Serializer):
    value = serializers.JSONField(allow_null=True)
    revision = serializers.IntegerField()


class QuestionSerializer(serializers.Serializer):
    key = serializers.CharField()
    area = serializers.CharField()
    kind = serializers.CharField()
    text = BilingualSerializer()
    help = BilingualSerializer()
    required = serializers.BooleanField()
    allow_dont_know = serializers.BooleanField(
        help_text='"dont_know" (["dont_know"] for several choices) is accepted.'
    )
    options = OptionSerializer(many=True)
    scale = ScaleSerializer(allow_null=True)
    number = NumberSpecSerializer(allow_null=True)
    max_length = serializers.IntegerField(allow_null=True)
    show_if = ShowIfSerializer(allow_null=True)
    visible = serializers.BooleanField(
        help_text="Shown given the current answers (a hidden question is neither asked nor saved)."
    )
    answer = AnswerStateSerializer(help_text="Revision 0: never answered.")


# --- roadmap -------------------------------------------------------------------------------


class RoadmapActionSerializer(serializers.Serializer):
    action = serializers.CharField()
    horizon = serializers.CharField(help_text='"0-3", "3-6" or "6-12" (months).')
    horizon_title = serializers.CharField()
    title = serializers.CharField()
    area = serializers.CharField()
    status = serializers.ChoiceField(choices=RoadmapActionStatus.Status.choices)
    done_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True)
    owner = serializers.CharField(allow_null=True, help_text="Who carries the action.")
    due_date = serializers.DateField(allow_null=True)


class RoadmapSerializer(serializers.Serializer):
    """A result's roadmap, with the dealership's status of each action (statuses belong to
    the dealership: an action done stays done in the next roadmap)."""

    assessment = serializers.IntegerField()
    assessment_url = link("api_assessment_detail", lambda r: [r["assessment"]])
    dealership = serializers.IntegerField()
    actions = RoadmapActionSerializer(many=True)


class RoadmapStatusWriteSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=RoadmapActionStatus.Status.choices)


class RoadmapPlanWriteSerializer(serializers.Serializer):
    """The plan of an action; a field left out keeps its value, ``null`` clears it."""

    owner = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="Id of a person of the dealership or of one of its consultants.",
    )
    due_date = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=10_000)


class RoadmapStatusSerializer(serializers.Serializer):
    action = serializers.CharField(source="action_key")
    status = serializers.ChoiceField(choices=RoadmapActionStatus.Status.choices)
    done_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    updated_by = serializers.SerializerMethodField()
    owner = serializers.IntegerField(source="owner_id", allow_null=True)
    owner_name = serializers.SerializerMethodField()
    due_date = serializers.DateField(allow_null=True)
    notes = serializers.CharField()

    @extend_schema_field({"type": "string", "nullable": True})
    def get_updated_by(self, row: RoadmapActionStatus) -> str | None:
        return str(row.updated_by) if row.updated_by else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_owner_name(self, row: RoadmapActionStatus) -> str | None:
        return row.owner.get_full_name() if row.owner else None


REPORT_LANGUAGE_CHOICES = [
    (code, name) for code, name in LANGUAGE_CHOICES if code in REPORT_LANGUAGES
]


# --- reports ---------------------------------------------------------------------------------


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = link("api_report_detail", lambda r: [r.pk])
    assessment = serializers.IntegerField(source="assessment_id")
    assessment_url = link("api_assessment_detail", lambda r: [r.assessment_id])
    language = serializers.ChoiceField(choices=REPORT_LANGUAGE_CHOICES)
    status = serializers.ChoiceField(choices=Report.Status.choices)
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    error = serializers.CharField(help_text="Why it failed (empty otherwise).")
    download_url = link(
        "api_report_download",
        lambda r: [r.pk] if getattr(r, "api_downloadable", False) else None,
        nullable=True,
        help_text="Set once the PDF is ready.",
    )


class ReportRequestSerializer(serializers.Serializer):
    language = serializers.ChoiceField(
        choices=REPORT_LANGUAGE_CHOICES,
        required=False,
        help_text="The dealership's language when left out.",
    )


# --- portfolio -------------------------------------------------------------------------------


class PortfolioDealershipSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = link("api_dealership_detail", lambda d: [d.pk])
    name = serializers.CharField()
    city = serializers.CharField()
    region = serializers.ChoiceField(choices=Region.choices)
    group = serializers.CharField(source="group.name", allow_null=True, default=None)


class PortfolioRowSerializer(serializers.Serializer):
    """One row of the portfolio table, as on the page and in its CSV."""

    dealership = PortfolioDealershipSerializer()
    brands = serializers.ListField(child=serializers.CharField())
    rung = serializers.IntegerField(allow_null=True)
    rung_title = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    change = serializers.ChoiceField(
        choices=[("up", "up"), ("down", "down"), ("same", "same")],
        allow_null=True,
        help_text="Since the previous submitted assessment (null: none to compare with).",
    )
    change_points = serializers.FloatField(allow_null=True)
    latest_assessment = serializers.IntegerField(allow_null=True)
    latest_assessment_url = link(
        "api_assessment_detail",
        lambda r: [r["latest_assessment"]] if r["latest_assessment"] else None,
        nullable=True,
    )
    submitted_at = serializers.DateTimeField(allow_null=True)
    reviewed = serializers.BooleanField()
    has_draft = serializers.BooleanField()
    report_status = serializers.ChoiceField(choices=Report.Status.choices, allow_null=True)
    area_scores = serializers.DictField(child=serializers.FloatField())


class PortfolioPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PortfolioRowSerializer(many=True)


# --- measurements ----------------------------------------------------------------------------


def _person(user: Any) -> str | None:
    return str(user) if user is not None else None


class WebsiteCheckResultSerializer(serializers.Serializer):
    key = serializers.CharField(help_text='"mobile", "https", "contact_form"...')
    ok = serializers.BooleanField(allow_null=True, help_text="null: the check could not tell.")
    evidence = serializers.CharField(help_text="What was found, where.")


class WebsiteCheckSerializer(serializers.Serializer):
    """A website measurement: pending until a worker runs it, then ``ok`` (the checks ran)
    or ``failed`` (``reason`` says why the address could not be read)."""

    id = serializers.IntegerField()
    url = link("api_website_check_detail", lambda m: [m.pk])
    web_url = link(
        "dealership_detail",
        lambda m: [m.dealership_id],
        help_text="The dealership's page, where the check is shown.",
    )
    dealership = serializers.IntegerField(source="dealership_id")
    dealership_url = link("api_dealership_detail", lambda m: [m.dealership_id])
    status = serializers.ChoiceField(choices=Measurement.Status.choices)
    trigger = serializers.ChoiceField(choices=Measurement.Trigger.choices)
    website = serializers.CharField(source="url", help_text="The address checked.")
    final_url = serializers.CharField(help_text="Where its redirects led (empty before).")
    reason = serializers.CharField(help_text="Why it failed (empty otherwise).")
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)


class WebsiteCheckDetailSerializer(WebsiteCheckSerializer):
    checks = WebsiteCheckResultSerializer(many=True, source="checks.all")


class LeadTestSerializer(serializers.Serializer):
    """A lead-response test ("mystery" enquiry). The dealership's people read a test once
    it is closed (replied, or the grid's delay passed); its consultants and staff, all."""

    id = serializers.IntegerField()
    url = link("api_lead_test_detail", lambda t: [t.pk])
    web_url = link("lead_tests", lambda t: [t.dealership_id], help_text="The tests' page.")
    dealership = serializers.IntegerField(source="dealership_id")
    dealership_url = link("api_dealership_detail", lambda t: [t.dealership_id])
    channel = serializers.ChoiceField(choices=LeadTest.Channel.choices)
    question = serializers.CharField()
    sent_at = serializers.DateTimeField()
    replied_at = serializers.DateTimeField(allow_null=True)
    state = serializers.ChoiceField(
        choices=[("answered", "answered"), ("waiting", "waiting"), ("unanswered", "unanswered")],
        source="api_state",
        help_text="`unanswered` once the grid's delay passed without a human reply.",
    )
    grid_items = serializers.ListField(
        child=serializers.CharField(), help_text="The grid items the reply met."
    )
    score = serializers.IntegerField(
        source="api_score", allow_null=True, help_text="0-100 on the grid; null without reply."
    )
    notes = serializers.CharField()
    recorded_by = serializers.SerializerMethodField()
    recorded_at = serializers.DateTimeField()

    @extend_schema_field({"type": "string", "nullable": True})
    def get_recorded_by(self, test: LeadTest) -> str | None:
        return _person(test.recorded_by)


class LeadTestWriteSerializer(serializers.Serializer):
    """A test to record: the same fields and rules as the page's form."""

    channel = serializers.ChoiceField(choices=LeadTest.Channel.choices)
    question = serializers.CharField(
        max_length=LeadTest._meta.get_field("question").max_length, trim_whitespace=True
    )
    sent_at = serializers.DateTimeField(help_text="ISO 8601, not in the future.")
    replied_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="The first human reply (an automatic one does not count); null or left "
        "out while none came.",
    )
    grid_items = serializers.ListField(
        child=serializers.CharField(max_length=80),
        required=False,
        max_length=50,
        help_text="Keys of the grid items the reply met (only with a reply).",
    )
    notes = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=LeadTest._meta.get_field("notes").max_length,
    )


class ReviewImportSerializer(serializers.Serializer):
    """One import of a customer reviews export, with the dealership's figures after it."""

    id = serializers.IntegerField()
    url = link("api_review_import_detail", lambda r: [r.pk])
    web_url = link(
        "dealership_reviews", lambda r: [r.dealership_id], help_text="The reviews' page."
    )
    dealership = serializers.IntegerField(source="dealership_id")
    dealership_url = link("api_dealership_detail", lambda r: [r.dealership_id])
    file_format = serializers.ChoiceField(choices=ReviewImport.Format.choices)
    filename = serializers.CharField()
    rows = serializers.IntegerField(help_text="Reviews in the file.")
    added = serializers.IntegerField(help_text="New reviews (the others were already known).")
    updated = serializers.IntegerField(help_text="Known reviews with a new answer date.")
    rating = serializers.FloatField(allow_null=True, help_text="Average rating after it.")
    answered_share = serializers.FloatField(
        allow_null=True, help_text="Share of reviews answered after it, 0 to 1."
    )
    imported_by = serializers.SerializerMethodField()
    imported_at = serializers.DateTimeField()

    @extend_schema_field({"type": "string", "nullable": True})
    def get_imported_by(self, record: ReviewImport) -> str | None:
        return _person(record.imported_by)


class ReviewImportWriteSerializer(serializers.Serializer):
    file = serializers.FileField(
        max_length=200,
        help_text="A CSV (date, rating, text, reply date; French or English headers, `;` "
        "or `,`) or Google's `reviews.json`. A file with any wrong row imports nothing.",
    )


# --- campaigns -------------------------------------------------------------------------------


class CampaignSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = link("api_campaign_detail", lambda c: [c.pk])
    web_url = link("campaign_detail", lambda c: [c.pk], help_text="The campaign's page.")
    title = serializers.CharField()
    message = serializers.CharField()
    due_date = serializers.DateField()
    reminder_every_days = serializers.IntegerField()
    reminder_max = serializers.IntegerField()
    created_by = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    is_open = serializers.BooleanField()
    closed_at = serializers.DateTimeField(allow_null=True)
    dealerships = serializers.IntegerField(source="api_total")
    submitted = serializers.IntegerField(
        source="api_completed", help_text="Dealerships that submitted (reviewed or not)."
    )
    completion = serializers.IntegerField(
        source="api_rate", help_text="Percent of the dealerships that submitted."
    )
    overdue = serializers.BooleanField(source="api_overdue")

    @extend_schema_field({"type": "string", "nullable": True})
    def get_created_by(self, campaign: Any) -> str | None:
        return _person(campaign.created_by)


CAMPAIGN_STATES = [
    ("not_started", "not_started"),
    ("in_progress", "in_progress"),
    ("submitted", "submitted"),
    ("reviewed", "reviewed"),
]


class CampaignParticipantSerializer(serializers.Serializer):
    dealership = serializers.IntegerField(source="dealership.pk")
    dealership_url = link("api_dealership_detail", lambda r: [r.dealership.pk])
    name = serializers.CharField(source="dealership.name")
    city = serializers.CharField(source="dealership.city")
    state = serializers.ChoiceField(choices=CAMPAIGN_STATES)
    percent = serializers.IntegerField(help_text="Answered, for a draft (100 once submitted).")
    assessment = serializers.IntegerField(source="entry.assessment_id", allow_null=True)
    assessment_url = link(
        "api_assessment_detail",
        lambda r: [r.entry.assessment_id] if r.entry.assessment_id else None,
        nullable=True,
    )
    contacts = serializers.IntegerField(help_text="People of the dealership on the product.")
    messages = serializers.IntegerField(help_text="E-mails of the campaign sent to it.")
    last_message_at = serializers.DateTimeField(allow_null=True)


class CampaignStateCountsSerializer(serializers.Serializer):
    not_started = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    submitted = serializers.IntegerField()
    reviewed = serializers.IntegerField()


class CampaignDetailSerializer(CampaignSerializer):
    counts = CampaignStateCountsSerializer(source="api_counts")
    participants = CampaignParticipantSerializer(many=True, source="api_rows")
