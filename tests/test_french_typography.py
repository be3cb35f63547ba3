"""French typography in every French string, and French date and number formats.

In French a "?", "!", ":" or ";" is preceded by a narrow no-break space (U+202F) and a
"%" by a no-break space (U+00A0): with an ordinary space the sign can start a line on
its own. This scans the French catalogue, the French texts of the content files
(questionnaire, actions...) and the text the templates write outside translated strings.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polib
import pytest
import yaml
from django.conf import settings
from django.template import Context, Template
from django.template.base import Lexer, TokenType
from django.utils import timezone, translation

from common.i18n import format_date
from maturity.engine.answers import answer_label, number_text, validate_answer
from maturity.questionnaire.services import questionnaire_current

BASE = Path(settings.BASE_DIR)
# An ordinary space between a word and the sign (not "%(name)s", a placeholder).
SPACE_BEFORE_SIGN = re.compile(r"(?<=\S) (?:[?!:;»]|%(?![(sd]))|« ")


def _faults(text: str) -> list[str]:
    return [text[max(0, m.start() - 25) : m.end() + 5] for m in SPACE_BEFORE_SIGN.finditer(text)]


def _french_values(node: Any, in_french: bool = False):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _french_values(value, in_french or key == "fr")
    elif isinstance(node, list):
        for item in node:
            yield from _french_values(item, in_french)
    elif isinstance(node, str) and in_french:
        yield node


def _template_text(source: str) -> str:
    """What a template writes itself: not its translated strings, tags or scripts."""
    kept: list[str] = []
    translating = 0
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if name in ("blocktranslate", "blocktrans"):
                translating += 1
            elif name in ("endblocktranslate", "endblocktrans"):
                translating -= 1
            elif name in ("translate", "trans") and not translating:
                kept.append("X")
        elif not translating and token.token_type == TokenType.VAR:
            kept.append("X")
        elif not translating and token.token_type == TokenType.TEXT:
            kept.append(token.contents)
    text = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", "".join(kept))
    return re.sub(r"(?s)<[^>]*>", "", text)


def test_the_scan_finds_an_ordinary_space_before_a_sign():
    assert _faults("Prêt ? Oui : 41 %")
    assert _faults("« Web 1.0 »")
    assert not _faults("Prêt\u202f? Oui\u202f: 41\u00a0%, le %(date)s, «\u00a0Web\u00a0»")
    assert _faults(_template_text("{{ share }} %"))
    assert not _faults(_template_text("{% blocktranslate %}{{ a }}: b{% endblocktranslate %}"))


def test_it_spaces_the_french_catalogue_as_french_typography_requires():
    catalogue = polib.pofile(str(BASE / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    faults = []
    for entry in catalogue:
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            faults += [f"{entry.msgid[:40]!r}: {fault!r}" for fault in _faults(text)]
    assert not faults, f"{len(faults)} French strings need U+202F/U+00A0: {faults[:10]}"


@pytest.mark.parametrize(
    "path",
    sorted((BASE / "maturity" / "content").rglob("*.yaml")),
    ids=lambda p: p.name,
)
def test_it_spaces_the_french_texts_of_the_content_files(path):
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    faults = [fault for text in _french_values(content) for fault in _faults(text)]
    assert not faults, f"{path.name}: {len(faults)} French texts need U+202F: {faults[:10]}"


def test_it_writes_no_ordinary_space_before_a_sign_outside_translated_strings():
    faults = []
    for path in sorted((BASE / "templates").rglob("*")):
        if path.is_file() and path.suffix in (".html", ".txt"):
            text = _template_text(path.read_text(encoding="utf-8"))
            faults += [f"{path.relative_to(BASE)}: {fault!r}" for fault in _faults(text)]
    assert not faults, f"Use &nbsp; or a translated string: {faults[:10]}"


@pytest.mark.parametrize(
    ("language", "first", "third"),
    [
        ("fr", "1er\u00a0décembre 2026", "3\u00a0décembre 2026"),
        ("en", "1 December 2026", "3 December 2026"),
    ],
)
def test_it_writes_dates_as_readers_of_each_language_do(language, first, third):
    with translation.override(language):
        assert format_date(date(2026, 12, 1)) == first
        assert format_date(date(2026, 12, 3)) == third
        page = Template('{{ day|date:"DATE_FORMAT" }}|{{ day|date }}').render(
            Context({"day": date(2026, 12, 1)})
        )
    assert page == f"{first}|{first}"


def test_it_writes_the_first_of_the_month_1er_only_where_the_month_is_named():
    with translation.override("fr"):
        assert format_date(date(2026, 12, 1), "MONTH_DAY_FORMAT") == "1er\u00a0décembre"
        assert format_date(date(2026, 12, 1), "SHORT_DATE_FORMAT") == "01/12/2026"
        assert format_date(date(2026, 12, 11)) == "11\u00a0décembre 2026"


def test_english_short_dates_cannot_be_read_as_another_day():
    with translation.override("en"):
        assert format_date(date(2026, 1, 12), "SHORT_DATE_FORMAT") == "12 Jan 2026"


@pytest.mark.parametrize(("language", "shown"), [("fr", "20\u00a0h\u00a002"), ("en", "20:02")])
def test_it_writes_times_of_day_as_readers_of_each_language_do(language, shown):
    moment = timezone.make_aware(datetime(2026, 12, 1, 20, 2))
    with translation.override(language):
        assert Template("{{ moment|time }}").render(Context({"moment": moment})) == shown
        assert format_date(moment, "DATETIME_FORMAT").endswith(shown)


@pytest.mark.parametrize(
    ("language", "decimal", "thousands"), [("fr", "4,2", "20\u00a0000"), ("en", "4.2", "20,000")]
)
def test_it_writes_numbers_with_the_decimal_mark_of_the_language(language, decimal, thousands):
    assert number_text(4.2, language) == decimal
    assert number_text(20000, language) == thousands
    with translation.override(language):
        assert Template("{{ n|floatformat:1 }}").render(Context({"n": 4.2})) == decimal


@pytest.mark.django_db
def test_a_rating_reads_4_virgule_2_in_french_and_4_point_2_in_english():
    rating = questionnaire_current().definition.question("reviews_rating")
    assert validate_answer(rating, "4,2") == 4.2
    assert validate_answer(rating, " 4.2 ") == 4.2
    assert answer_label(rating, 4.2, "fr") == "4,2\u00a0sur 5"
    assert answer_label(rating, 4.2, "en") == "4.2 out of 5"


@pytest.mark.parametrize("typed", ["1 200", "1\u00a0200", "1\u202f200", "1200"])
def test_spaces_between_thousands_are_read_as_french_readers_write_them(typed):
    from maturity.engine.answers import _as_number

    assert _as_number(None, typed) == 1200  # type: ignore[arg-type]
