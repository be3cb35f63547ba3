"""Questionnaire versions, assessments and their answers, results and PDF reports."""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dealers.models import Dealership, Invitation, Network
from maturity.engine.definition import Questionnaire
from maturity.questionnaire.versions import definition_for


class QuestionnaireVersion(models.Model):
    """An immutable published questionnaire, identified by the hash of its content.

    The content is stored whole, so an assessment keeps being shown and scored with the
    questions and rules it was answered on, whatever is published later.
    """

    label = models.CharField(_("version"), max_length=20)
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    content = models.JSONField(editable=False)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = ["published_at", "pk"]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")

    def __str__(self) -> str:
        return f"{self.label} ({self.content_hash[:8]})"

    @cached_property
    def definition(self) -> Questionnaire:
        return definition_for(self)


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    """The reads every page writes: drafts, submitted ones, newest first..."""

    def drafts(self) -> AssessmentQuerySet:
        return self.filter(status=Assessment.Status.DRAFT)

    def submitted(self) -> AssessmentQuerySet:
        return self.filter(status=Assessment.Status.SUBMITTED)

    def scored(self) -> AssessmentQuerySet:
        """Submitted and with a stored result (what the follow-up pages can show)."""
        return self.submitted().filter(result__isnull=False)

    def newest_first(self) -> AssessmentQuerySet:
        return self.order_by("-submitted_at", "-pk")

    def oldest_first(self) -> AssessmentQuerySet:
        return self.order_by("submitted_at", "pk")

    def without_content(self) -> AssessmentQuerySet:
        """With its version, whose large content is only read when the parsed definition
        is not cached in this process yet (``QuestionnaireVersion.definition``)."""
        return self.select_related("version").defer("version__content")


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    dealership_path = "dealership"

    dealership = models.ForeignKey(Dealership, on_delete=models.CASCADE, related_name="assessments")
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The submitted assessment this one was pre-filled from."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The dealer profile the questionnaire was asked of, frozen at submission; a draft
    # follows the dealership's profile (the owner may correct it while answering).
    profile = models.CharField(_("dealer profile"), max_length=20, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            # One draft at a time per dealership: colleagues work on the same one.
            models.UniqueConstraint(
                fields=["dealership"],
                condition=Q(status="draft"),
                name="assessment_one_draft_per_dealership",
            ),
        ]
        indexes = [
            models.Index(fields=["dealership", "status", "-submitted_at"]),
            # The portfolio's data version reads the newest change on every page.
            models.Index(fields=["updated_at"], name="assessment_updated_at"),
        ]

    def __str__(self) -> str:
        return f"{self.dealership} – {self.get_status_display()} ({self.created_at:%Y-%m-%d})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def profile_in_use(self) -> str:
        """The dealer profile its questions are asked of (a draft's is the dealership's)."""
        return self.profile or self.dealership.profile

    @cached_property
    def definition(self) -> Questionnaire:
        """The questionnaire of its version as asked of its dealer profile: what the
        wizard shows, what is scored, what the roadmap builds on."""
        return self.version.definition.for_profile(self.profile_in_use or None)


class AnswerQuerySet(models.QuerySet["Answer"]):
    def rows_by_key(self) -> dict[str, Answer]:
        """Every row by question key, cleared answers too (they carry their revision)."""
        return {answer.question_key: answer for answer in self.select_related("updated_by")}

    def values_by_key(self) -> dict[str, Any]:
        """``{question key: value}`` of the answered questions (a cleared answer keeps its
        row with a JSON null: it counts as unanswered)."""
        return {
            key: value
            for key, value in self.values_list("question_key", "value")
            if value is not None
        }


class Answer(models.Model):
    """One answer; ``revision`` grows with each save, to refuse stale overwrites."""

    dealership_path = "assessment__dealership"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question_key = models.CharField(max_length=80)
    value = models.JSONField()
    revision = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question_key"], name="answer_unique_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_key} = {self.value!r}"


class AssessmentResult(models.Model):
    """The score of a submitted assessment, frozen at submission.

    ``snapshot`` is ``maturity.engine.scoring.Result.to_dict()``: scores, levels, rung,
    explanations and the engine version. Later rule changes never rewrite it; the
    ``recompute_results`` command reports differences and only writes when asked.
    """

    dealership_path = "assessment__dealership"

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="result")
    engine_version = models.CharField(max_length=20)
    rung = models.PositiveSmallIntegerField()
    overall_score = models.FloatField()
    area_scores = models.JSONField(help_text="area key -> score (0..100)")
    snapshot = models.JSONField()
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return f"{self.assessment}: rung {self.rung}, {self.overall_score:.0f}/100"


class Report(models.Model):
    """A PDF roadmap request: this row is the truth about the rendering job."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    dealership_path = "assessment__dealership"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=2, default="fr")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # What the PDF is made of (answers, result, review, language, template version): a
    # ready report with the same fingerprint is reused instead of rendering again.
    fingerprint = models.CharField(max_length=64, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    # "host:pid" of the process rendering it: a redelivery can take over at once from a
    # process that died (worker killed) instead of waiting for the stale delay.
    claimed_by = models.CharField(max_length=200, blank=True)
    # Written every few seconds while the claim's render runs (and at the claim): a claim
    # whose heartbeat stopped belongs to a worker that died, and is re-queued by the sweep
    # within a minute instead of after the hard time limit.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("PDF report")
        verbose_name_plural = _("PDF reports")
        indexes = [models.Index(fields=["status", "queued_at"])]

    def __str__(self) -> str:
        return f"Report {self.pk} ({self.status})"


# --- Follow-up: roadmap statuses, consultant review, reminders -----------------


class RoadmapActionStatus(models.Model):
    """Where the dealership stands on one roadmap action (catalogue key), and who owns it.

    One row per dealership and action, kept across assessments: an action marked done stays
    done when a new roadmap lists it again. ``done_at`` says when it was last marked done,
    so "done since the previous assessment" is ``done_at`` after that submission.

    The plan of the action: an ``owner`` (a person of the dealership or one of its
    consultants), a ``due_date`` and ``notes``; every change of them is kept in
    ``RoadmapActionChange``. ``due_notified_on`` is the due date its owner was last told
    about, so each due date is announced once.
    """

    class Status(models.TextChoices):
        TODO = "todo", _("Not started")
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    dealership_path = "dealership"

    dealership = models.ForeignKey(
        Dealership, on_delete=models.CASCADE, related_name="roadmap_statuses"
    )
    action_key = models.CharField(max_length=80)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.TODO
    )
    done_at = models.DateTimeField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_actions",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    due_notified_on = models.DateField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("roadmap action status")
        verbose_name_plural = _("roadmap action statuses")
        constraints = [
            models.UniqueConstraint(
                fields=["dealership", "action_key"], name="roadmap_status_unique_action"
            ),
            models.CheckConstraint(
                condition=Q(status="done", done_at__isnull=False) | ~Q(status="done"),
                name="roadmap_status_done_has_date",
            ),
        ]
        # The portfolio's data version reads the newest roadmap move on every page.
        indexes = [models.Index(fields=["updated_at"], name="roadmap_status_updated_at")]

    def __str__(self) -> str:
        return f"{self.dealership_id}/{self.action_key}: {self.status}"

    def is_overdue(self, today: date) -> bool:
        return (
            self.due_date is not None
            and self.due_date < today
            and self.status != RoadmapActionStatus.Status.DONE
        )


class RoadmapActionChange(models.Model):
    """One change of a roadmap action's status, owner, due date or notes: who, when, what."""

    class Field(models.TextChoices):
        STATUS = "status", _("status")
        OWNER = "owner", _("owner")
        DUE_DATE = "due_date", _("due date")
        NOTES = "notes", _("notes")

    dealership_path = "dealership"

    dealership = models.ForeignKey(
        Dealership, on_delete=models.CASCADE, related_name="roadmap_changes"
    )
    action_key = models.CharField(max_length=80)
    field = models.CharField(max_length=10, choices=Field.choices)
    before = models.CharField(max_length=300, blank=True)
    after = models.CharField(max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("roadmap action change")
        verbose_name_plural = _("roadmap action changes")
        indexes = [models.Index(fields=["dealership", "action_key", "-changed_at"])]

    def __str__(self) -> str:
        return f"{self.dealership_id}/{self.action_key} {self.field}: {self.before} → {self.after}"


class AssessmentReview(models.Model):
    """A consultant's review of a submitted assessment: what is published, and a draft.

    The dealer reads the review only once it is published (``reviewed_at`` set: when it
    was last published, by ``reviewed_by``), and then ``overall_note`` and the area
    comments' ``body``: the published text. What the consultant writes in between is a
    draft (``draft_note``, ``AreaComment.draft_body``; ``None``: no change pending),
    seen by consultants and staff only, on pages and in the PDF alike, until they publish
    it (``maturity.review.services``).
    """

    dealership_path = "assessment__dealership"

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="review")
    overall_note = models.TextField(_("overall note"), blank=True, max_length=5000)
    # NULL (no change pending) is not "" (the note is to be emptied at the next publication).
    draft_note = models.TextField(  # noqa: DJ001
        _("draft note"), null=True, blank=True, max_length=5000
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"Review of {self.assessment_id}"

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None


class AreaComment(models.Model):
    """A consultant's comment on one area of a submitted assessment.

    ``body`` is the published text (read by the dealer while the review is published);
    ``draft_body`` the change the consultant has not published yet (``None``: none; ``""``:
    the comment goes at the next publication).
    """

    dealership_path = "assessment__dealership"

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="area_comments"
    )
    area_key = models.CharField(max_length=40)
    body = models.TextField(_("comment"), max_length=3000, blank=True)
    # NULL (no change pending) is not "" (the comment goes at the next publication).
    draft_body = models.TextField(  # noqa: DJ001
        _("draft comment"), null=True, blank=True, max_length=3000
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("area comment")
        verbose_name_plural = _("area comments")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "area_key"], name="area_comment_unique_area"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.area_key}"


class EvidenceCheck(models.Model):
    """A consultant opened an evidence link (a ``url`` answer) and confirms it holds."""

    dealership_path = "assessment__dealership"

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="evidence_checks"
    )
    question_key = models.CharField(max_length=80)
    url = models.URLField(max_length=500)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField()

    class Meta:
        verbose_name = _("verified evidence link")
        verbose_name_plural = _("verified evidence links")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question_key"], name="evidence_check_unique_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.question_key} verified"


class ReminderLog(models.Model):
    """One reminder e-mail about an untouched draft: never twice a day to the same person."""

    dealership_path = "assessment__dealership"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="draft_reminders"
    )
    email = models.EmailField()
    sent_on = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("draft reminder")
        verbose_name_plural = _("draft reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "user", "sent_on"], name="reminder_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"Reminder {self.email} {self.sent_on}"


# --- Delegation: a colleague answers one area of a draft ------------------------------


class AreaDelegation(models.Model):
    """Someone of the dealership asked a colleague to answer one area of a draft.

    Informative: it says who answers the step (the step and the dealer home show it) and
    leads the colleague there by e-mail; every person of the dealership may still answer
    any step. One delegate per area of a draft.
    """

    dealership_path = "assessment__dealership"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="delegations")
    area_key = models.CharField(max_length=40)
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegated_areas"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.CharField(_("message"), max_length=500, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("delegated area")
        verbose_name_plural = _("delegated areas")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "area_key"], name="delegation_one_per_area"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.area_key} → {self.delegate_id}"


# --- Targets -------------------------------------------------------------------------


class DealershipTarget(models.Model):
    """The rung the dealership aims for, and by when (set by its people or consultant)."""

    dealership_path = "dealership"

    dealership = models.OneToOneField(Dealership, on_delete=models.CASCADE, related_name="target")
    rung = models.PositiveSmallIntegerField(_("target rung"))
    due_date = models.DateField(_("target date"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return f"{self.dealership_id}: rung {self.rung} by {self.due_date}"


# --- Campaigns -----------------------------------------------------------------------


class Campaign(models.Model):
    """A consultant asks a set of dealerships to assess themselves by a due date.

    Each dealership gets a draft (``CampaignDealership.assessment``) and its contacts an
    e-mail; reminders follow every ``reminder_every_days`` days (0: none), at most
    ``reminder_max`` per person, until the dealership submits or the campaign is closed.
    """

    title = models.CharField(_("title"), max_length=150)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    due_date = models.DateField(_("due date"))
    reminder_every_days = models.PositiveSmallIntegerField(_("remind every (days)"), default=7)
    reminder_max = models.PositiveSmallIntegerField(_("reminders at most"), default=3)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="campaigns"
    )
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the "due soon" and "overdue" notifications went out (each goes once).
    due_soon_notified_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CampaignDealership(models.Model):
    """One dealership of a campaign, its draft and, when it had no contact, its invitation."""

    dealership_path = "dealership"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participants")
    dealership = models.ForeignKey(
        Dealership, on_delete=models.CASCADE, related_name="campaign_entries"
    )
    assessment = models.ForeignKey(
        Assessment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaign_entries",
    )
    # A dealership without contact: the address the consultant gave, invited by the
    # campaign's sending job (``invitation`` once done).
    invite_email = models.EmailField(blank=True)
    invite_name = models.CharField(max_length=150, blank=True)
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        verbose_name = _("campaign dealership")
        verbose_name_plural = _("campaign dealerships")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "dealership"], name="campaign_dealership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.dealership_id}"


class CampaignMessage(models.Model):
    """One campaign e-mail to one person: the launch, a reminder or the invitation.

    Never two a day to the same address in one campaign (the unique constraint holds even
    with two workers sending at once); the log is what the campaign page shows.
    """

    class Kind(models.TextChoices):
        LAUNCH = "launch", _("Launch e-mail")
        INVITATION = "invitation", _("Invitation")
        REMINDER = "reminder", _("Reminder")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="messages")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaign_messages",
    )
    email = models.EmailField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # The dealerships the e-mail was about (ids), for the log and the owner's export.
    dealership_ids = models.JSONField(default=list)
    sent_on = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("campaign e-mail")
        verbose_name_plural = _("campaign e-mails")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "email", "sent_on"], name="campaign_message_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.email} {self.sent_on}"


# --- Notifications -----------------------------------------------------------------------


class Notification(models.Model):
    """Something that happened, for one person: in their list, and e-mailed as they chose.

    ``delivery`` is the person's choice when it was created (``immediate``: e-mailed at
    once; ``digest``: in the next daily digest); ``emailed_at`` says when it went out. The
    sentence is written when shown, in the reader's language, from ``kind`` and ``data``.
    """

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("An assessment is submitted")
        REVIEW_PUBLISHED = "review_published", _("A review is published")
        REPORT_READY = "report_ready", _("A PDF report is ready")
        CAMPAIGN_DUE = "campaign_due", _("A campaign is due soon or overdue")
        ACTION_DUE = "action_due", _("A roadmap action is due")
        AREA_DELEGATED = "area_delegated", _("A colleague asks you to answer a step")

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediately")
        DIGEST = "digest", _("In a daily digest")
        OFF = "off", _("Off")

    dealership_path = "dealership"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dealership = models.ForeignKey(
        Dealership, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    url = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["delivery", "emailed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"


class NotificationPreference(models.Model):
    """How one person wants one kind of notification (no row: immediately)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=20, choices=Notification.Kind.choices)
    delivery = models.CharField(max_length=10, choices=Notification.Delivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.kind}: {self.delivery}"


class NotificationDigest(models.Model):
    """One daily digest e-mail to one person: never two on the same day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_digests"
    )
    sent_on = models.DateField()
    sent_at = models.DateTimeField()
    count = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("notification digest")
        verbose_name_plural = _("notification digests")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "sent_on"], name="notification_digest_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"Digest {self.user_id} {self.sent_on}"


# --- Webhooks ------------------------------------------------------------------------------


class WebhookEndpoint(models.Model):
    """A URL of a consultant's (or staff's) own system that hears about chosen events.

    Deliveries follow the Standard Webhooks specification, signed with ``secret``
    (``whsec_`` + base64): it is kept to sign, and shown to its owner only once, when it is
    generated. A consultant's endpoint hears about the dealerships they follow (and their
    own campaigns); staff's about everything.
    """

    class Event(models.TextChoices):
        ASSESSMENT_SUBMITTED = "assessment.submitted", _("An assessment is submitted")
        ASSESSMENT_REVIEWED = "assessment.reviewed", _("A review is published")
        REPORT_READY = "report.ready", _("A PDF report is ready")
        CAMPAIGN_LAUNCHED = "campaign.launched", _("A campaign is launched")
        CAMPAIGN_CLOSED = "campaign.closed", _("A campaign is closed")
        WEBSITE_CHECKED = "measurement.website_checked", _("A website check is finished")
        LEAD_TEST_RECORDED = "measurement.lead_test_recorded", _("A lead-response test is recorded")
        REVIEWS_IMPORTED = "measurement.reviews_imported", _("Customer reviews are imported")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(max_length=100)
    is_active = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField()
    secret_rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event for one endpoint: its signed message and where its sending stands.

    ``message_id`` is the ``webhook-id`` header, the same for every attempt (receivers
    use it to ignore a message they already have). Automatic attempts stop at
    ``attempt_limit``; a re-send raises it for a new series.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RETRYING = "retrying", _("Retrying")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_type = models.CharField(max_length=40)
    message_id = models.CharField(max_length=40, unique=True)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    attempt_limit = models.PositiveSmallIntegerField()
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint_id} ({self.status})"


class WebhookAttempt(models.Model):
    """One try of a delivery: what the endpoint answered (or why nothing was sent)."""

    class Outcome(models.TextChoices):
        SUCCEEDED = "succeeded", _("Delivered")
        RETRY = "retry", _("Failed, will retry")
        FAILED = "failed", _("Failed")

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    # An ``OutgoingError`` code ("timeout", "connect", "private_address"...), else "".
    error_code = models.CharField(max_length=30, blank=True)
    error = models.CharField(max_length=300, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}: {self.outcome}"


# --- Measurements --------------------------------------------------------------------


class Measurement(models.Model):
    """One dated measurement of a dealership (the website check), with one row per check.

    ``status`` is ``pending`` until a worker starts it, ``ok`` when the checks ran (some
    may still say "could not tell"), ``failed`` when the address could not be checked
    (``reason`` says why: unreachable, refused address, too many redirects...).
    """

    dealership_path = "dealership"

    class Kind(models.TextChoices):
        WEBSITE = "website", _("website")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        RUNNING = "running", _("running")
        OK = "ok", _("measured")
        FAILED = "failed", _("failed")

    class Trigger(models.TextChoices):
        REQUEST = "request", _("on request")
        MONTHLY = "monthly", _("monthly")
        URL_CHANGED = "url_changed", _("website address changed")
        DEMO = "demo", _("demo data")

    dealership = models.ForeignKey(
        Dealership, on_delete=models.CASCADE, related_name="measurements"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.WEBSITE)
    url = models.URLField(max_length=500)
    final_url = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(max_length=500, blank=True)
    trigger = models.CharField(max_length=20, choices=Trigger.choices, default=Trigger.REQUEST)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The pages read (url, kind, status...): what the checks' evidence refers to.
    pages = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["dealership", "kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.dealership_id} {self.kind} {self.status} {self.created_at:%Y-%m-%d}"

    @property
    def done(self) -> bool:
        return self.status in (self.Status.OK, self.Status.FAILED)

    @property
    def measured_on(self) -> date | None:
        return self.finished_at.date() if self.finished_at else None


class MeasurementCheck(models.Model):
    """One check of a measurement: ``ok`` True/False, ``None`` when it could not tell."""

    dealership_path = "measurement__dealership"

    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="checks")
    key = models.CharField(max_length=40)  # "mobile", see measurements.website.CHECK_KEYS
    ok = models.BooleanField(null=True)
    evidence = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("measured check")
        verbose_name_plural = _("measured checks")
        constraints = [
            models.UniqueConstraint(fields=["measurement", "key"], name="measurement_check_unique")
        ]

    def __str__(self) -> str:
        return f"{self.measurement_id}/{self.key}: {self.ok}"


class MeasurementConfirmation(models.Model):
    """A consultant confirms a declared answer that a measurement contradicts.

    ``key`` names the comparison (``website_mobile``, ``website_contact.contact_form``,
    see ``maturity.engine.measured``): from then on the declared value is scored for the
    dealership, and the confirmation is shown beside it with its comment.
    """

    dealership_path = "dealership"

    dealership = models.ForeignKey(
        Dealership, on_delete=models.CASCADE, related_name="measurement_confirmations"
    )
    key = models.CharField(max_length=120)
    measurement = models.ForeignKey(
        Measurement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(_("comment"), max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("confirmed declaration")
        verbose_name_plural = _("confirmed declarations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dealership", "key"], name="measurement_confirmation_unique_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dealership_id}/{self.key} confirmed"


class PeerStatistic(models.Model):
    """Precomputed peer aggregates of one area (or the overall score) in one peer group.

    Written only by ``maturity.peers.services``: refreshed after each submission and
    rebuilt by a beat job. ``group_key`` names the group inside ``group_by``: a region or
    size band or profile code, the comma-joined brand ids of a brand set ("any shared
    brand"), or "" for all dealerships. ``area_key`` "" is the overall score.

    ``q1``/``median``/``q3`` are over all ``count`` latest results of the group. ``window``
    keeps, per quartile, the three sorted scores around the position the quartile takes
    once one score is removed: enough to exclude the viewing dealership's own score
    exactly, without storing every score (see ``maturity.peers.quartiles``).
    """

    group_by = models.CharField(max_length=16)
    group_key = models.CharField(max_length=200, blank=True)
    area_key = models.CharField(max_length=64, blank=True)
    count = models.PositiveIntegerField()
    q1 = models.FloatField(null=True)
    median = models.FloatField(null=True)
    q3 = models.FloatField(null=True)
    window = models.JSONField(default=list)
    # When the refresh that wrote the row STARTED reading: a submission committed before
    # that moment is in it, so a later refresh request for that submission can be skipped.
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("peer statistic")
        verbose_name_plural = _("peer statistics")
        constraints = [
            models.UniqueConstraint(
                fields=["group_by", "group_key", "area_key"], name="peer_statistic_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group_by}:{self.group_key}:{self.area_key or 'overall'} ({self.count})"


class PeerContribution(models.Model):
    """The scores a dealership put into the peer statistics at their last refresh.

    Read to take the dealership's own score out of its groups' quartiles; written in the
    same refresh as the statistics so both describe the same latest result.
    """

    dealership = models.OneToOneField(
        Dealership, on_delete=models.CASCADE, primary_key=True, related_name="peer_contribution"
    )
    scores = models.JSONField(default=dict)  # {"": overall, area key: score}
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("peer contribution")
        verbose_name_plural = _("peer contributions")

    def __str__(self) -> str:
        return f"Peer contribution of {self.dealership_id}"


class NetworkAggregate(models.Model):
    """Precomputed figures of one network's dealerships, what its dashboard shows.

    Written only by ``maturity.network.services`` (after a submission of one of its
    dealerships, and hourly by beat), so the dashboard reads one row whatever the size of
    the network. ``figures`` holds counts and medians per group with each group's count
    (rungs, areas by region and by profile, quarters, campaigns): the page applies the
    rule of at least ``NETWORK_MIN_DEALERSHIPS`` when it shows them, never a dealership's
    own answer or score.
    """

    network = models.OneToOneField(
        Network, on_delete=models.CASCADE, primary_key=True, related_name="aggregate"
    )
    dealerships = models.PositiveIntegerField(default=0)  # in the network
    assessed = models.PositiveIntegerField(default=0)  # of them with a submitted result
    figures = models.JSONField(default=dict)
    # When the refresh that wrote the row STARTED reading (the peers' debounce rule).
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("network aggregate")
        verbose_name_plural = _("network aggregates")

    def __str__(self) -> str:
        return f"Aggregate of network {self.network_id}"


class DealershipStanding(models.Model):
    """Where a dealership stands now: its latest submitted result and the one before.

    A copy of what its assessments say, kept by ``maturity.standing`` on every write of an
    assessment, a result or a review (signals, so that factories, the admin and services
    alike keep it), so that the portfolio filters and sorts 20,000 dealerships on indexed
    columns instead of looking up each one's latest submission. No row: nothing started.
    """

    dealership = models.OneToOneField(
        Dealership, on_delete=models.CASCADE, primary_key=True, related_name="standing"
    )
    latest_assessment = models.ForeignKey(
        Assessment, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    latest_rung = models.PositiveSmallIntegerField(null=True)
    latest_score = models.FloatField(null=True)
    latest_area_scores = models.JSONField(null=True)
    latest_submitted_at = models.DateTimeField(null=True)
    latest_reviewed_at = models.DateTimeField(null=True)
    previous_rung = models.PositiveSmallIntegerField(null=True)
    previous_score = models.FloatField(null=True)
    previous_area_scores = models.JSONField(null=True)
    has_draft = models.BooleanField(default=False)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dealership standing")
        verbose_name_plural = _("dealership standings")
        # The portfolio's sorts and filters.
        indexes = [
            models.Index(fields=["latest_score"], name="standing_latest_score"),
            models.Index(fields=["latest_rung"], name="standing_latest_rung"),
            models.Index(fields=["latest_submitted_at"], name="standing_latest_submitted"),
            # The portfolio's data version reads the newest refresh on every page.
            models.Index(fields=["refreshed_at"], name="standing_refreshed_at"),
        ]

    def __str__(self) -> str:
        return f"Standing of dealership {self.dealership_id}"


# --- Measured: lead-response tests and imported reviews ---------------------------------


class LeadTest(models.Model):
    """A "mystery" enquiry a consultant sent the dealership, and how it was answered.

    ``replied_at`` is the first human reply (``None``: none recorded yet); ``grid_items``
    the keys of the published quality grid the reply met (``maturity/content/
    lead_grid.yaml``). A test without reply counts as unanswered once the grid's delay has
    passed (``maturity.measurements.leads.grid``).
    """

    class Channel(models.TextChoices):
        WEBSITE_FORM = "website_form", _("Website form")
        EMAIL = "email", _("E-mail")
        FACEBOOK = "facebook", _("Facebook message")
        INSTAGRAM = "instagram", _("Instagram message")
        PHONE = "phone", _("Phone")
        GOOGLE = "google", _("Google (Business Profile)")

    dealership_path = "dealership"

    dealership = models.ForeignKey(Dealership, on_delete=models.CASCADE, related_name="lead_tests")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    question = models.TextField(_("question asked"), max_length=1000)
    sent_at = models.DateTimeField(_("sent at"))
    replied_at = models.DateTimeField(_("first human reply at"), null=True, blank=True)
    grid_items = models.JSONField(default=list, blank=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("lead-response test")
        verbose_name_plural = _("lead-response tests")
        indexes = [models.Index(fields=["dealership", "-sent_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(replied_at__isnull=True) | Q(replied_at__gte=models.F("sent_at")),
                name="lead_test_reply_after_sending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dealership_id}/{self.channel} {self.sent_at:%Y-%m-%d}"


class ReviewImport(models.Model):
    """One uploaded reviews export (a CSV or Google's reviews JSON), imported whole.

    ``rating`` and ``answered_share`` are the dealership's figures over all its imported
    reviews right after this import: the portfolio compares an import with the one before.
    """

    class Format(models.TextChoices):
        CSV = "csv", _("CSV file")
        GOOGLE = "google", _("Google Business Profile (JSON)")

    dealership_path = "dealership"

    dealership = models.ForeignKey(
        Dealership, on_delete=models.CASCADE, related_name="review_imports"
    )
    file_format = models.CharField(max_length=10, choices=Format.choices)
    filename = models.CharField(max_length=200)
    file_hash = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    added = models.PositiveIntegerField()
    updated = models.PositiveIntegerField(default=0)
    rating = models.FloatField(null=True, blank=True)
    answered_share = models.FloatField(null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("reviews import")
        verbose_name_plural = _("reviews imports")
        indexes = [models.Index(fields=["dealership", "-imported_at"])]

    def __str__(self) -> str:
        return f"{self.dealership_id}/{self.filename} {self.imported_at:%Y-%m-%d}"


class CustomerReview(models.Model):
    """One customer review of the dealership, as an import read it.

    ``key`` identifies the review across imports (the platform's id, else a hash of its
    date, rating and text): importing the same file again adds nothing.
    """

    dealership_path = "dealership"

    dealership = models.ForeignKey(
        Dealership, on_delete=models.CASCADE, related_name="customer_reviews"
    )
    source = models.ForeignKey(
        ReviewImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    key = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("date"))
    rating = models.PositiveSmallIntegerField(_("rating"))
    text = models.TextField(_("text"), blank=True)
    replied_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("customer review")
        verbose_name_plural = _("customer reviews")
        constraints = [
            models.UniqueConstraint(fields=["dealership", "key"], name="customer_review_unique"),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="customer_review_rating_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dealership_id}: {self.rating}★ {self.created_at:%Y-%m-%d}"
