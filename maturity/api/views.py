"""The API's endpoints: thin, like the pages' views.

Each one fetches through ``dealers.scoping`` (404 for what the caller may not see, the
same answer as for an id that does not exist), asks ``dealers.permissions`` (403 for what
they see but may not do), calls the feature's service and answers with a serializer. The
services' expected refusals become errors of the one shape (``maturity.api.errors``):
an answer that does not fit its question (400), a stale revision (409 with the stored
answer), a submitted assessment (409), an incomplete submission (400 with what is left).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.i18n import current_language
from common.storage import stored_file_response
from dealers import services as dealer_services
from dealers.models import Dealership, User
from dealers.permissions import (
    can_answer,
    can_edit_profile,
    can_follow_up,
    can_import_reviews,
    can_plan,
    can_record_lead_tests,
    can_use_portfolio,
    permissions_for,
)
from dealers.scoping import get_scoped_or_404, scoped
from maturity import selectors
from maturity.api import documents
from maturity.api.errors import conflict, invalid, not_found
from maturity.api.filters import (
    AssessmentFilter,
    CampaignFilter,
    DealershipFilter,
    LeadTestFilter,
    ReportFilter,
    ReviewImportFilter,
    WebsiteCheckFilter,
)
from maturity.api.pagination import Pagination
from maturity.api.serializers import (
    AnswerSerializer,
    AnswersSerializer,
    AnswersWriteSerializer,
    AnswerWriteSerializer,
    AssessmentDetailSerializer,
    AssessmentSerializer,
    CampaignDetailSerializer,
    CampaignSerializer,
    DealershipProfileSerializer,
    DealershipSerializer,
    LeadTestSerializer,
    LeadTestWriteSerializer,
    PortfolioPageSerializer,
    PortfolioRowSerializer,
    QuestionSerializer,
    ReportRequestSerializer,
    ReportSerializer,
    ReviewImportSerializer,
    ReviewImportWriteSerializer,
    RoadmapPlanWriteSerializer,
    RoadmapSerializer,
    RoadmapStatusSerializer,
    RoadmapStatusWriteSerializer,
    WebsiteCheckDetailSerializer,
    WebsiteCheckSerializer,
)
from maturity.assessments import services as assessment_services
from maturity.assessments.wizard import error_message
from maturity.campaigns import selectors as campaign_selectors
from maturity.engine.answers import AnswerError
from maturity.followup import roadmap as followup
from maturity.followup import services as followup_services
from maturity.measured import services as measured_services
from maturity.measured.selectors import website_measurements_visible
from maturity.measured.tasks import request_website_check
from maturity.measurements.leads import services as lead_services
from maturity.measurements.leads.forms import lead_test_problems
from maturity.measurements.leads.grid import current_grid
from maturity.measurements.leads.selectors import lead_tests_visible
from maturity.measurements.reviews import presenters as review_presenters
from maturity.measurements.reviews.forms import ReviewImportForm
from maturity.measurements.reviews.parsing import ReviewFileError
from maturity.measurements.reviews.selectors import review_imports_visible
from maturity.measurements.reviews.services import ReviewImportRejected, reviews_import
from maturity.models import Assessment, Campaign, LeadTest, Measurement, Report, ReviewImport
from maturity.portfolio import presenters as portfolio_presenters
from maturity.portfolio.attention import portfolio_attention_cached
from maturity.portfolio.forms import (
    ALERT_CHOICES,
    RUNG_CHOICES,
    SORT_CHOICES,
    STATUS_CHOICES,
    PortfolioFilterForm,
)
from maturity.portfolio.selectors import (
    portfolio_data_version,
    portfolio_filter_choices,
    portfolio_page,
)
from maturity.reports.content import REPORT_LANGUAGES
from maturity.reports.services import ReportNotAvailable, report_file_exists, report_request
from maturity.reports.views import download_name

DEALERSHIPS = "dealerships"
ASSESSMENTS = "assessments"
ROADMAPS = "roadmaps"
REPORTS = "reports"
PORTFOLIO = "portfolio"
MEASUREMENTS = "measurements"
CAMPAIGNS = "campaigns"


# --- dealerships -------------------------------------------------------------------------------


def _dealerships() -> QuerySet[Dealership]:
    return Dealership.objects.select_related("group").prefetch_related("brands")


@extend_schema(tags=[DEALERSHIPS])
class DealershipList(generics.ListAPIView):
    """The dealerships you see: yours, your portfolio's, or all of them for staff."""

    serializer_class = DealershipSerializer
    filterset_class = DealershipFilter

    def get_queryset(self) -> QuerySet[Dealership]:
        return scoped(_dealerships(), self.request.user).order_by("name", "city", "pk")


class DealershipDetail(APIView):
    @extend_schema(tags=[DEALERSHIPS], responses=DealershipSerializer)
    def get(self, request: Request, pk: int) -> Response:
        dealership = get_scoped_or_404(_dealerships(), request.user, pk=pk)
        return Response(DealershipSerializer(dealership, context={"request": request}).data)

    @extend_schema(
        tags=[DEALERSHIPS],
        request=DealershipProfileSerializer,
        responses=DealershipSerializer,
        description="Owners (and staff) change the profile: what kind of dealer it is, "
        "website, social pages, size, language. Send only the fields that change.",
    )
    def patch(self, request: Request, pk: int) -> Response:
        dealership = get_scoped_or_404(_dealerships(), request.user, pk=pk)
        if not can_edit_profile(user=request.user, dealership=dealership):
            raise exceptions.PermissionDenied(
                _("Only the dealership's owner may change its profile.")
            )
        serializer = DealershipProfileSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            dealer_services.dealership_profile_update(
                dealership=dealership, changes=serializer.validated_data
            )
        except DjangoValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from None
        return Response(DealershipSerializer(dealership, context={"request": request}).data)


# --- assessments -----------------------------------------------------------------------------


def _assessment(request: Request, pk: int) -> Assessment:
    return selectors.assessment_for_results(user=request.user, pk=pk)


def _detail(request: Request, assessment: Assessment, *, code: int = 200) -> Response:
    data = AssessmentDetailSerializer(
        documents.with_detail(assessment), context={"request": request}
    ).data
    return Response(data, status=code)


def _may_answer(request: Request, assessment: Assessment) -> None:
    if not can_answer(user=request.user, dealership=assessment.dealership_id):
        raise exceptions.PermissionDenied(
            _("Only the dealership's own people answer its assessment: you can read it.")
        )


def _locked() -> Exception:
    return conflict(
        "assessment_locked",
        _("This assessment has been submitted: its answers are locked. Start a new one."),
    )


@extend_schema(tags=[ASSESSMENTS])
class AssessmentList(generics.ListAPIView):
    """The assessments of the dealerships you see, newest first."""

    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter

    def get_queryset(self) -> QuerySet[Assessment]:
        queryset = (
            Assessment.objects.select_related("version", "result", "submitted_by")
            .defer("version__content", "result__snapshot")
            .order_by("-created_at", "-pk")
        )
        return scoped(queryset, self.request.user)


class AssessmentStart(APIView):
    @extend_schema(
        tags=[ASSESSMENTS],
        request=None,
        responses={201: AssessmentDetailSerializer, 200: AssessmentDetailSerializer},
        description="Open the dealership's draft: 201 with a new one (pre-filled from the "
        "last submitted assessment), 200 with the draft already in progress. The "
        "dealership's own people only.",
    )
    def post(self, request: Request, pk: int) -> Response:
        dealership = get_scoped_or_404(Dealership.objects.all(), request.user, pk=pk)
        if not can_answer(user=request.user, dealership=dealership):
            raise exceptions.PermissionDenied(
                _("Only the dealership's own people start its assessments.")
            )
        draft, created = assessment_services.assessment_start(
            dealership=dealership, user=request.user
        )
        return _detail(request, _assessment(request, draft.pk), code=201 if created else 200)


class AssessmentDetail(APIView):
    @extend_schema(
        tags=[ASSESSMENTS],
        responses=AssessmentDetailSerializer,
        description="The assessment with every stored answer (and its revision), the "
        "required questions left, and the result once submitted.",
    )
    def get(self, request: Request, pk: int) -> Response:
        return _detail(request, _assessment(request, pk))


class AssessmentQuestions(APIView):
    @extend_schema(
        tags=[ASSESSMENTS],
        responses=QuestionSerializer(many=True),
        description="The questions of the version the assessment is pinned to, whether each "
        "is shown given the current answers, and its current answer and revision.",
    )
    def get(self, request: Request, pk: int) -> Response:
        assessment = _assessment(request, pk)
        return Response(QuestionSerializer(documents.questions(assessment), many=True).data)


def _current(assessment: Assessment, conflict_: assessment_services.AnswerConflict) -> dict:
    question = assessment.definition.question(conflict_.question_key)
    return AnswerSerializer(documents.answer_row(question, conflict_.current)).data


class AnswerDetail(APIView):
    @extend_schema(
        tags=[ASSESSMENTS],
        request=AnswerWriteSerializer,
        responses=AnswerSerializer,
        description="Save one answer of a draft, as the wizard does: the same checks, and "
        "409 `stale_revision` with the stored answer (`data.current`) when someone changed "
        "it since you read `revision`.",
    )
    def put(self, request: Request, pk: int, question_key: str) -> Response:
        assessment = _assessment(request, pk)
        definition = assessment.definition
        if not definition.has_question(question_key):
            raise not_found(_("This question is not part of the assessment's questionnaire."))
        question = definition.question(question_key)
        _may_answer(request, assessment)
        if not assessment.is_draft:
            raise _locked()
        serializer = AnswerWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        value = serializer.validated_data["value"]
        try:
            answer = assessment_services.answer_save(
                assessment=assessment,
                question_key=question_key,
                value=value,
                revision=serializer.validated_data["revision"],
                user=request.user,
            )
        except assessment_services.AssessmentLocked:
            raise _locked() from None
        except AnswerError as error:
            message = error_message(question, error, value)
            raise invalid(
                "invalid_answer", message, fields={"value": [message]}, data={"reason": error.code}
            ) from None
        except assessment_services.AnswerConflict as error:
            raise conflict(
                "stale_revision",
                _("Someone changed this answer since you read it: nothing was saved."),
                data={"current": _current(assessment, error)},
            ) from None
        return Response(AnswerSerializer(documents.answer_row(question, answer)).data)


class Answers(APIView):
    @extend_schema(
        tags=[ASSESSMENTS],
        request=AnswersWriteSerializer,
        responses=AnswersSerializer,
        description="Save several answers of a draft at once, all or none: if one is refused "
        "(400 `invalid_answer`, or 409 `stale_revision` with `data.current`), nothing is "
        "saved. Answers to questions that the other answers hide are left out. Answers with "
        "every stored answer row.",
    )
    def post(self, request: Request, pk: int) -> Response:
        assessment = _assessment(request, pk)
        _may_answer(request, assessment)
        if not assessment.is_draft:
            raise _locked()
        serializer = AnswersWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        items = serializer.validated_data["answers"]
        definition = assessment.definition
        unknown = [a["question"] for a in items if not definition.has_question(a["question"])]
        if unknown:
            message = _("This question is not part of the assessment's questionnaire.")
            raise exceptions.ValidationError({f"answers.{key}": [message] for key in unknown})
        try:
            assessment_services.answers_save_all(
                assessment=assessment,
                answers={a["question"]: (a["value"], a["revision"]) for a in items},
                user=request.user,
            )
        except assessment_services.AssessmentLocked:
            raise _locked() from None
        except assessment_services.AnswersRefused as refused:
            raise _refused(
                assessment, refused, {a["question"]: a["value"] for a in items}
            ) from None
        return Response(AnswersSerializer({"answers": documents.answer_rows(assessment)}).data)


def _refused(
    assessment: Assessment, refused: assessment_services.AnswersRefused, values: dict[str, Any]
) -> Exception:
    definition = assessment.definition
    conflicts = {
        key: _current(assessment, error)
        for key, error in refused.errors.items()
        if isinstance(error, assessment_services.AnswerConflict)
    }
    if conflicts:
        message = _("Someone changed some of these answers since you read them: nothing was saved.")
        return conflict("stale_revision", message, data={"current": conflicts})
    fields = {
        f"answers.{key}": [error_message(definition.question(key), error, values.get(key))]
        for key, error in refused.errors.items()
        if isinstance(error, AnswerError)
    }
    reasons = {
        key: error.code for key, error in refused.errors.items() if isinstance(error, AnswerError)
    }
    return invalid(
        "invalid_answer",
        _("Some answers do not fit their question: nothing was saved."),
        fields=fields,
        data={"reasons": reasons},
    )


class AssessmentSubmit(APIView):
    @extend_schema(
        tags=[ASSESSMENTS],
        request=None,
        responses=AssessmentDetailSerializer,
        description="Submit a draft: its answers are locked and its result computed. 400 "
        "`assessment_incomplete` (with `data.missing`) while required questions are left; "
        "409 `assessment_locked` once submitted.",
    )
    def post(self, request: Request, pk: int) -> Response:
        assessment = _assessment(request, pk)
        _may_answer(request, assessment)
        try:
            assessment_services.assessment_submit(assessment=assessment, user=request.user)
        except assessment_services.AssessmentLocked:
            raise _locked() from None
        except assessment_services.AssessmentIncomplete as incomplete:
            raise invalid(
                "assessment_incomplete",
                _("Some required questions are not answered yet: nothing was submitted."),
                data={"missing": [q.key for q in incomplete.missing]},
            ) from None
        return _detail(request, _assessment(request, pk))


# --- roadmaps -------------------------------------------------------------------------------


def _roadmap_response(request: Request, assessment: Assessment | None) -> Response:
    document = (
        None if assessment is None else documents.roadmap(assessment, language=current_language())
    )
    if document is None:
        raise not_found(_("There is no roadmap: the assessment is not submitted and scored."))
    return Response(RoadmapSerializer(document, context={"request": request}).data)


class AssessmentRoadmap(APIView):
    @extend_schema(
        tags=[ROADMAPS],
        responses=RoadmapSerializer,
        description="The roadmap of a submitted assessment, in the request's language "
        "(`Accept-Language`), with the dealership's status of each action.",
    )
    def get(self, request: Request, pk: int) -> Response:
        return _roadmap_response(request, _assessment(request, pk))


class DealershipRoadmap(APIView):
    @extend_schema(
        tags=[ROADMAPS],
        responses=RoadmapSerializer,
        description="The roadmap the dealership follows: that of its latest submitted "
        "assessment, with the status of each action.",
    )
    def get(self, request: Request, pk: int) -> Response:
        dealership = get_scoped_or_404(Dealership.objects.all(), request.user, pk=pk)
        return _roadmap_response(request, followup.latest_scored(dealership))


class DealershipRoadmapAction(APIView):
    @extend_schema(
        tags=[ROADMAPS],
        request=RoadmapStatusWriteSerializer,
        responses=RoadmapStatusSerializer,
        description="Mark an action of the roadmap to do, planned, in progress or done. "
        "The dealership's own people only.",
    )
    def put(self, request: Request, pk: int, action_key: str) -> Response:
        dealership = get_scoped_or_404(Dealership.objects.all(), request.user, pk=pk)
        if not can_follow_up(user=request.user, dealership=dealership):
            raise exceptions.PermissionDenied(
                _("Only the dealership's own people move its roadmap: you can read it.")
            )
        latest = followup.latest_scored(dealership)
        if latest is None:
            raise not_found(_("There is no roadmap yet: no assessment is submitted."))
        serializer = RoadmapStatusWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            row = followup_services.roadmap_status_set(
                dealership=dealership,
                action_key=action_key,
                status=serializer.validated_data["status"],
                user=request.user,
                catalogue_of=latest,
            )
        except followup_services.UnknownAction:
            raise not_found(_("This action is not part of the dealership's roadmap.")) from None
        return Response(RoadmapStatusSerializer(row).data)

    @extend_schema(
        tags=[ROADMAPS],
        request=RoadmapPlanWriteSerializer,
        responses=RoadmapStatusSerializer,
        description="Give an action of the roadmap an owner (a person of the dealership or "
        "one of its consultants), a due date and notes, as on the roadmap page. A field left "
        "out keeps its value; `null` clears it. The dealership's people and its consultants.",
    )
    def patch(self, request: Request, pk: int, action_key: str) -> Response:
        dealership = get_scoped_or_404(Dealership.objects.all(), request.user, pk=pk)
        if not can_plan(user=request.user, dealership=dealership):
            raise exceptions.PermissionDenied(
                _("Only the dealership's people and its consultants plan its roadmap.")
            )
        latest = followup.latest_scored(dealership)
        if latest is None:
            raise not_found(_("There is no roadmap yet: no assessment is submitted."))
        serializer = RoadmapPlanWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        given = serializer.validated_data
        current = followup.statuses_for(dealership).get(action_key)
        owner = current.owner if current else None
        if "owner" in given:
            owner = None
            if given["owner"] is not None:
                # Only the dealership's people and consultants are accepted by the service;
                # any other id gets the same refusal, whether the person exists or not.
                owner = User.objects.filter(pk=given["owner"], is_active=True).first()
                if owner is None:
                    raise invalid(
                        "invalid",
                        _("Choose the owner among the dealership's people."),
                        fields={"owner": [_("Choose the owner among the dealership's people.")]},
                    )
        try:
            row = followup_services.roadmap_plan_set(
                dealership=dealership,
                action_key=action_key,
                user=request.user,
                catalogue_of=latest,
                owner=owner,
                due_date=given["due_date"]
                if "due_date" in given
                else getattr(current, "due_date", None),
                notes=given["notes"] if "notes" in given else getattr(current, "notes", ""),
            )
        except followup_services.UnknownAction:
            raise not_found(_("This action is not part of the dealership's roadmap.")) from None
        except followup_services.PlanError as error:
            raise invalid("invalid", str(error), fields={error.field: [str(error)]}) from None
        return Response(RoadmapStatusSerializer(row).data)


# --- reports --------------------------------------------------------------------------------


def _reports() -> QuerySet[Report]:
    return Report.objects.select_related("assessment").order_by("-created_at", "-pk")


def _report_data(request: Request, report: Report, *, check_file: bool = True) -> dict:
    """The report as the API shows it. A list does not ask the storage about each file (a
    request to the bucket per row): a ready row names its file until the retention job
    clears it, and the download still answers 404 for a file gone otherwise."""
    stored = report_file_exists(report) if check_file else bool(report.file)
    report.api_downloadable = report.status == Report.Status.READY and stored
    return ReportSerializer(report, context={"request": request}).data


class AssessmentReports(APIView):
    @extend_schema(
        tags=[REPORTS],
        request=ReportRequestSerializer,
        responses={202: ReportSerializer, 200: ReportSerializer},
        description="Ask for the PDF roadmap: 202 while it is made (poll the report's "
        "`url`), 200 with a ready one when nothing changed since it was made. 409 "
        "`report_not_available` for a draft.",
    )
    def post(self, request: Request, pk: int) -> Response:
        assessment = get_scoped_or_404(
            Assessment.objects.select_related("dealership"), request.user, pk=pk
        )
        serializer = ReportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        language = serializer.validated_data.get("language") or assessment.dealership.language
        if language not in REPORT_LANGUAGES:
            language = settings.LANGUAGE_CODE
        try:
            report = report_request(assessment=assessment, user=request.user, language=language)
        except ReportNotAvailable as error:
            raise conflict("report_not_available", _(str(error))) from None
        code = status.HTTP_200_OK if report.status == Report.Status.READY else 202
        return Response(_report_data(request, report), status=code)


@extend_schema(tags=[REPORTS])
class ReportList(generics.ListAPIView):
    """The PDF reports of the assessments you see, newest first."""

    serializer_class = ReportSerializer
    filterset_class = ReportFilter

    def get_queryset(self) -> QuerySet[Report]:
        return scoped(_reports(), self.request.user)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(
            [_report_data(request, r, check_file=False) for r in page]
        )


class ReportDetail(APIView):
    @extend_schema(tags=[REPORTS], responses=ReportSerializer)
    def get(self, request: Request, pk: int) -> Response:
        report = get_scoped_or_404(_reports(), request.user, pk=pk)
        return Response(_report_data(request, report))


class ReportDownload(APIView):
    @extend_schema(
        tags=[REPORTS],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF."),
            302: OpenApiResponse(
                description="Where the server stores files in a bucket with signed URLs on: "
                "the PDF's short-lived signed address (Location), once your access is checked."
            ),
        },
        description="The PDF, once the report is ready (404 before). Checked against your "
        "access on every download.",
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        report = get_scoped_or_404(
            Report.objects.select_related("assessment__dealership"), request.user, pk=pk
        )
        if report.status != Report.Status.READY or not report_file_exists(report):
            raise not_found(_("This report is not ready."))
        try:
            return stored_file_response(
                report.file.storage,
                report.file.name,
                filename=download_name(report),
                content_type="application/pdf",
            )
        except FileNotFoundError:  # removed between the check and the read
            raise not_found(_("This report is not ready.")) from None

    def perform_content_negotiation(self, request: Request, force: bool = False):
        # The PDF bypasses renderers; errors are JSON whatever the client accepts.
        return super().perform_content_negotiation(request, force=True)


# --- portfolio ------------------------------------------------------------------------------


def _portfolio_parameters() -> list[OpenApiParameter]:
    def choices(values) -> list[str]:
        return [str(value) for value, _label in values if value != ""]

    return [
        OpenApiParameter("q", str, description="Part of the name or the city."),
        OpenApiParameter("rung", str, enum=choices(RUNG_CHOICES)),
        OpenApiParameter("region", str),
        OpenApiParameter("brand", int, description="Brand id (of your portfolio)."),
        OpenApiParameter("group", int, description="Dealer group id (of your portfolio)."),
        OpenApiParameter("status", str, enum=choices(STATUS_CHOICES)),
        OpenApiParameter("alert", str, enum=choices(ALERT_CHOICES)),
        OpenApiParameter("sort", str, enum=choices(SORT_CHOICES)),
        OpenApiParameter("page", int),
        OpenApiParameter("page_size", int),
    ]


class Portfolio(APIView):
    @extend_schema(
        tags=[PORTFOLIO],
        parameters=_portfolio_parameters(),
        responses=PortfolioPageSerializer,
        description="The consultant's portfolio table (every dealership for staff), with the "
        "page's filters and sort. Consultants and staff only.",
    )
    def get(self, request: Request) -> Response:
        if not can_use_portfolio(request.user):
            raise exceptions.PermissionDenied(_("The portfolio is for consultants and staff."))
        form = PortfolioFilterForm(
            request.query_params, choices=portfolio_filter_choices(user=request.user)
        )
        if not form.is_valid():
            raise exceptions.ValidationError(form.errors)
        filters = form.filters()
        alert_ids = None
        if filters.alert:
            version = portfolio_data_version(user=request.user)
            alert_ids = portfolio_attention_cached(user=request.user, version=version).ids()
        paginator = Pagination()
        number = _page_number(request)
        page = portfolio_page(
            user=request.user,
            filters=filters,
            number=number,
            alert_ids=alert_ids,
            per_page=paginator.get_page_size(request),
        )
        if page.number != number:
            raise not_found(_("This page does not exist."))
        rows = portfolio_presenters.rows(page.object_list, language=current_language())
        data = PortfolioRowSerializer(
            [documents.portfolio_row(row) for row in rows], many=True, context={"request": request}
        ).data
        return paginator.respond(page, request, data)


def _page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    if not raw.isdigit() or not 0 < int(raw) < 10**9:
        raise not_found(_("This page does not exist."))
    return int(raw)


# --- measurements: website checks -----------------------------------------------------------


def _website_checks(request: Request) -> QuerySet[Measurement]:
    return website_measurements_visible(user=request.user).defer("pages")


@extend_schema(tags=[MEASUREMENTS])
class WebsiteCheckList(generics.ListAPIView):
    """The website checks of the dealerships you see, newest first (detail: each check)."""

    serializer_class = WebsiteCheckSerializer
    filterset_class = WebsiteCheckFilter

    def get_queryset(self) -> QuerySet[Measurement]:
        return _website_checks(self.request)


class WebsiteCheckDetail(APIView):
    @extend_schema(
        tags=[MEASUREMENTS],
        responses=WebsiteCheckDetailSerializer,
        description="One website check with what each of its checks found.",
    )
    def get(self, request: Request, pk: int) -> Response:
        measurement = get_scoped_or_404(
            _website_checks(request).prefetch_related("checks"), request.user, pk=pk
        )
        return Response(
            WebsiteCheckDetailSerializer(measurement, context={"request": request}).data
        )


class WebsiteCheckRequest(APIView):
    @extend_schema(
        tags=[MEASUREMENTS],
        request=None,
        responses={202: WebsiteCheckSerializer},
        description="Ask for a check of the dealership's website, as the page's button "
        "does: 202 with the pending check (poll its `url`); a check already waiting is "
        "returned rather than a second one. The owner, its consultants and staff; 409 "
        "`no_website` while the profile has no website address.",
    )
    def post(self, request: Request, pk: int) -> Response:
        dealership = get_scoped_or_404(Dealership.objects.all(), request.user, pk=pk)
        allowed = permissions_for(user=request.user, dealership=dealership)
        if not (allowed.can_edit_profile or allowed.can_review):
            raise exceptions.PermissionDenied(
                _("Only the dealership's owner, its consultants and staff ask for a check.")
            )
        try:
            measurement = request_website_check(dealership=dealership, requested_by=request.user)
        except measured_services.NoWebsite:
            raise conflict(
                "no_website", _("Give the website's address on the profile page first.")
            ) from None
        data = WebsiteCheckSerializer(measurement, context={"request": request}).data
        return Response(data, status=status.HTTP_202_ACCEPTED)


# --- measurements: lead-response tests ---------------------------------------------------------


def _with_state(tests: list[LeadTest]) -> list[LeadTest]:
    """The grid's reading of each test (its state and score), for the serializer."""
    grid, now = current_grid(), timezone.now()
    for test in tests:
        test.api_state = grid.state(sent_at=test.sent_at, replied_at=test.replied_at, now=now)
        test.api_score = grid.score(test.grid_items or ()) if test.replied_at else None
    return tests


def _lead_tests(request: Request) -> QuerySet[LeadTest]:
    return (
        lead_tests_visible(user=request.user)
        .select_related("recorded_by")
        .order_by("-sent_at", "-pk")
    )


@extend_schema(tags=[MEASUREMENTS])
class LeadTestList(generics.ListAPIView):
    """The lead-response tests you may read, newest first: the dealership's people read
    the closed ones (replied, or the delay passed), its consultants and staff all."""

    serializer_class = LeadTestSerializer
    filterset_class = LeadTestFilter

    def get_queryset(self) -> QuerySet[LeadTest]:
        return _lead_tests(self.request)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        data = LeadTestSerializer(_with_state(list(page)), many=True, context={"request": request})
        return self.get_paginated_response(data.data)


class LeadTestDetail(APIView):
    @extend_schema(tags=[MEASUREMENTS], responses=LeadTestSerializer)
    def get(self, request: Request, pk: int) -> Response:
        test = get_scoped_or_404(_lead_tests(request), request.user, pk=pk)
        (test,) = _with_state([test])
        return Response(LeadTestSerializer(test, context={"request": request}).data)


def _lead_test_checked(data: dict[str, Any]) -> dict[str, Any]:
    """The form's rules (``lead_test_problems``), with its messages, field by field."""
    fields = {
        "channel": data["channel"],
        "question": data["question"],
        "sent_at": data["sent_at"],
        "replied_at": data.get("replied_at"),
        "grid_items": data.get("grid_items") or [],
        "notes": data.get("notes", ""),
    }
    problems = lead_test_problems(
        sent_at=fields["sent_at"],
        replied_at=fields["replied_at"],
        grid_items=fields["grid_items"],
        grid=current_grid(),
    )
    if problems:
        raise exceptions.ValidationError({field: [text] for field, text in problems.items()})
    return fields


class LeadTestCreate(APIView):
    @extend_schema(
        tags=[MEASUREMENTS],
        request=LeadTestWriteSerializer,
        responses={201: LeadTestSerializer},
        description="Record a lead-response test of the dealership, with the page's rules. "
        "Its consultants and staff only (a dealer does not test itself).",
    )
    def post(self, request: Request, pk: int) -> Response:
        dealership = get_scoped_or_404(Dealership.objects.all(), request.user, pk=pk)
        if not can_record_lead_tests(user=request.user, dealership=dealership):
            raise exceptions.PermissionDenied(
                _("Only the dealership's consultants and staff record lead-response tests.")
            )
        serializer = LeadTestWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = _lead_test_checked(serializer.validated_data)
        try:
            test = lead_services.lead_test_record(
                dealership=dealership, user=request.user, **fields
            )
        except lead_services.LeadTestError as error:  # the rules above, checked again
            raise invalid("invalid_lead_test", str(error)) from None
        (test,) = _with_state([test])
        data = LeadTestSerializer(test, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


# --- measurements: customer reviews imports ------------------------------------------------------


def _review_imports(request: Request) -> QuerySet[ReviewImport]:
    return review_imports_visible(user=request.user)


@extend_schema(tags=[MEASUREMENTS])
class ReviewImportList(generics.ListAPIView):
    """The customer reviews imports of the dealerships you see, newest first."""

    serializer_class = ReviewImportSerializer
    filterset_class = ReviewImportFilter

    def get_queryset(self) -> QuerySet[ReviewImport]:
        return _review_imports(self.request)


class ReviewImportDetail(APIView):
    @extend_schema(tags=[MEASUREMENTS], responses=ReviewImportSerializer)
    def get(self, request: Request, pk: int) -> Response:
        record = get_scoped_or_404(_review_imports(request), request.user, pk=pk)
        return Response(ReviewImportSerializer(record, context={"request": request}).data)


class ReviewImportCreate(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=[MEASUREMENTS],
        request={"multipart/form-data": ReviewImportWriteSerializer},
        responses={201: ReviewImportSerializer},
        description="Import a reviews export (`multipart/form-data`, field `file`), as on "
        "the reviews page: the whole file or nothing. 400 `invalid_file` when it cannot be "
        "read, 400 `rows_refused` with each wrong line (`data.errors`); reviews already "
        "known are not added again. The owner, its consultants and staff.",
    )
    def post(self, request: Request, pk: int) -> Response:
        dealership = get_scoped_or_404(Dealership.objects.all(), request.user, pk=pk)
        if not can_import_reviews(user=request.user, dealership=dealership):
            raise exceptions.PermissionDenied(
                _("Only the dealership's owner, its consultants and staff import reviews.")
            )
        form = ReviewImportForm(data={}, files=request.FILES)
        if not form.is_valid():
            raise exceptions.ValidationError(form.errors)
        upload = form.cleaned_data["file"]
        try:
            record = reviews_import(
                dealership=dealership,
                user=request.user,
                data=upload.read(),
                filename=upload.name or "reviews",
            )
        except ReviewFileError as error:
            message = review_presenters.file_error_text(error)
            raise invalid("invalid_file", message, fields={"file": [message]}) from None
        except ReviewImportRejected as rejected:
            lines, more = review_presenters.row_errors(rejected.errors)
            raise invalid(
                "rows_refused",
                _("Some lines of the file are wrong: nothing was imported."),
                fields={"file": lines},
                data={
                    "errors": [{"line": e.line, "code": e.code} for e in rejected.errors[:100]],
                    "more": more,
                },
            ) from None
        data = ReviewImportSerializer(record, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


# --- campaigns -------------------------------------------------------------------------------


def _consultant_or_staff(request: Request) -> None:
    if not can_use_portfolio(request.user):
        raise exceptions.PermissionDenied(_("Campaigns are for consultants and staff."))


def _summarised(campaigns: list[Campaign]) -> list[Campaign]:
    for campaign in campaigns:
        summary = campaign_selectors.CampaignSummary(campaign, campaign.total, campaign.submitted)
        campaign.api_total, campaign.api_completed = summary.total, summary.submitted
        campaign.api_rate, campaign.api_overdue = summary.rate, summary.overdue
    return campaigns


@extend_schema(tags=[CAMPAIGNS])
class CampaignList(generics.ListAPIView):
    """Your campaigns (every one for staff), open ones first, with their completion.
    Consultants and staff only."""

    serializer_class = CampaignSerializer
    filterset_class = CampaignFilter

    def get_queryset(self) -> QuerySet[Campaign]:
        return campaign_selectors.campaigns_with_completion(user=self.request.user)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _consultant_or_staff(request)
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        data = CampaignSerializer(_summarised(list(page)), many=True, context={"request": request})
        return self.get_paginated_response(data.data)


class CampaignDetail(APIView):
    @extend_schema(
        tags=[CAMPAIGNS],
        responses=CampaignDetailSerializer,
        description="One campaign: each dealership's state (not started, in progress with "
        "its percent, submitted, reviewed), the counts and the completion rate, as on its "
        "page. A campaign is its creator's and staff's (404 for anybody else).",
    )
    def get(self, request: Request, pk: int) -> Response:
        campaign = campaign_selectors.campaign_get(user=request.user, pk=pk)
        view = campaign_selectors.campaign_view(user=request.user, campaign=campaign)
        campaign.api_total, campaign.api_completed = view.total, view.completed
        campaign.api_rate, campaign.api_overdue = view.rate, view.overdue
        campaign.api_counts, campaign.api_rows = view.counts, view.rows
        return Response(CampaignDetailSerializer(campaign, context={"request": request}).data)


# --- anything else under /api/v1/ --------------------------------------------------------------


class NotFound(APIView):
    """A path the API does not have: the error shape rather than an HTML page."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []
    schema = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        raise exceptions.NotFound(_("The API has no such address."))
