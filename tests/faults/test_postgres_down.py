"""PostgreSQL stops while a dealer answers the questionnaire: they get the error page, not
a stack trace, and once it is back no answer saved before the stop is missing."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.faults.journeys import an_answer, autosave, htmx_token, visible_questions
from tests.faults.stack import ROOT, Browser, Response, Stack

pytestmark = pytest.mark.faults

AREAS = 3  # wizard steps answered before the stop
ERROR_PAGE_BUDGET = 5.0  # seconds: an error page, not a hung request

# What a technical error page or a debug page would show; templates/500.html shows none.
TECHNICAL = re.compile(
    r"traceback|exception|operationalerror|psycopg|postgres|django|connection refused|"
    r"\.py\b|File \"|DEBUG = True|127\.0\.0\.1|/work/|site-packages",
    re.IGNORECASE,
)


def _headline() -> str:
    template = (ROOT / "templates" / "500.html").read_text()
    return re.search(r"<h1[^>]*>(.*?)</h1>", template, re.DOTALL).group(1).strip()


def assert_friendly_error(response: Response) -> None:
    assert response.status == 500, (response.status, response.text[:300])
    assert response.headers.get("Content-Type", "").startswith("text/html")
    assert _headline() in response.text, response.text[:500]
    leaked = TECHNICAL.findall(response.text)
    assert not leaked, f"the error page shows technical details: {leaked}"
    assert response.elapsed < ERROR_PAGE_BUDGET, f"{response.elapsed:.1f} s for an error page"


def stored_answers(stack: Stack) -> dict[str, tuple[Any, int]]:
    rows = stack.query(
        "SELECT question_key, value, revision FROM maturity_answer WHERE assessment_id = %s",
        (stack.seed["draft"]["assessment"],),
    )
    return {key: (value, revision) for key, value, revision in rows}


def same_answer(kind: str, posted: Any, stored: Any) -> bool:
    if kind == "number":
        return float(stored) == float(posted)
    return stored == posted


def test_it_shows_the_error_page_and_keeps_every_saved_answer(stack: Stack):
    stack.start_web()
    browser = Browser(stack.base_url)
    browser.login(stack.seed["email"], stack.seed["password"])
    draft = stack.seed["draft"]
    wizard = f"/dealerships/{draft['dealership']}/assessments/{draft['assessment']}/"
    first = browser.get(wizard)  # resumes at the first step
    assert first.status == 200 and "/steps/" in first.url, first.url
    areas = list(dict.fromkeys(re.findall(r'name="go" value="([\w-]+)"', first.text)))
    areas = [a for a in areas if a not in ("previous", "next", "review")][:AREAS]

    # Answer the first steps as htmx does, one autosave per change; answers reveal more
    # questions, so read each step again until it has nothing left to answer.
    saved: dict[str, tuple[str, Any]] = {}
    step_of: dict[str, str] = {}
    for area in areas:
        step = f"{wizard}steps/{area}/"
        for _round in range(20):
            page = browser.get(step)
            assert page.status == 200, page.status
            todo = [q for q in visible_questions(page.text) if q.key not in saved]
            if not todo:
                break
            token = htmx_token(page.text)
            for question in todo:
                value = an_answer(question, len(saved) + 1)
                answer = autosave(browser, step, token, question, value)
                assert answer.status == 200, (question, answer.status, answer.text[:300])
                saved[question.key] = (question.kind, value)
                step_of[question.key] = step
    print(f"{len(saved)} answers saved on {len(areas)} steps before the stop")
    assert len(saved) >= 10, sorted(saved)
    kinds = {kind for kind, _value in saved.values()}
    assert {"text", "single"} <= kinds, kinds
    text_key = next(key for key, (kind, _value) in saved.items() if kind == "text")
    step = step_of[text_key]

    before = stored_answers(stack)
    for key, (kind, value) in saved.items():
        assert key in before and same_answer(kind, value, before[key][0]), (key, value, before)

    # PostgreSQL dies (immediate: no clean shutdown, crash recovery at the next start).
    page = browser.get(step)
    stack.cluster.stop("immediate")
    try:
        assert not stack.cluster.running()
        # The dealer goes on: changes an answer, reloads the step.
        question = next(q for q in visible_questions(page.text) if q.key == text_key)
        assert_friendly_error(autosave(browser, step, htmx_token(page.text), question, "Perdue"))
        assert_friendly_error(browser.get(step))
        health = Browser(stack.base_url).get("/healthz")  # a probe: no session cookie
        assert health.status == 503 and '"database": "down"' in health.text, health.text
    finally:
        stack.cluster.start()

    # Back: the same session goes on, and every answer saved before the stop is there.
    page = browser.get(step)
    assert page.status == 200, (page.status, page.text[:300])
    assert "/accounts/login/" not in page.url, "the session was lost"
    assert stored_answers(stack) == before
    assert saved[text_key][1] in page.text
    question = next(q for q in visible_questions(page.text) if q.key == text_key)
    again = autosave(browser, step, htmx_token(page.text), question, "Après la panne")
    assert again.status == 200, again.text[:300]
    assert stored_answers(stack)[text_key][0] == "Après la panne"


class FailedAfterRestart(AssertionError):
    pass


def test_it_serves_the_first_request_after_a_database_restart(stack: Stack):
    """PostgreSQL restarts (an upgrade, a failover) while nobody is using the site."""
    stack.start_web()
    browser = Browser(stack.base_url)
    browser.login(stack.seed["email"], stack.seed["password"])
    assert browser.get("/").status == 200  # the web process keeps its connection

    stack.cluster.stop("fast")
    stack.cluster.start()

    first = browser.get("/")
    if first.status != 200:
        raise FailedAfterRestart(f"{first.status} on the first request after the restart")
    assert browser.get("/").status == 200
