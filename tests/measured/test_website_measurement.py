"""The website measurement of a dealership: run, stored, sent, scored, confirmed."""

from __future__ import annotations

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from dealers.services import dealership_profile_update
from maturity.measured.services import (
    measurement_confirm,
    measurement_run_website,
    measurement_unconfirm,
)
from maturity.measured.tasks import measure_websites_monthly, request_website_check
from maturity.measurements.website import CHECK_KEYS
from maturity.models import Measurement
from tests.factories import DealershipFactory, persona_answers, submitted_assessment
from tests.measurements.sites import url

C_LOCATOR = url("locator_only", "/mega-motors-merignac/")

# A dealer who declares an own, mobile website with live stock (the rest as Méga Motors).
CLAIMS_OWN_SITE = {
    **persona_answers("c"),
    "website_own": "own_site",
    "website_url": C_LOCATOR,
    "website_mobile": "yes",
    "website_stock": "live",
    "website_contact": ["contact_form", "click_to_call", "online_booking"],
    "website_updates": "weekly",
    "website_analytics": "monthly",
}


@pytest.fixture
def sent():
    with mock.patch("maturity.measured.tasks.publish", return_value=True) as publish:
        yield publish


def test_it_records_a_dated_measurement_with_one_result_per_check(db, fixture_web):
    dealership = DealershipFactory(website_url=url("full_dealer"))
    measurement = measurement_run_website(dealership_id=dealership.pk)

    assert measurement.status == Measurement.Status.OK
    assert measurement.started_at <= measurement.finished_at
    checks = {c.key: c for c in measurement.checks.all()}
    assert list(checks) == list(CHECK_KEYS)
    assert checks["stock"].ok is True and "vehicle" in checks["stock"].evidence
    assert checks["own_domain"].details["kind"] == "own"


def test_it_records_a_site_that_cannot_be_read_as_failed_with_the_reason(db, fixture_web):
    dealership = DealershipFactory(website_url=url("redirect_loop"))
    measurement = measurement_run_website(dealership_id=dealership.pk)
    assert measurement.status == Measurement.Status.FAILED
    assert "redirect" in measurement.reason.lower()


def test_it_sends_the_check_on_commit_and_only_once_while_it_is_pending(
    db, sent, django_capture_on_commit_callbacks
):
    dealership = DealershipFactory(website_url="https://www.garage-du-centre.test/")
    with django_capture_on_commit_callbacks(execute=True):
        first = request_website_check(dealership=dealership)
        assert not sent.called
    with django_capture_on_commit_callbacks(execute=True):
        again = request_website_check(dealership=dealership)
    assert first == again and first.status == Measurement.Status.PENDING
    sent.assert_called_once()
    assert sent.call_args.kwargs["args"] == [first.pk]


def test_it_checks_the_website_again_when_its_address_changes(
    db, sent, django_capture_on_commit_callbacks
):
    dealership = DealershipFactory(website_url="")
    with django_capture_on_commit_callbacks(execute=True):
        dealership_profile_update(dealership=dealership, changes={"size_band": "small"})
    assert not Measurement.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        dealership_profile_update(
            dealership=dealership, changes={"website_url": "https://www.garage-actu.test/"}
        )
    measurement = Measurement.objects.get()
    assert measurement.trigger == Measurement.Trigger.URL_CHANGED
    sent.assert_called_once()


def test_it_asks_every_month_for_each_dealership_with_a_website(
    db, sent, django_capture_on_commit_callbacks
):
    with_site = DealershipFactory.create_batch(2, website_url="https://www.garage-actu.test/")
    DealershipFactory(website_url="")
    with django_capture_on_commit_callbacks(execute=True):
        assert measure_websites_monthly() == 2
    assert {m.dealership_id for m in Measurement.objects.all()} == {d.pk for d in with_site}
    assert sent.call_count == 2


def test_it_measures_mega_motors_locator_page_as_no_own_website_and_keeps_it_capped(
    db, fixture_web
):
    dealership = DealershipFactory(website_url=C_LOCATOR, profile="independent")
    assessment = submitted_assessment(dealership=dealership, persona="c")
    measurement = measurement_run_website(dealership_id=dealership.pk)

    own = measurement.checks.get(key="own_domain")
    assert own.ok is False and own.details["kind"] == "manufacturer_locator"
    assessment.result.refresh_from_db()
    assert assessment.result.rung == 2
    comparisons = assessment.result.snapshot["measured"]["comparisons"]
    assert next(c for c in comparisons if c["key"] == "website_own")["status"] == "agrees"


def test_it_caps_a_declared_own_site_whose_address_is_a_locator_page_until_confirmed(
    db, fixture_web, assigned_consultant
):
    dealership = assigned_consultant.assignments.first().dealership
    dealership.website_url = C_LOCATOR
    dealership.profile = "independent"
    dealership.save()
    assessment = submitted_assessment(dealership=dealership, answers=CLAIMS_OWN_SITE)
    assert assessment.result.rung == 4

    measurement_run_website(dealership_id=dealership.pk)
    assessment.result.refresh_from_db()
    assert assessment.result.rung == 2
    measured = assessment.result.snapshot["measured"]
    own = next(c for c in measured["comparisons"] if c["key"] == "website_own")
    assert (own["status"], own["declared"], own["scored"]) == (
        "disproved",
        "own_site",
        "listings_only",
    )
    assert own["measured_on"] == timezone.localdate().isoformat()

    disproved = [c["key"] for c in measured["comparisons"] if c["status"] == "disproved"]
    for key in disproved:
        measurement_confirm(
            dealership=dealership, key=key, comment="Vu sur place.", author=assigned_consultant
        )
    assessment.result.refresh_from_db()
    assert assessment.result.rung == 4
    measurement_unconfirm(dealership=dealership, key="website_own")
    assessment.result.refresh_from_db()
    assert assessment.result.rung == 2


def test_it_scores_a_submission_with_the_fresh_measurement_and_ignores_an_old_one(db, fixture_web):
    from maturity.measured.selectors import measured_input
    from maturity.results.services import result_snapshot

    dealership = DealershipFactory(website_url=C_LOCATOR, profile="independent")
    measurement = measurement_run_website(dealership_id=dealership.pk)
    today = timezone.localdate()
    facts = measured_input(dealership, as_of=today)
    assert facts["measurement"] == measurement.pk
    definition = submitted_assessment(dealership=dealership, persona="c").definition
    assert result_snapshot(definition, CLAIMS_OWN_SITE, facts)["rung"] == 2
    later = measured_input(dealership, as_of=today + timedelta(days=61))
    assert result_snapshot(definition, CLAIMS_OWN_SITE, later)["rung"] == 4


def test_the_command_prints_a_key_per_check_as_json(db, fixture_web, capsys):
    call_command("check_website", url("full_dealer"), "--json")
    data = json.loads(capsys.readouterr().out)
    for key in CHECK_KEYS:
        assert set(data[key]) >= {"ok", "evidence"}
    assert data["stock"]["ok"] is True
    assert data["own_domain"]["ok"] is True


def test_the_command_exits_with_2_and_the_reason_when_the_url_cannot_be_checked(db, fixture_web):
    with pytest.raises(CommandError, match="cannot be checked") as raised:
        call_command("check_website", url("redirect_loop"), "--json")
    assert raised.value.returncode == 2


def test_a_submission_is_scored_with_the_fresh_website_measurement(db, fixture_web, owner):
    from maturity.assessments.services import answers_save, assessment_start, assessment_submit

    dealership = owner.memberships.first().dealership
    dealership.website_url = C_LOCATOR
    dealership.profile = "independent"
    dealership.save()
    measurement_run_website(dealership_id=dealership.pk)
    draft, _ = assessment_start(dealership=dealership, user=owner)
    answers_save(
        assessment=draft, answers={k: (v, 0) for k, v in CLAIMS_OWN_SITE.items()}, user=owner
    )
    assessment_submit(assessment=draft, user=owner)
    draft.refresh_from_db()
    assert draft.result.rung == 2
    assert draft.result.snapshot["measured"]["as_of"] == timezone.localdate().isoformat()
