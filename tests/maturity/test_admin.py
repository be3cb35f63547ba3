"""The Django admin of the maturity models: branded, read-only, cheap lists, safe deletion."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

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
    ReminderLog,
    Report,
    ReviewImport,
    RoadmapActionStatus,
)
from tests.factories import (
    AssessmentFactory,
    DealershipFactory,
    ReportFactory,
    UserFactory,
    submitted_assessment,
)

# Every maturity model with an admin of its own (answers are shown inside assessments).
MODELS = [
    "questionnaireversion",
    "assessment",
    "assessmentresult",
    "report",
    "assessmentreview",
    "areacomment",
    "evidencecheck",
    "roadmapactionstatus",
    "reminderlog",
    "measurement",
    "measurementconfirmation",
    "leadtest",
    "reviewimport",
    "customerreview",
]
# Staff may delete these from their own pages (the rest goes with its assessment).
DELETABLE = {"assessment", "report"}
FAKE_PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def superuser(db):
    return UserFactory(email="admin@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


def populate(user, n: int) -> Assessment:
    """One dealership with a row of every maturity model; returns its submitted assessment."""
    dealership = DealershipFactory(name=f"Garage Admin {n}")
    assessment = submitted_assessment(dealership=dealership, user=user)
    AssessmentFactory(dealership=dealership, created_by=user)  # its draft
    name = f"reports/2026/01/report-{n}.pdf"
    path = Path(Report._meta.get_field("file").storage.path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(FAKE_PDF)
    ReportFactory(assessment=assessment, requested_by=user, file=name)
    AssessmentReview.objects.create(
        assessment=assessment,
        overall_note="Bon début.",
        reviewed_by=user,
        reviewed_at=timezone.now(),
    )
    AreaComment.objects.create(assessment=assessment, area_key="crm", body="Saisir chaque lead.")
    EvidenceCheck.objects.create(
        assessment=assessment,
        question_key="website_url",
        url="https://example.com/",
        verified_by=user,
        verified_at=timezone.now(),
    )
    RoadmapActionStatus.objects.create(
        dealership=dealership, action_key="website_mobile", status="planned", updated_by=user
    )
    ReminderLog.objects.create(
        assessment=assessment,
        user=user,
        email=user.email,
        sent_on=timezone.localdate(),
        sent_at=timezone.now() - timedelta(days=n),
    )
    measurement = Measurement.objects.create(
        dealership=dealership,
        url="https://garage.example/",
        status=Measurement.Status.OK,
        requested_by=user,
        finished_at=timezone.now(),
    )
    MeasurementCheck.objects.create(
        measurement=measurement, key="mobile", ok=False, evidence="no viewport"
    )
    MeasurementConfirmation.objects.create(
        dealership=dealership,
        key="website_mobile",
        measurement=measurement,
        comment="Vu avec le gérant.",
        author=user,
        created_at=timezone.now(),
    )
    sent = timezone.now() - timedelta(days=2 + n)
    LeadTest.objects.create(
        dealership=dealership,
        channel="email",
        question="La 208 est-elle disponible ?",
        sent_at=sent,
        replied_at=sent + timedelta(hours=3),
        grid_items=["question_answered"],
        recorded_by=user,
        recorded_at=sent,
    )
    imported = ReviewImport.objects.create(
        dealership=dealership,
        file_format="csv",
        filename="avis.csv",
        file_hash="0" * 64,
        rows=1,
        added=1,
        rating=4.0,
        answered_share=1.0,
        imported_by=user,
        imported_at=timezone.now(),
    )
    CustomerReview.objects.create(
        dealership=dealership,
        source=imported,
        key=f"review-{n}",
        created_at=timezone.now() - timedelta(days=10),
        rating=4,
        text="Bon accueil.",
        replied_at=timezone.now() - timedelta(days=9),
    )
    return assessment


@pytest.fixture
def assessment(superuser) -> Assessment:
    return populate(superuser, 0)


def url(model: str, view: str, *args) -> str:
    return reverse(f"admin:maturity_{model}_{view}", args=args)


def first_pk(model: str) -> int:
    return apps.get_model("maturity", model).objects.order_by("pk").first().pk


# --- brand ---------------------------------------------------------------------------------


def test_it_shows_the_product_name_on_the_admin_index(superuser_client):
    page = superuser_client.get(reverse("admin:index")).content.decode()
    assert "Maturité digitale — administration" in page
    assert "<title>Administration | Maturité digitale</title>" in page
    assert "Django" not in page.split("<body", 1)[1].split("</header>", 1)[0]


def test_it_names_login_throttling_after_what_it_does(superuser_client):
    page = superuser_client.get(reverse("admin:index")).content.decode()
    assert "Protection des connexions" in page
    assert "Axes" not in page
    app = superuser_client.get(reverse("admin:app_list", args=["axes"]))
    assert app.status_code == 200
    assert "Protection des connexions" in app.content.decode()


def test_it_speaks_english_to_english_staff(superuser_client):
    superuser_client.cookies.load({"django_language": "en"})
    page = superuser_client.get(reverse("admin:index")).content.decode()
    assert "Digital maturity administration" in page
    assert "Login throttling" in page
    assert "Axes" not in page


# --- pages of every model -------------------------------------------------------------------


def test_it_registers_every_maturity_model_but_answers():
    registered = {
        m._meta.model_name for m in admin.site._registry if m._meta.app_label == "maturity"
    }
    assert registered == set(MODELS)


@pytest.mark.parametrize("model", MODELS)
def test_it_opens_the_list_and_a_row_of_every_model(superuser_client, assessment, superuser, model):
    populate(superuser, 1)
    listing = superuser_client.get(url(model, "changelist"))
    assert listing.status_code == 200
    rows = apps.get_model("maturity", model).objects.count()
    assert rows >= (1 if model == "questionnaireversion" else 2)  # one version for all
    assert listing.context["cl"].result_count == rows
    assert superuser_client.get(url(model, "change", first_pk(model))).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_it_keeps_every_list_to_the_same_few_queries_whatever_the_rows(
    superuser_client, assessment, superuser, model, django_assert_max_num_queries
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert superuser_client.get(url(model, "changelist")).status_code == 200
        return len(captured)

    queries()  # the first request after the login stamps the session
    few = queries()
    for n in range(1, 6):
        populate(superuser, n)
    assert queries() == few
    with django_assert_max_num_queries(12):
        superuser_client.get(url(model, "changelist"))


def test_it_keeps_the_assessment_list_bounded_with_many_rows(
    superuser_client, superuser, django_assert_max_num_queries
):
    for _ in range(40):
        AssessmentFactory(dealership=DealershipFactory(), created_by=superuser)
    superuser_client.get(url("assessment", "changelist"))  # stamps the session
    with django_assert_max_num_queries(8):
        response = superuser_client.get(url("assessment", "changelist"))
    assert response.context["cl"].result_count == 40


# --- read-only --------------------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_it_refuses_to_add_rows(superuser_client, model):
    assert superuser_client.get(url(model, "add")).status_code == 403


@pytest.mark.parametrize("model", MODELS)
def test_it_refuses_to_change_rows(superuser_client, assessment, model):
    pk = first_pk(model)
    page = superuser_client.get(url(model, "change", pk))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert 'name="_save"' not in page.content.decode()
    assert superuser_client.post(url(model, "change", pk), {}).status_code == 403


@pytest.mark.parametrize("model", sorted(set(MODELS) - DELETABLE))
def test_it_refuses_to_delete_a_row_that_belongs_to_an_assessment(
    superuser_client, assessment, model
):
    pk = first_pk(model)
    assert superuser_client.get(url(model, "delete", pk)).status_code == 403
    assert superuser_client.post(url(model, "delete", pk), {"post": "yes"}).status_code == 403
    listing = superuser_client.get(url(model, "changelist"))
    assert "delete_selected" not in listing.content.decode()


def test_it_shows_the_measured_facts_to_staff_with_french_labels(superuser_client, assessment):
    page = superuser_client.get(reverse("admin:index")).content.decode()
    for name in ("Tests de réponse aux contacts", "Imports d’avis", "Mesures"):
        assert name in page.replace("&#x27;", "’").replace("'", "’"), name
    measurement = superuser_client.get(
        url("measurement", "change", first_pk("measurement"))
    ).content.decode()
    assert "Adresse du site internet" in measurement and "no viewport" in measurement
    lead = superuser_client.get(url("leadtest", "changelist")).content.decode()
    assert "Canal" in lead and "Enregistré par" in lead
    imports = superuser_client.get(url("reviewimport", "changelist")).content.decode()
    assert "Nouveaux avis" in imports and "4.0/5" in imports


def test_it_shows_the_questionnaire_pretty_printed_with_its_assessments(
    superuser_client, assessment
):
    listing = superuser_client.get(url("questionnaireversion", "changelist"))
    assert [v.assessment_total for v in listing.context["cl"].result_list] == [2]
    version = assessment.version
    page = superuser_client.get(url("questionnaireversion", "change", version.pk)).content.decode()
    assert "<pre>{\n  &quot;" in page  # indented JSON, escaped
    assert "&quot;Site internet&quot;" in page
    assert "Débutant" in page  # accents as they are, not \u escapes
    assert version.content_hash[:12] in listing.content.decode()


def test_it_shows_an_assessment_with_its_answers_result_review_and_reports(
    superuser_client, assessment
):
    page = superuser_client.get(url("assessment", "change", assessment.pk))
    html = page.content.decode()
    answers = Answer.objects.filter(assessment=assessment)
    assert answers.count() > 5
    for answer in answers:
        assert answer.question_key in html
    result = AssessmentResult.objects.get(assessment=assessment)
    assert f"{result.overall_score}".replace(".", ",") in html
    assert "Bon début." in html
    assert "Saisir chaque lead." in html
    assert reverse("assessment_results", args=[assessment.pk]) in html  # view on site
    assert url("assessment", "delete", assessment.pk) in html


def test_it_finds_an_assessment_by_dealership_name_or_city(superuser_client, assessment):
    other = DealershipFactory(name="Garage Ailleurs", city="Brest")
    AssessmentFactory(dealership=other)
    by_name = superuser_client.get(url("assessment", "changelist"), {"q": "Garage Admin 0"})
    assert [a.pk for a in by_name.context["cl"].result_list] == [
        a.pk for a in Assessment.objects.filter(dealership=assessment.dealership)
    ]
    by_city = superuser_client.get(url("assessment", "changelist"), {"q": "Brest"})
    assert [a.dealership for a in by_city.context["cl"].result_list] == [other]
    drafts = superuser_client.get(url("assessment", "changelist"), {"status__exact": "draft"})
    assert {a.status for a in drafts.context["cl"].result_list} == {"draft"}
    version = superuser_client.get(
        url("assessment", "changelist"), {"version": assessment.version_id}
    )
    assert version.context["cl"].result_count == 3


# --- deletion --------------------------------------------------------------------------------


def test_it_deletes_a_test_assessment_with_its_pdf_after_confirmation(
    superuser_client, assessment, django_capture_on_commit_callbacks
):
    pdf = Path(Report.objects.get(assessment=assessment).file.path)
    confirm = superuser_client.get(url("assessment", "delete", assessment.pk))
    assert confirm.status_code == 200
    assert not confirm.context["perms_lacking"]
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            url("assessment", "delete", assessment.pk), {"post": "yes"}
        )
    assert response.status_code == 302
    assert not Assessment.objects.filter(pk=assessment.pk).exists()
    assert not Answer.objects.filter(assessment_id=assessment.pk).exists()
    assert not AssessmentResult.objects.filter(assessment_id=assessment.pk).exists()
    assert not pdf.exists()


def test_it_deletes_a_report_with_its_pdf(
    superuser_client, assessment, django_capture_on_commit_callbacks
):
    report = Report.objects.get(assessment=assessment)
    pdf = Path(report.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            url("report", "changelist"),
            {"action": "delete_selected", "_selected_action": [report.pk], "post": "yes"},
        )
    assert response.status_code == 302
    assert not Report.objects.filter(pk=report.pk).exists()
    assert not pdf.exists()
    assert Assessment.objects.filter(pk=assessment.pk).exists()


def test_it_still_deletes_a_dealership_with_everything_it_holds(superuser_client, assessment):
    # Read-only admins must not block the cascade from the dealers' admin.
    dealership = assessment.dealership
    delete = reverse("admin:dealers_dealership_delete", args=[dealership.pk])
    confirm = superuser_client.get(delete)
    assert confirm.status_code == 200
    assert not confirm.context["perms_lacking"]
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Assessment.objects.filter(dealership=dealership).exists()
    assert not RoadmapActionStatus.objects.filter(dealership_id=dealership.pk).exists()


# --- access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "owner", "assigned_consultant"])
def test_it_sends_non_staff_to_the_admin_login(client, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    for target in (reverse("admin:index"), url("assessment", "changelist")):
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
