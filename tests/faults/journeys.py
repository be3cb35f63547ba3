"""What a user does in the fault tests, through plain HTTP: ask for a PDF, autosave answers
as the wizard's htmx requests do."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tests.faults.stack import Browser, Response, Stack


def request_pdf(
    stack: Stack, browser: Browser, language: str = "fr", *, timeout: float = 15
) -> tuple[int, Response]:
    """Press "Generate the PDF" on the submitted assessment: (report id, status page)."""
    seed = stack.seed["submitted"]
    page = browser.post(
        f"/dealerships/{seed['dealership']}/assessments/{seed['assessment']}/report/",
        {"language": language},
        timeout=timeout,
    )
    assert page.status == 200, page.text[:500]
    found = re.search(r"/dealerships/\d+/reports/(\d+)/$", page.url)
    assert found, f"not the status page: {page.url}"
    return int(found.group(1)), page


def report_url(stack: Stack, report_id: int, what: str = "") -> str:
    dealership = stack.seed["submitted"]["dealership"]
    return f"/dealerships/{dealership}/reports/{report_id}/{what}"


# --- the wizard ----------------------------------------------------------------------------


@dataclass
class Question:
    key: str
    kind: str  # text, url, number, single, multi
    save_url: str
    revision: int
    choices: list[str]
    minimum: str = ""


_BLOCK = re.compile(r'<div id="question-([\w-]+)" class="question-block"(?P<hidden> hidden)?')


def _attribute(tag: str, name: str) -> str:
    found = re.search(rf'\b{name}="([^"]*)"', tag)
    return found.group(1) if found else ""


def visible_questions(page: str) -> list[Question]:
    """The editable questions shown on a wizard step, read from its HTML."""
    questions = []
    starts = list(_BLOCK.finditer(page))
    for index, start in enumerate(starts):
        if start.group("hidden"):
            continue
        end = starts[index + 1].start() if index + 1 < len(starts) else len(page)
        block = page[start.start() : end]
        key = start.group(1)
        save_url = _attribute(block, "hx-post")
        if not save_url:
            continue  # read-only
        revision = re.search(rf'name="rev-{key}" value="(\d+)"', block)
        inputs = re.findall(rf'<input[^>]*name="q-{key}"[^>]*>', block)
        types = {_attribute(tag, "type") for tag in inputs}
        choices = [
            _attribute(tag, "value")
            for tag in inputs
            if _attribute(tag, "value") != "dont_know" and "data-exclusive" not in tag
        ]
        minimum = ""
        if re.search(rf'<textarea[^>]*name="q-{key}"', block):
            kind = "text"
        elif "url" in types:
            kind = "url"
        elif any("data-number" in tag for tag in inputs):
            kind = "number"
            minimum = next(_attribute(t, "data-min") for t in inputs if "data-number" in t)
        elif "radio" in types:
            kind = "single"
        elif "checkbox" in types:
            kind = "multi"
        else:
            raise AssertionError(f"unknown question kind for {key}: {types}")
        questions.append(
            Question(
                key, kind, save_url, int(revision.group(1)) if revision else 0, choices, minimum
            )
        )
    return questions


def an_answer(question: Question, number: int) -> Any:
    """A valid answer, recognisable in the database (text) or simply the first choice."""
    if question.kind == "text":
        return f"Réponse {number} enregistrée avant la panne"
    if question.kind == "url":
        return f"https://avant-la-panne-{number}.example/"
    if question.kind == "number":
        return question.minimum or "1"
    if question.kind == "multi":
        return [question.choices[0]]
    return question.choices[0]


def htmx_token(page: str) -> str:
    """The CSRF token base.html gives htmx (``hx-headers``)."""
    found = re.search(r'"X-CSRFToken": "([^"]+)"', page)
    assert found, "no hx-headers CSRF token on the page"
    return found.group(1)


def autosave(browser: Browser, page_url: str, token: str, question: Question, value: Any):
    """The request htmx sends when an answer changes (hx-params: the value and revision)."""
    return browser.request(
        "POST",
        question.save_url,
        {f"q-{question.key}": value, f"rev-{question.key}": str(question.revision)},
        headers={
            "HX-Request": "true",
            "HX-Current-URL": browser.base_url + page_url,
            "X-CSRFToken": token,
        },
        follow=False,
    )
