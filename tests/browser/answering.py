"""Answering wizard questions in the browser, as a person does (shared by browser tests)."""

from __future__ import annotations

import time
from typing import Any

from maturity.engine.definition import Question
from maturity.models import Answer


def wait_saved(key: str, value: Any, timeout: float = 10) -> None:
    """Wait until the server stored ``value`` for ``key`` (autosave is asynchronous)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Answer.objects.filter(question_key=key, value=value).exists():
            return
        time.sleep(0.05)
    raise AssertionError(f"{key} was not saved as {value!r}")


def answer_question(page: Any, question: Question, value: Any) -> None:
    """Answer one question the way a person does, then wait for its autosave."""
    key = question.key
    page.locator(f"#question-{key} fieldset").wait_for(state="visible")
    if question.kind in ("single", "yesno", "scale"):
        page.click(f"label[for='q-{key}-{value}']")
    elif question.kind == "multi":
        for option in value:
            page.click(f"label[for='q-{key}-{option}']")
    else:  # number, text, url
        field = page.locator(f"#q-{key}")
        field.fill(str(value))
        field.press("Tab")  # "change" fires when the field is left
    page.locator(f"#feedback-{key} .text-success").wait_for()
    wait_saved(key, value)
