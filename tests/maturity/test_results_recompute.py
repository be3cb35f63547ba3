"""``manage.py recompute_results``: a report of differences; writes only with --apply."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from maturity.engine.scoring import ENGINE_VERSION, score
from maturity.models import AssessmentResult
from maturity.results import services as results_service
from tests.maturity.results_helpers import submit_persona


def _run(*args: str) -> str:
    out = StringIO()
    call_command("recompute_results", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def two_results(dealership, owner, other_dealership, outsider):
    return [
        submit_persona(dealership=dealership, user=owner, letter="b"),
        submit_persona(dealership=other_dealership, user=outsider, letter="c"),
    ]


@pytest.fixture
def new_engine(monkeypatch):
    """Engine 9.9: the website area scores 10 more and the rung goes one up."""

    def scoring(definition, answers):
        result = score(definition, answers)
        website = result.areas[0]._replace(score=result.areas[0].score + 10)
        return result._replace(
            engine_version="9.9",
            rung=min(5, result.rung + 1),
            areas=(website, *result.areas[1:]),
            overall_score=result.overall_score + 2,
        )

    monkeypatch.setattr(results_service, "score", scoring)
    monkeypatch.setattr(results_service, "next_rung_changes", lambda *a, **k: [])


def _state():
    return list(
        AssessmentResult.objects.order_by("pk").values_list(
            "rung", "engine_version", "area_scores", "overall_score", "snapshot", "computed_at"
        )
    )


def test_it_reports_no_difference_when_nothing_changed(two_results):
    before = _state()
    out = _run()
    assert "0 of 2 submitted assessment(s) differ." in out
    assert _state() == before


def test_it_reports_differences_without_writing_anything(two_results, new_engine):
    before = _state()
    out = _run()
    b, c = two_results
    assert f"Assessment {b.pk} · {b.dealership}" in out
    assert f"Assessment {c.pk} · {c.dealership}" in out
    assert "rung 2 -> 3" in out
    assert f"engine {ENGINE_VERSION} -> 9.9" in out
    assert "website 30.0 -> 40.0 (+10.0)" in out  # Auto Rivière
    assert "website 6.0 -> 16.0 (+10.0)" in out  # Méga Motors
    assert "2 of 2 submitted assessment(s) differ." in out
    assert "Nothing written" in out
    assert _state() == before


def test_it_writes_the_new_results_with_apply(two_results, new_engine):
    out = _run("--apply")
    assert "Applied: 2 result(s) written." in out
    for assessment in two_results:
        stored = AssessmentResult.objects.get(assessment=assessment)
        assert stored.engine_version == "9.9"
        assert stored.rung == 3
        assert stored.snapshot["engine_version"] == "9.9"
        assert stored.area_scores["website"] == stored.snapshot["areas"][0]["score"]
    # Applied once, nothing is left to report.
    assert "0 of 2 submitted assessment(s) differ." in _run()


def test_it_creates_a_missing_result_only_with_apply(dealership, owner):
    assessment = submit_persona(dealership=dealership, user=owner, letter="d")
    AssessmentResult.objects.all().delete()
    out = _run()
    assert "no stored result; new rung 5" in out
    assert not AssessmentResult.objects.exists()
    _run("--apply")
    assert AssessmentResult.objects.get(assessment=assessment).rung == 5


def test_it_reports_answers_that_no_longer_score_and_leaves_them(two_results):
    b, _c = two_results
    b.answers.filter(question_key="website_own").delete()
    before = _state()
    out = _run("--apply")
    assert f"Assessment {b.pk}" in out and "cannot be scored" in out and "website_own" in out
    assert "1 cannot be scored any more" in out
    assert _state() == before
