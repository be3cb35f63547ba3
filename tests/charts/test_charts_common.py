"""Properties every chart shares: valid XML, accessible, CSP-safe, escaped, deterministic."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest

from maturity.charts.heatmap import heatmap_svg
from maturity.charts.ladder import ladder_svg
from maturity.charts.radar import Series, radar_svg
from maturity.charts.svg import FONT_FAMILY
from maturity.charts.trend import trend_svg

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    """Parse a chart (our own output, hence the safe stdlib parser)."""
    return ET.fromstring(markup)  # noqa: S314


EVIL = "<script>alert(1)</script>"
QUOTES = "\"&'"
NASTY = f'{EVIL} {QUOTES} <img src=x onerror="alert(2)">'


def ladder(label: str) -> str:
    rungs = [(1, "Absent"), (2, label), (3, "Structuré"), (4, "Piloté"), (5, "Expert")]
    return ladder_svg(rungs, 2, title=label, previous=1, you_are_here=label, previous_label=label)


def radar(label: str) -> str:
    axes = [label, "Contenus", "Réseaux", "Avis clients", "Publicité", "Mesure", "Organisation"]
    return radar_svg(
        axes,
        [
            Series(label, [10, 20, 30, None, 50, 60, 100], "primary"),
            Series("Avant", [5, 15, 25, 35, 45, 55, 65], "secondary"),
            Series("Médiane", [50] * 7, "peer"),
        ],
        title=label,
    )


def trend(label: str) -> str:
    return trend_svg([(label, 20), ("01/06/2024", 45.5), ("01/01/2025", 70)], title=label)


def heatmap(label: str) -> str:
    return heatmap_svg(
        [label, "Auto Lyon Sud"],
        [label, "Contenus", "Avis"],
        [[0, 50, None], [100, 75.5, 12]],
        title=label,
    )


CHARTS: dict[str, Callable[[str], str]] = {
    "ladder": ladder,
    "radar": radar,
    "trend": trend,
    "heatmap": heatmap,
}


@pytest.fixture(params=sorted(CHARTS))
def build(request: pytest.FixtureRequest) -> Callable[[str], str]:
    return CHARTS[request.param]


def test_it_parses_as_a_complete_scalable_svg_element(build: Callable[[str], str]) -> None:
    markup = build("Concession")
    assert isinstance(markup, str)
    assert markup.startswith("<svg ") and markup.endswith("</svg>")
    root = parse(markup)
    assert root.tag == f"{SVG}svg"
    assert root.get("width") == "100%"
    assert root.get("height") is None
    view_box = [float(v) for v in root.get("viewBox", "").split()]
    assert len(view_box) == 4 and view_box[2] > 0 and view_box[3] > 0
    assert root.get("font-family") == FONT_FAMILY


def test_it_is_an_accessible_image_with_title_and_desc(build: Callable[[str], str]) -> None:
    root = parse(build("Concession"))
    assert root.get("role") == "img"
    title, desc = root[0], root[1]
    assert title.tag == f"{SVG}title" and title.text == "Concession"
    assert desc.tag == f"{SVG}desc" and desc.text and len(desc.text) > 20
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    assert root.findall(f".//{SVG}text"), "charts carry text labels"


def test_it_contains_nothing_a_strict_csp_would_block(build: Callable[[str], str]) -> None:
    markup = build(NASTY)
    root = parse(markup)
    for element in root.iter():
        local = element.tag.split("}")[-1]
        assert local not in {"script", "foreignObject", "style", "a", "image", "use"}
        for name in element.attrib:
            local_name = name.split("}")[-1].lower()
            assert local_name != "style"
            assert not local_name.startswith("on"), name
            assert "href" not in local_name
    assert "<script" not in markup.lower()
    assert "javascript:" not in markup.lower()


def test_it_escapes_untrusted_text(build: Callable[[str], str]) -> None:
    markup = build(NASTY)
    assert EVIL not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    assert "&quot;&amp;&#39;" in markup
    root = parse(markup)
    assert root[0].text == NASTY  # the title round-trips intact
    assert NASTY in (root[1].text or "") or EVIL in (root[1].text or "")


def test_it_drops_characters_xml_forbids(build: Callable[[str], str]) -> None:
    root = parse(build("Garage\x00 Dupont\x1b"))
    assert root[0].text == "Garage Dupont"


def test_it_is_deterministic(build: Callable[[str], str]) -> None:
    assert build("Concession") == build("Concession")


def test_it_writes_numbers_with_at_most_one_decimal(build: Callable[[str], str]) -> None:
    root = parse(build("Concession"))
    for element in root.iter():
        for name, value in element.attrib.items():
            if name in {"font-family", "id", "aria-labelledby", "aria-describedby"}:
                continue
            assert not re.search(r"\d\.\d{2,}", value), (element.tag, name, value)


def test_it_gives_different_charts_different_ids() -> None:
    ids = {parse(build("Concession"))[0].get("id") for build in CHARTS.values()}
    ids |= {parse(ladder("Autre"))[0].get("id")}
    assert len(ids) == len(CHARTS) + 1


def test_it_translates_generated_text_to_english() -> None:
    rungs = [(1, "Absent"), (2, "Basic")]
    en = parse(ladder_svg(rungs, 2, title="t", lang="en"))
    assert "Current rung: 2 (Basic)" in (en[1].text or "")
    assert parse(ladder_svg(rungs, 2, title="t", lang="en")).get("lang") == "en"
    assert parse(ladder_svg(rungs, 2, title="t")).get("lang") == "fr"
