"""Questionnaire versions, assessments and their answers, results and PDF reports."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dealers.models import Dealership
from maturity.engine.definition import Questionnaire


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
        from maturity.questionnaires import definition_for

        return definition_for(self)


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
