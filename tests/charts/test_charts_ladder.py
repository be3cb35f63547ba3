"""The maturity ladder."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from maturity.charts.ladder import ladder_svg
from maturity.charts.svg import PRIMARY

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    """Parse a chart (our own output, hence the safe stdlib parser)."""
    return ET.fromstring(markup)  # noqa: S314


RUNGS = [
    (1, "Absent"),
    (2, "Présence de base"),
    (3, "Présence structurée"),
    (4, "Stratégie pilotée"),
    (5, "Excellence omnicanale"),
]


def rung_groups(root: ET.Element) -> dict[int, ET.Element]:
    return {
        int(g.get("data-rung", "0")): g
        for g in root.iter(f"{SVG}g")
        if g.get("data-rung") is not None
    }


def texts(element: ET.Element) -> list[str]:
    return [t.text or "" for t in element.iter(f"{SVG}text")]


def test_it_highlights_the_current_rung_only() -> None:
    root = parse(ladder_svg(RUNGS, 3, title="Niveau"))
    groups = rung_groups(root)
    assert sorted(groups) == [1, 2, 3, 4, 5]
    states = {n: g.get("data-state") for n, g in groups.items()}
    assert states == {1: "reached", 2: "reached", 3: "current", 4: "ahead", 5: "ahead"}
    fills = {n: g.find(f"{SVG}rect").get("fill") for n, g in groups.items()}
    assert fills[3] == PRIMARY
    assert [n for n, fill in fills.items() if fill == PRIMARY] == [3]


def test_it_points_at_the_current_rung_with_the_marker_text() -> None:
    root = parse(ladder_svg(RUNGS, 4, title="Niveau"))
    markers = [g for g in root.iter(f"{SVG}g") if "ladder-marker-current" in g.get("class", "")]
    assert len(markers) == 1
    assert texts(markers[0]) == ["Vous êtes ici"]
    tip_x = float(markers[0].find(f"{SVG}polygon").get("points").split()[-1].split(",")[0])
    rect = rung_groups(root)[4].find(f"{SVG}rect")
    left, width = float(rect.get("x")), float(rect.get("width"))
    assert left < tip_x < left + width


def test_it_takes_the_marker_text_as_an_argument() -> None:
    markup = ladder_svg(RUNGS, 1, title="Level", you_are_here="You are here", lang="en")
    assert "You are here" in markup
    assert "Vous êtes ici" not in markup
    assert "You are here" in ladder_svg(RUNGS, 1, title="Level", lang="en")


def test_it_climbs_from_bottom_left_to_top_right_whatever_the_input_order() -> None:
    shuffled = [RUNGS[3], RUNGS[0], RUNGS[4], RUNGS[2], RUNGS[1]]
    root = parse(ladder_svg(shuffled, 2, title="Niveau"))
    rects = [rung_groups(root)[n].find(f"{SVG}rect") for n in range(1, 6)]
    xs = [float(r.get("x")) for r in rects]
    tops = [float(r.get("y")) for r in rects]
    bottoms = [float(r.get("y")) + float(r.get("height")) for r in rects]
    assert xs == sorted(xs)
    assert tops == sorted(tops, reverse=True)
    assert len({round(b) for b in bottoms}) == 1  # all stand on the same ground
    assert texts(rung_groups(root)[1])[:2] == ["1", "Absent"]


def test_it_outlines_the_previous_rung() -> None:
    root = parse(ladder_svg(RUNGS, 3, title="Niveau", previous=2))
    groups = rung_groups(root)
    outlined = [
        n
        for n, g in groups.items()
        if any("ladder-previous-outline" in r.get("class", "") for r in g.iter(f"{SVG}rect"))
    ]
    assert outlined == [2]
    previous = [g for g in root.iter(f"{SVG}g") if "ladder-marker-previous" in g.get("class", "")]
    assert len(previous) == 1 and texts(previous[0]) == ["Précédent"]
    desc = root[1].text or ""
    assert "Marche actuelle\u202f: 3 (Présence structurée)" in desc
    assert "Marche précédente\u202f: 2 (Présence de base) (+1 marche)" in desc


def test_it_shows_both_markers_when_the_rung_did_not_change() -> None:
    markup = ladder_svg(RUNGS, 5, title="Niveau", previous=5, previous_label="Avant")
    root = parse(markup)
    assert "ladder-previous-outline" in markup
    assert "Avant" in texts(root)
    assert "(inchangé)" in (root[1].text or "")


def test_it_has_no_previous_marker_by_default() -> None:
    markup = ladder_svg(RUNGS, 3, title="Niveau")
    assert "ladder-previous-outline" not in markup
    assert "ladder-marker-previous" not in markup


def test_it_keeps_every_label_inside_the_view_box() -> None:
    long_rungs = [(n, label + " et accompagnement des équipes") for n, label in RUNGS]
    root = parse(ladder_svg(long_rungs, 5, title="Niveau", previous=5))
    min_x, min_y, width, height = (float(v) for v in root.get("viewBox").split())
    for element in root.iter():
        if element.tag in {f"{SVG}text", f"{SVG}rect"}:
            assert min_y <= float(element.get("y")) <= min_y + height
            assert min_x <= float(element.get("x")) <= min_x + width
    assert all(len(line) < 40 for line in texts(root))  # labels were wrapped


@pytest.mark.parametrize(
    ("rungs", "current", "previous"),
    [([], 1, None), (RUNGS, 6, None), (RUNGS, 3, 0), ([(1, "a"), (1, "b")], 1, None)],
)
def test_it_rejects_inconsistent_input(
    rungs: list[tuple[int, str]], current: int, previous: int | None
) -> None:
    with pytest.raises(ValueError):
        ladder_svg(rungs, current, title="Niveau", previous=previous)
