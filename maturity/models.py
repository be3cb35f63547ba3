"""Questionnaire versions, assessments and their answers, results and PDF reports."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dealers.models import Dealership
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
        indexes = [models.Index(fields=["dealership", "status", "-submitted_at"])]

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
    """Where the dealership stands on one roadmap action (catalogue key).

    One row per dealership and action, kept across assessments: an action marked done stays
    done when a new roadmap lists it again. ``done_at`` says when it was last marked done,
    so "done since the previous assessment" is ``done_at`` after that submission.
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

    def __str__(self) -> str:
        return f"{self.dealership_id}/{self.action_key}: {self.status}"


class AssessmentReview(models.Model):
    """A consultant's overall note on a submitted assessment, and whether it is reviewed."""

    dealership_path = "assessment__dealership"

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="review")
    overall_note = models.TextField(_("overall note"), blank=True, max_length=5000)
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
    """A consultant's comment on one area of a submitted assessment (the dealer reads it)."""

    dealership_path = "assessment__dealership"

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="area_comments"
    )
    area_key = models.CharField(max_length=40)
    body = models.TextField(_("comment"), max_length=3000)
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
