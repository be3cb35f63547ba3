"""French is the users' first language: every interface string must be translated."""

from __future__ import annotations

import gettext
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.fixture(scope="module")
def french() -> polib.POFile:
    return polib.pofile(str(LOCALE / "fr" / "LC_MESSAGES" / "django.po"))


def test_it_translates_every_interface_string_into_french(french):
    untranslated = [e.msgid for e in french if not e.obsolete and not e.translated()]
    assert not untranslated, (
        f"{len(untranslated)} strings lack a French translation: {untranslated[:10]}"
    )


def test_it_has_no_fuzzy_french_translation(french):
    fuzzy = [e.msgid for e in french.fuzzy_entries()]
    assert not fuzzy, f"Check these translations and remove the fuzzy flag: {fuzzy[:10]}"


def test_it_ships_compiled_catalogues_that_match_the_sources(french):
    """The .mo files are committed (no gettext needed to run); they must be up to date."""
    with open(LOCALE / "fr" / "LC_MESSAGES" / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in french:
        if entry.obsolete or not entry.translated():
            continue
        if entry.msgid_plural:
            if compiled.ngettext(entry.msgid, entry.msgid_plural, 1) != entry.msgstr_plural[0]:
                stale.append(entry.msgid)
        elif entry.msgctxt:
            if compiled.pgettext(entry.msgctxt, entry.msgid) != entry.msgstr:
                stale.append(entry.msgid)
        elif compiled.gettext(entry.msgid) != entry.msgstr:
            stale.append(entry.msgid)
    assert not stale, f"Run `make messages`: the compiled catalogue is stale for {stale[:5]}"
