"""The maturity ladder: a staircase of rungs with the dealer's current rung highlighted.

Rungs rise from bottom-left (lowest) to top-right (highest). Rungs below the current one are
tinted ("reached"), the current one is filled with the primary colour and pointed at by a
"You are here" badge; the optional previous rung (before/after view) gets a dashed outline
and a small outlined badge.
"""

from __future__ import annotations

from collections.abc import Sequence

from maturity.charts.svg import (
    GRID,
    LIGHT,
    PRIMARY,
    PRIMARY_DARK,
    PRIMARY_LIGHT,
    SECONDARY,
    TEXT_MUTED,
    WHITE,
    Language,
    Markup,
    clean,
    el,
    group,
    points_attr,
    svg_document,
    text,
    text_width,
    wrap,
)

_PHRASES = {
    "fr": {
        "you_are_here": "Vous êtes ici",
        "previous": "Précédent",
        "scale": "Échelle de maturité en {n} marches\u202f: {rungs}.",
        "current": "Marche actuelle\u202f: {rung} ({label})",
        "previous_desc": "Marche précédente\u202f: {rung} ({label})",
        "same": "inchangé",
        "delta": "{sign}{delta} marche",
        "delta_plural": "{sign}{delta} marches",
    },
    "en": {
        "you_are_here": "You are here",
        "previous": "Previous",
        "scale": "Maturity ladder with {n} rungs: {rungs}.",
        "current": "Current rung: {rung} ({label})",
        "previous_desc": "Previous rung: {rung} ({label})",
        "same": "unchanged",
        "delta": "{sign}{delta} rung",
        "delta_plural": "{sign}{delta} rungs",
    },
}

WIDTH = 580
MARGIN = 6
GAP = 4
RISE = 30
NUMBER_SIZE = 24
LABEL_SIZE = 14
LINE_HEIGHT = 17
PAD_TOP = 10
PAD_BOTTOM = 10
BADGE_SIZE = 13

# Rung state -> (fill, stroke, text colour).
_STATE_COLOURS = {
    "reached": (PRIMARY_LIGHT, PRIMARY_LIGHT, PRIMARY_DARK),
    "current": (PRIMARY, PRIMARY, WHITE),
    "ahead": (LIGHT, GRID, TEXT_MUTED),
}
BADGE_HEIGHT = 24
POINTER = 7


def _badge(
    centre_x: float, right: float, bottom: float, label: str, *, filled: bool, pointer: bool
) -> tuple[Markup, float]:
    """A pill-shaped badge whose bottom (pointer tip if any) is at ``bottom``.

    The pointer is at ``centre_x``; a badge wider than its rung is pushed left so that it
    does not pass ``right`` (the taller rung on the right would hide it). Returns the markup
    and the y of the badge's top edge.
    """
    label = clean(label)
    width = text_width(label, BADGE_SIZE, bold=True) + 20
    tip_x = centre_x
    centre_x = min(centre_x, right - width / 2)
    centre_x = min(max(centre_x, MARGIN + width / 2), WIDTH - MARGIN - width / 2)
    box_bottom = bottom - (POINTER if pointer else 0)
    top = box_bottom - BADGE_HEIGHT
    parts = [
        el(
            "rect",
            {
                "x": centre_x - width / 2,
                "y": top,
                "width": width,
                "height": BADGE_HEIGHT,
                "rx": BADGE_HEIGHT / 2,
                "fill": PRIMARY if filled else WHITE,
                "stroke": PRIMARY if filled else SECONDARY,
                "stroke-width": 1.5,
                "stroke-dasharray": None if filled else "4 3",
            },
        ),
        text(
            centre_x,
            top + BADGE_HEIGHT / 2 + BADGE_SIZE * 0.35,
            label,
            size=BADGE_SIZE,
            fill=WHITE if filled else TEXT_MUTED,
            anchor="middle",
            weight="bold" if filled else None,
        ),
    ]
    if pointer:
        parts.append(
            el(
                "polygon",
                {
                    "points": points_attr(
                        [
                            (tip_x - POINTER, box_bottom - 0.5),
                            (tip_x + POINTER, box_bottom - 0.5),
                            (tip_x, bottom),
                        ]
                    ),
                    "fill": PRIMARY,
                },
            )
        )
    kind = "current" if filled else "previous"
    return group(parts, {"class": f"ladder-marker ladder-marker-{kind}"}), top


def ladder_svg(
    rungs: Sequence[tuple[int, str]],
    current: int,
    *,
    title: str,
    previous: int | None = None,
    you_are_here: str | None = None,
    previous_label: str | None = None,
    lang: Language = "fr",
) -> str:
    """Render the maturity ladder as an accessible inline ``<svg>`` string.

    ``rungs`` are ``(number, label)`` pairs (typically 5), drawn in increasing number order
    from bottom-left to top-right. ``current`` (and ``previous``, when given) must be one of
    the rung numbers. ``you_are_here`` / ``previous_label`` are the marker texts (default in
    ``lang``). All text is escaped. Raises ``ValueError`` for empty or duplicate rungs or an
    unknown ``current`` / ``previous``.
    """
    phrases = _PHRASES[lang]
    ordered = sorted(((int(n), clean(label)) for n, label in rungs), key=lambda r: r[0])
    numbers = [n for n, _ in ordered]
    if not ordered:
        raise ValueError("a ladder needs at least one rung")
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"duplicate rung numbers: {numbers}")
    if current not in numbers:
        raise ValueError(f"current rung {current} is not one of {numbers}")
    if previous is not None and previous not in numbers:
        raise ValueError(f"previous rung {previous} is not one of {numbers}")
    marker = clean(you_are_here) if you_are_here is not None else phrases["you_are_here"]
    before = clean(previous_label) if previous_label is not None else phrases["previous"]

    count = len(ordered)
    column = (WIDTH - 2 * MARGIN - GAP * (count - 1)) / count
    label_width = column - 14
    current_index = numbers.index(current)
    previous_index = numbers.index(previous) if previous is not None else None
    wrapped = [
        wrap(label, label_width, LABEL_SIZE, max_lines=4, bold=i == current_index)
        for i, (_, label) in enumerate(ordered)
    ]
    needed = [
        PAD_TOP + NUMBER_SIZE + 6 + len(lines) * LINE_HEIGHT + PAD_BOTTOM for lines in wrapped
    ]
    base_height = max(max(h - i * RISE for i, h in enumerate(needed)), 64)

    # Lay out bottom-up with the ground at y = 0, then shift the viewBox to fit.
    steps: list[Markup] = []
    markers: list[Markup] = []
    tops: list[float] = []
    for index, ((number, label), lines) in enumerate(zip(ordered, wrapped, strict=True)):
        height = base_height + index * RISE
        x = MARGIN + index * (column + GAP)
        y = -height
        tops.append(y)
        if index == current_index:
            state = "current"
        else:
            state = "reached" if index < current_index else "ahead"
        fill, stroke, ink = _STATE_COLOURS[state]
        centre = x + column / 2
        parts: list[Markup] = [
            el(
                "rect",
                {
                    "x": x,
                    "y": y,
                    "width": column,
                    "height": height,
                    "rx": 4,
                    "fill": fill,
                    "stroke": stroke,
                    "stroke-width": 1,
                },
            ),
            text(
                centre,
                y + PAD_TOP + NUMBER_SIZE * 0.8,
                str(number),
                size=NUMBER_SIZE,
                fill=ink,
                anchor="middle",
                weight="bold",
            ),
        ]
        first_line = y + PAD_TOP + NUMBER_SIZE + 6 + LABEL_SIZE * 0.8
        for line_no, line in enumerate(lines):
            parts.append(
                text(
                    centre,
                    first_line + line_no * LINE_HEIGHT,
                    line,
                    size=LABEL_SIZE,
                    fill=ink,
                    anchor="middle",
                    weight="bold" if index == current_index else None,
                    full=label if line_no == len(lines) - 1 else None,
                )
            )
        if index == previous_index:
            parts.append(
                el(
                    "rect",
                    {
                        "x": x + 3,
                        "y": y + 3,
                        "width": column - 6,
                        "height": height - 6,
                        "rx": 3,
                        "fill": "none",
                        "stroke": WHITE if index == current_index else SECONDARY,
                        "stroke-width": 1.5,
                        "stroke-dasharray": "5 3",
                        "class": "ladder-previous-outline",
                    },
                )
            )
        steps.append(
            group(
                parts,
                {
                    "class": f"ladder-rung ladder-rung-{state}",
                    "data-rung": number,
                    "data-state": state,
                },
            )
        )

    badge_top = 0.0
    current_badge, top = _badge(
        MARGIN + current_index * (column + GAP) + column / 2,
        MARGIN + current_index * (column + GAP) + column,
        tops[current_index] - 4,
        marker,
        filled=True,
        pointer=True,
    )
    markers.append(current_badge)
    badge_top = min(badge_top, top)
    if previous_index is not None:
        # Stacked above the current badge when the rung did not change.
        bottom = (top if previous_index == current_index else tops[previous_index]) - 6
        previous_badge, top = _badge(
            MARGIN + previous_index * (column + GAP) + column / 2,
            MARGIN + previous_index * (column + GAP) + column,
            bottom,
            before,
            filled=False,
            pointer=False,
        )
        markers.append(previous_badge)
        badge_top = min(badge_top, top)

    min_y = min(badge_top, min(tops)) - MARGIN
    ground = el(
        "line",
        {"x1": 0, "y1": 0.5, "x2": WIDTH, "y2": 0.5, "stroke": GRID, "stroke-width": 1},
    )

    summary = [
        phrases["scale"].format(n=count, rungs=", ".join(f"{n} {label}" for n, label in ordered)),
        phrases["current"].format(rung=current, label=ordered[current_index][1]) + ".",
    ]
    if previous is not None and previous_index is not None:
        delta = current - previous
        if delta == 0:
            change = phrases["same"]
        else:
            key = "delta" if abs(delta) == 1 else "delta_plural"
            change = phrases[key].format(sign="+" if delta > 0 else "−", delta=abs(delta))
        summary.append(
            phrases["previous_desc"].format(rung=previous, label=ordered[previous_index][1])
            + f" ({change})."
        )

    return svg_document(
        kind="ladder",
        width=WIDTH,
        height=-min_y + 2,
        min_y=min_y,
        title=title,
        desc=" ".join(summary),
        body=[ground, group(steps, {"class": "ladder-rungs"}), group(markers)],
        lang=lang,
    )
