"""Django admin for the maturity models: a support desk's window, not a second way to write.

Staff find an assessment, see its answers, result, review and PDF reports, and may delete
an assessment or a report (Django's confirmation page first). Every row here is written
by the product itself: the wizard and its services, the scoring engine, the consultant's
review, Celery tasks. Each write keeps an invariant that a form here would not know
(one draft per dealership, answers tied to their questionnaire version, a result frozen at
submission, who wrote a comment). So nothing is added or changed here.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from maturity.models import (
    Answer,
    AreaComment,
    Assessment,
    AssessmentResult,
    AssessmentReview,
    CustomerReview,
    EvidenceCheck,
    LeadTest,
    Measurement,
    MeasurementCheck,
    MeasurementConfirmation,
    QuestionnaireVersion,
    ReminderLog,
    Report,
    ReviewImport,
    RoadmapActionStatus,
)


def pretty_json(value: Any) -> SafeString:
    """``value`` as indented JSON in a ``<pre>``, escaped, accents kept as they are."""
    return format_html("<pre>{}</pre>", json.dumps(value, indent=2, ensure_ascii=False))


def _served_by(request: HttpRequest, model_admin: admin.ModelAdmin) -> bool:
    """The request is for one of ``model_admin``'s own pages (list, change, delete...)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return True
    # ModelAdmin.get_urls() tags each of its views with the admin that serves it.
    return getattr(match.func, "model_admin", None) is model_admin


def _remove_report_files_on_commit(reports: QuerySet[Report]) -> None:
    """Delete the stored PDFs of ``reports`` once their rows are deleted for good.

    The database cascade does not touch files, and a PDF left in the storage is a
    dealership's data kept after its deletion. A rolled-back deletion keeps its files.
    """
    names = list(reports.exclude(file="").values_list("file", flat=True))
    if not names:
        return
    storage = Report._meta.get_field("file").storage

    def remove() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(remove)


# --- permissions ---------------------------------------------------------------------------


class ViewOnlyMixin:
    """No add, no change: the product writes these rows (see the module docstring)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """View only, and never deleted from its own pages: it goes with what it belongs to.

    Django also asks this admin about its rows when another admin's deletion cascades to
    them (a dealership, a user or an assessment deleted with its confirmation page).
    Refusing there would make those deletions impossible, so this admin then answers
    with the model's ordinary delete permission.
    """

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if _served_by(request, self):
            return False
        return super().has_delete_permission(request, obj)


class ReadOnlyInline(admin.TabularInline):
    """A table of the assessment's parts, to read: no form field, no delete box."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VersionListFilter(admin.SimpleListFilter):
    """Filter by questionnaire version, reading only labels and hashes.

    Django's related filter loads every version whole: its content is the entire
    questionnaire, once per version, on every list page.
    """

    title = _("version")
    parameter_name = "version"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        rows = QuestionnaireVersion.objects.values_list("pk", "label", "content_hash")
        return [(str(pk), f"{label} ({digest[:8]})") for pk, label, digest in rows]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.filter(version_id=self.value())
        return queryset


# --- questionnaire versions ----------------------------------------------------------------


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(ReadOnlyAdmin):
    """Published versions are immutable (``publish_questionnaire`` writes them)."""

    list_display = ["label", "short_hash", "published_at", "assessment_count"]
    search_fields = ["label", "content_hash"]
    fields = ["label", "content_hash", "published_at", "assessment_count", "pretty_content"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[QuestionnaireVersion]:
        # The content is the whole questionnaire: the list does not need it, and the
        # change page reads it once when it shows it.
        return (
            super()
            .get_queryset(request)
            .defer("content")
            .annotate(assessment_total=Count("assessments"))
        )

    @admin.display(description=_("hash"), ordering="content_hash")
    def short_hash(self, obj: QuestionnaireVersion) -> str:
        return obj.content_hash[:12]

    @admin.display(description=_("assessments"), ordering="assessment_total")
    def assessment_count(self, obj: QuestionnaireVersion) -> int:
        return obj.assessment_total

    @admin.display(description=_("content"))
    def pretty_content(self, obj: QuestionnaireVersion) -> SafeString:
        return pretty_json(obj.content)


# --- assessments ---------------------------------------------------------------------------


class ResultInline(ReadOnlyInline):
    model = AssessmentResult
    fields = ["rung", "overall_score", "engine_version", "computed_at", "pretty_area_scores"]
    readonly_fields = fields
    show_change_link = True  # the full snapshot is on the result's own page

    @admin.display(description=_("area scores"))
    def pretty_area_scores(self, obj: AssessmentResult) -> SafeString:
        return pretty_json(obj.area_scores)


class AnswerInline(ReadOnlyInline):
    model = Answer
    fields = ["question_key", "value", "revision", "updated_by", "updated_at"]
    readonly_fields = fields
    ordering = ["question_key"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Answer]:
        return super().get_queryset(request).select_related("updated_by")


class ReviewInline(ReadOnlyInline):
    model = AssessmentReview
    fields = ["overall_note", "reviewed_by", "reviewed_at", "updated_by", "updated_at"]
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[AssessmentReview]:
        return super().get_queryset(request).select_related("reviewed_by", "updated_by")


class AreaCommentInline(ReadOnlyInline):
    model = AreaComment
    fields = ["area_key", "body", "author", "updated_at"]
    readonly_fields = fields
    ordering = ["area_key"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[AreaComment]:
        return super().get_queryset(request).select_related("author")


class EvidenceCheckInline(ReadOnlyInline):
    model = EvidenceCheck
    fields = ["question_key", "url", "verified_by", "verified_at"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[EvidenceCheck]:
        return super().get_queryset(request).select_related("verified_by")


class ReportInline(ReadOnlyInline):
    model = Report
    fields = ["language", "status", "attempts", "created_at", "finished_at", "error"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Assessment)
class AssessmentAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Find an assessment, read everything about it, delete a test one.

    Every field is read-only. A status is changed by submitting in the app, which
    freezes the result. The dealership and version carry the answers with them.
    Read-only foreign keys show as links, so autocomplete and raw-id widgets would
    have nothing to do here.
    """

    list_display = [
        "dealership",
        "status",
        "version_label",
        "created_at",
        "created_by",
        "submitted_at",
        "submitted_by",
    ]
    list_filter = ["status", VersionListFilter]
    # Named columns, not True: a bare select_related() would follow every foreign key.
    list_select_related = ["dealership", "version", "created_by", "submitted_by"]
    search_fields = ["dealership__name", "dealership__city"]
    date_hierarchy = "created_at"
    fields = [
        "dealership",
        "status",
        "version",
        "previous",
        "created_by",
        "created_at",
        "updated_at",
        "submitted_by",
        "submitted_at",
        "profile",
    ]
    readonly_fields = fields
    inlines = [
        ResultInline,
        AnswerInline,
        ReviewInline,
        AreaCommentInline,
        EvidenceCheckInline,
        ReportInline,
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Assessment]:
        # The version's content is the whole questionnaire: a list row needs its label.
        return super().get_queryset(request).defer("version__content")

    # A display rather than "version__label": Django would title that column with its
    # path ("version label"), untranslated.
    @admin.display(description=_("version"), ordering="version__label")
    def version_label(self, obj: Assessment) -> str:
        return obj.version.label

    def view_on_site(self, obj: Assessment) -> str:
        """The page a dealer or consultant would see (staff read; they never answer)."""
        if obj.is_draft:
            return reverse("assessment_detail", args=[obj.dealership_id, obj.pk])
        return reverse("assessment_results", args=[obj.pk])

    def delete_model(self, request: HttpRequest, obj: Assessment) -> None:
        with transaction.atomic():
            _remove_report_files_on_commit(Report.objects.filter(assessment=obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Assessment]) -> None:
        with transaction.atomic():
            _remove_report_files_on_commit(Report.objects.filter(assessment__in=queryset))
            super().delete_queryset(request, queryset)


@admin.register(AssessmentResult)
class AssessmentResultAdmin(ReadOnlyAdmin):
    """Frozen at submission: ``recompute_results`` is the one way to rewrite a result."""

    list_display = ["assessment", "rung", "overall_score", "engine_version", "computed_at"]
    list_filter = ["rung", "engine_version"]
    list_select_related = ["assessment__dealership"]
    search_fields = ["assessment__dealership__name", "assessment__dealership__city"]
    fields = [
        "assessment",
        "rung",
        "overall_score",
        "engine_version",
        "computed_at",
        "pretty_area_scores",
        "pretty_snapshot",
    ]
    readonly_fields = fields

    @admin.display(description=_("area scores"))
    def pretty_area_scores(self, obj: AssessmentResult) -> SafeString:
        return pretty_json(obj.area_scores)

    @admin.display(description=_("engine snapshot"))
    def pretty_snapshot(self, obj: AssessmentResult) -> SafeString:
        return pretty_json(obj.snapshot)


# --- PDF reports ---------------------------------------------------------------------------


@admin.register(Report)
class ReportAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Follow PDF jobs (status, attempts, error). A report may be deleted, PDF included.

    A report is requested, and a failed one retried, from the app. Its row is the
    job's state for the Celery worker and the sweeper, so it is not edited here.
    """

    list_display = [
        "assessment",
        "language",
        "status",
        "attempts",
        "created_at",
        "finished_at",
        "error",
    ]
    list_filter = ["status", "language"]
    list_select_related = ["assessment__dealership"]
    search_fields = ["assessment__dealership__name", "assessment__dealership__city"]
    date_hierarchy = "created_at"
    fields = [
        "assessment",
        "requested_by",
        "language",
        "status",
        "attempts",
        "max_attempts",
        "error",
        "claimed_by",
        "fingerprint",
        "file_name",
        "created_at",
        "queued_at",
        "started_at",
        "finished_at",
    ]
    readonly_fields = fields

    # Django would link the file to MEDIA_URL, which serves nothing (PDFs are private):
    # the name only; "View on site" opens the report page that checks access.
    @admin.display(description=_("file"))
    def file_name(self, obj: Report) -> str:
        return obj.file.name or "-"

    def view_on_site(self, obj: Report) -> str:
        return reverse("report_detail", args=[obj.assessment.dealership_id, obj.pk])

    def delete_model(self, request: HttpRequest, obj: Report) -> None:
        with transaction.atomic():
            _remove_report_files_on_commit(Report.objects.filter(pk=obj.pk))
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        with transaction.atomic():
            _remove_report_files_on_commit(queryset)
            super().delete_queryset(request, queryset)


# --- review, follow-up and reminders -------------------------------------------------------


@admin.register(AssessmentReview)
class AssessmentReviewAdmin(ReadOnlyAdmin):
    """The consultant's overall note and "reviewed" mark, with the area comments.

    The review page of the app writes them, recording who wrote what for the dealer.
    """

    list_display = ["assessment", "reviewed_by", "reviewed_at", "updated_by", "updated_at"]
    list_filter = ["reviewed_at"]
    list_select_related = ["assessment__dealership", "reviewed_by", "updated_by"]
    search_fields = ["assessment__dealership__name", "assessment__dealership__city"]
    fields = [
        "assessment",
        "overall_note",
        "reviewed_by",
        "reviewed_at",
        "updated_by",
        "updated_at",
        "comments",
    ]
    readonly_fields = fields

    # Area comments hang on the assessment, not on the review: no inline is possible here,
    # so they are listed (and the assessment's page shows them as an inline).
    @admin.display(description=_("area comments"))
    def comments(self, obj: AssessmentReview) -> SafeString | str:
        rows = AreaComment.objects.filter(assessment_id=obj.assessment_id).order_by("area_key")
        if not rows:
            return "-"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "", "<li><strong>{}</strong>: {}</li>", ((c.area_key, c.body) for c in rows)
            ),
        )


@admin.register(AreaComment)
class AreaCommentAdmin(ReadOnlyAdmin):
    """Search what consultants wrote to dealers."""

    list_display = ["assessment", "area_key", "author", "updated_at"]
    list_filter = ["area_key"]
    list_select_related = ["assessment__dealership", "author"]
    search_fields = ["body", "assessment__dealership__name"]
    fields = ["assessment", "area_key", "body", "author", "updated_at"]
    readonly_fields = fields


@admin.register(EvidenceCheck)
class EvidenceCheckAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "question_key", "url", "verified_by", "verified_at"]
    list_select_related = ["assessment__dealership", "verified_by"]
    search_fields = ["assessment__dealership__name", "url"]
    fields = ["assessment", "question_key", "url", "verified_by", "verified_at"]
    readonly_fields = fields


@admin.register(RoadmapActionStatus)
class RoadmapActionStatusAdmin(ReadOnlyAdmin):
    """Where a dealership stands on its roadmap actions: dealers move them in the app."""

    list_display = ["dealership", "action_key", "status", "done_at", "updated_by", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["dealership", "updated_by"]
    search_fields = ["dealership__name", "dealership__city", "action_key"]
    fields = ["dealership", "action_key", "status", "done_at", "updated_by", "updated_at"]
    readonly_fields = fields


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    """Who was reminded of an untouched draft, and when (the task writes one row a mail)."""

    list_display = ["assessment", "user", "email", "sent_on", "sent_at"]
    list_select_related = ["assessment__dealership", "user"]
    search_fields = ["email", "assessment__dealership__name"]
    date_hierarchy = "sent_at"
    fields = ["assessment", "user", "email", "sent_on", "sent_at"]
    readonly_fields = fields


# --- measured facts ------------------------------------------------------------------------
# Website checks, lead-response tests and review imports are written by their features
# (a Celery task, a consultant's form, an upload): staff read them here. Several fields
# have no verbose name of their own, so the columns are labelled here, in French first.


class DealershipColumn:
    @admin.display(description=_("dealership"), ordering="dealership__name")
    def dealership_name(self, obj: Any) -> str:
        return obj.dealership.name

    @admin.display(description=_("recorded by"))
    def author_name(self, obj: Any) -> str:
        user = getattr(obj, self.author_field)
        return user.get_full_name() if user is not None else "–"

    author_field = "requested_by"


class MeasurementCheckInline(ReadOnlyInline):
    model = MeasurementCheck
    fields = ["check_name", "check_ok", "evidence"]
    readonly_fields = fields
    verbose_name = _("measured check")
    verbose_name_plural = _("measured checks")

    @admin.display(description=_("check"))
    def check_name(self, obj: MeasurementCheck) -> str:
        return obj.key

    @admin.display(description=_("result"), boolean=True)
    def check_ok(self, obj: MeasurementCheck) -> bool | None:
        return obj.ok


@admin.register(Measurement)
class MeasurementAdmin(DealershipColumn, ReadOnlyAdmin):
    """Website checks: each run with its ten checks and evidence (the task writes them)."""

    list_display = [
        "dealership_name",
        "status",
        "trigger",
        "address",
        "finished_on",
        "author_name",
    ]
    list_filter = ["status", "trigger"]
    list_select_related = ["dealership", "requested_by"]
    search_fields = ["dealership__name", "dealership__city", "url"]
    date_hierarchy = "created_at"
    fields = [
        "dealership_name",
        "status",
        "trigger",
        "address",
        "final_address",
        "failure",
        "asked_on",
        "finished_on",
        "author_name",
        "pages_read",
    ]
    readonly_fields = fields
    inlines = [MeasurementCheckInline]

    @admin.display(description=_("website address"), ordering="url")
    def address(self, obj: Measurement) -> str:
        return obj.url

    @admin.display(description=_("address reached"))
    def final_address(self, obj: Measurement) -> str:
        return obj.final_url or "–"

    @admin.display(description=_("reason"))
    def failure(self, obj: Measurement) -> str:
        return obj.reason or "–"

    @admin.display(description=_("asked on"), ordering="created_at")
    def asked_on(self, obj: Measurement) -> Any:
        return obj.created_at

    @admin.display(description=_("measured on"), ordering="finished_at")
    def finished_on(self, obj: Measurement) -> Any:
        return obj.finished_at

    @admin.display(description=_("pages read"))
    def pages_read(self, obj: Measurement) -> SafeString:
        return pretty_json(obj.pages)


@admin.register(MeasurementConfirmation)
class MeasurementConfirmationAdmin(DealershipColumn, ReadOnlyAdmin):
    """Declared answers a consultant confirmed against a measurement, with the comment."""

    author_field = "author"
    list_display = ["dealership_name", "answer_key", "author_name", "confirmed_on"]
    list_select_related = ["dealership", "author"]
    search_fields = ["dealership__name", "key", "comment"]
    fields = ["dealership_name", "answer_key", "comment", "author_name", "confirmed_on"]
    readonly_fields = fields

    @admin.display(description=_("question"), ordering="key")
    def answer_key(self, obj: MeasurementConfirmation) -> str:
        return obj.key

    @admin.display(description=_("confirmed on"), ordering="created_at")
    def confirmed_on(self, obj: MeasurementConfirmation) -> Any:
        return obj.created_at


@admin.register(LeadTest)
class LeadTestAdmin(DealershipColumn, ReadOnlyAdmin):
    """Lead-response tests as the consultants recorded them (their page writes them)."""

    author_field = "recorded_by"
    list_display = ["dealership_name", "channel", "sent_at", "replied_at", "author_name"]
    list_filter = ["channel"]
    list_select_related = ["dealership", "recorded_by"]
    search_fields = ["dealership__name", "dealership__city", "question"]
    date_hierarchy = "sent_at"
    fields = [
        "dealership_name",
        "channel",
        "question",
        "sent_at",
        "replied_at",
        "grid",
        "notes",
        "author_name",
        "recorded_on",
    ]
    readonly_fields = fields

    @admin.display(description=_("quality grid met"))
    def grid(self, obj: LeadTest) -> str:
        return ", ".join(obj.grid_items or ()) or "–"

    @admin.display(description=_("recorded on"), ordering="recorded_at")
    def recorded_on(self, obj: LeadTest) -> Any:
        return obj.recorded_at


@admin.register(ReviewImport)
class ReviewImportAdmin(DealershipColumn, ReadOnlyAdmin):
    """Customer reviews files imported by an owner or a consultant, with their figures."""

    author_field = "imported_by"
    list_display = [
        "dealership_name",
        "file_name",
        "file_kind",
        "lines",
        "new_reviews",
        "mean_rating",
        "imported_on",
        "author_name",
    ]
    list_filter = ["file_format"]
    list_select_related = ["dealership", "imported_by"]
    search_fields = ["dealership__name", "dealership__city", "filename"]
    date_hierarchy = "imported_at"
    fields = [
        "dealership_name",
        "file_name",
        "file_kind",
        "lines",
        "new_reviews",
        "updated_reviews",
        "mean_rating",
        "share_answered",
        "imported_on",
        "author_name",
    ]
    readonly_fields = fields

    @admin.display(description=_("file"), ordering="filename")
    def file_name(self, obj: ReviewImport) -> str:
        return obj.filename

    @admin.display(description=_("format"), ordering="file_format")
    def file_kind(self, obj: ReviewImport) -> str:
        return obj.get_file_format_display()

    @admin.display(description=_("lines"))
    def lines(self, obj: ReviewImport) -> int:
        return obj.rows

    @admin.display(description=_("new reviews"))
    def new_reviews(self, obj: ReviewImport) -> int:
        return obj.added

    @admin.display(description=_("answers updated"))
    def updated_reviews(self, obj: ReviewImport) -> int:
        return obj.updated

    @admin.display(description=_("rating"))
    def mean_rating(self, obj: ReviewImport) -> str:
        return "–" if obj.rating is None else f"{obj.rating:.1f}/5"

    @admin.display(description=_("share answered"))
    def share_answered(self, obj: ReviewImport) -> str:
        return "–" if obj.answered_share is None else f"{100 * obj.answered_share:.0f} %"

    @admin.display(description=_("imported on"), ordering="imported_at")
    def imported_on(self, obj: ReviewImport) -> Any:
        return obj.imported_at


@admin.register(CustomerReview)
class CustomerReviewAdmin(DealershipColumn, ReadOnlyAdmin):
    """The imported reviews themselves (a later import of the same review adds nothing)."""

    list_display = ["dealership_name", "created_at", "rating", "replied_at"]
    list_filter = ["rating"]
    list_select_related = ["dealership"]
    search_fields = ["dealership__name", "text"]
    date_hierarchy = "created_at"
    fields = ["dealership_name", "created_at", "rating", "text", "replied_at"]
    readonly_fields = fields
