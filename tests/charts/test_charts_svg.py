"""The shared SVG helpers."""

from __future__ import annotations

import pytest

from maturity.charts.svg import (
    Markup,
    clean,
    contrast_ratio,
    el,
    escape,
    fmt_value,
    num,
    text,
    text_width,
    truncate,
    wrap,
)


def test_it_escapes_the_five_xml_special_characters() -> None:
    assert escape('<a href="x">&\'</a>') == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"


def test_it_formats_numbers_with_at_most_one_decimal() -> None:
    assert num(3.0) == "3"
    assert num(3.14159) == "3.1"
    assert num(-0.04) == "0"
    assert num(120) == "120"
    assert fmt_value(41.5) == "41,5"
    assert fmt_value(41.5, "en") == "41.5"
    with pytest.raises(ValueError):
        num(float("nan"))


def test_it_escapes_plain_children_but_not_markup() -> None:
    inner = el("tspan", None, "<b>")
    assert el("text", {"x": 1.26}, inner, " & more") == (
        '<text x="1.3"><tspan>&lt;b&gt;</tspan> &amp; more</text>'
    )
    assert isinstance(inner, Markup)


def test_it_escapes_attribute_values_and_drops_none() -> None:
    assert el("rect", {"class": '"><script>', "fill": None}) == (
        '<rect class="&quot;&gt;&lt;script&gt;"/>'
    )


@pytest.mark.parametrize("name", ["onload", "onClick", "style", "x y", '"'])
def test_it_refuses_unsafe_attribute_names(name: str) -> None:
    with pytest.raises(ValueError):
        el("rect", {name: "1"})


def test_it_adds_the_full_text_as_a_tooltip_only_when_shortened() -> None:
    assert "<title>" not in text(0, 0, "Court")
    assert "<title>Un très long nom</title>" in text(0, 0, "Un très…", full="Un très long nom")


def test_it_wraps_on_words_within_the_line_budget() -> None:
    lines = wrap("Organisation et ressources humaines", 100, 13, max_lines=2)
    assert len(lines) == 2
    assert all(text_width(line, 13) <= 100 for line in lines)
    assert lines[0] == "Organisation et"
    assert lines[1].endswith("…")


def test_clean_collapses_ascii_whitespace_only() -> None:
    assert clean("  Site\t web\n\r mobile \f\v ") == "Site web mobile"


def test_clean_keeps_the_french_no_break_spaces() -> None:
    label = "Réponse en moins d\u2019une heure\u202f? 41\u00a0%\u202f!"
    assert clean(label) == label
    assert clean(f" Avis\u202f:\n  {label} ") == f"Avis\u202f: {label}"


def test_wrap_never_breaks_at_a_no_break_space() -> None:
    lines = wrap("Leads traités le jour même\u202f? Oui 41\u00a0%", 130, 13, max_lines=3)
    assert len(lines) > 1
    assert not any(line.startswith(("?", "%", "\u202f", "\u00a0")) for line in lines)
    assert "même\u202f?" in " ".join(lines)
    assert "41\u00a0%" in " ".join(lines)


def test_it_keeps_short_text_on_one_line() -> None:
    assert wrap("Avis", 100, 13) == ["Avis"]
    assert wrap("", 100, 13) == [""]


def test_it_truncates_with_an_ellipsis() -> None:
    shortened = truncate("Garage Dupont et Fils Automobiles de Saint-Étienne", 150, 13)
    assert shortened.endswith("…")
    assert text_width(shortened, 13) <= 150
    assert truncate("Court", 150, 13) == "Court"


def test_it_computes_wcag_contrast() -> None:
    assert round(contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    assert contrast_ratio("#0d6efd", "#0d6efd") == 1.0
