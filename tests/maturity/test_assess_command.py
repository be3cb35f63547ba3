"""``manage.py assess ANSWERS.yaml``: a paper questionnaire scored from a file."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from maturity.demo.personas import persona_files

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"rung", "rung_key", "provisional", "areas", "suggestion", "horizons", "backlog"}


def _assess(*args: str) -> str:
    out = StringIO()
    call_command("assess", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("path", persona_files(), ids=lambda p: p.stem)
def test_it_scores_each_reference_dealer_as_json(path):
    import yaml

    data = json.loads(_assess(str(path), "--json"))
    assert set(data) == KEYS
    assert data["rung"] == yaml.safe_load(path.read_text())["expected_rung"]
    assert len(data["horizons"]) == 3 and len(data["horizons"][0]) <= 5
    assert set(data["suggestion"]) <= set(data["horizons"][0])
    assert set(data["areas"]) == {
        "website",
        "social",
        "reviews",
        "monitoring",
        "crm",
        "contact_center",
        "strategy",
    }
    assert data["provisional"] is False


def test_it_prints_the_result_in_words_in_either_language():
    path = str(ROOT / "maturity/content/personas/e_auto_selection_44.yaml")
    english = _assess(path, "--lang", "en")
    assert "Rung 3 of 5: Dialogue (dialogue)" in english
    assert "4 answers out of 38 unknown" in english
    assert "crm_choose: Choose a simple CRM" in english
    assert "First 3 months (0-3):" in english and "Later:" in english
    french = _assess(path)
    assert "Marche 3 sur 5" in french and "Dialogue" in french
    top = _assess(str(ROOT / "maturity/content/personas/d_groupe_horizon.yaml"), "--lang", "en")
    assert "Staying at the top:" in top and "Keep the monthly indicator review" in top


def _write(tmp_path, text: str) -> str:
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "answers: {website_own: castle}\n",
            "answers.website_own (website_own): 'castle' is not an option",
        ),
        (
            "answers: {website_colour: blue}\n",
            "answers.website_colour (website_colour): unknown question",
        ),
        (
            "dealership: {profile: garage}\nanswers: {}\n",
            "dealership.profile: unknown dealer profile 'garage'",
        ),
        (
            "dealership: {profile: repairer}\nanswers: {website_stock: live}\n",
            "answers.website_stock (website_stock): not asked of the dealer profile 'repairer'",
        ),
        ("answers: {website_own: own_site}\n", "answers.website_mobile (website_mobile): missing"),
        ("- just a list\n", "expected a mapping with an 'answers' mapping"),
        ("answers: [a, b]\n", "answers: expected a mapping of question key -> answer"),
        ("answers: {a: 1\n", "invalid YAML"),
    ],
    ids=["option", "question", "profile", "not asked", "missing", "list", "answers list", "yaml"],
)
def test_it_refuses_a_bad_file_naming_the_key(tmp_path, text, expected):
    with pytest.raises(CommandError) as error:
        _assess(_write(tmp_path, text), "--json")
    assert error.value.returncode == 2
    assert expected in str(error.value), str(error.value)


def test_it_exits_with_status_2_for_a_bad_file(tmp_path):
    path = _write(tmp_path, "answers: {website_own: castle}\n")
    done = subprocess.run(
        [sys.executable, "manage.py", "assess", path, "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "website_own" in done.stderr and done.stdout == ""
