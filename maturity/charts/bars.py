"""Scores by area as horizontal bars: the radar's picture for low scores and for phones.

A radar whose scores are all low collapses into a dot at its centre, and on a phone its
labels shrink to about 9 px. Bars read at any score and any width: one row per area, its
name above a bar of length ``value / max_value`` and the value written at the end, with
an optional reference tick (the peers' median). The viewBox is about a phone's width, so
the text keeps its size there. :func:`radar_readable` says when a radar still shows a shape.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from maturity.charts.svg import (
    GRID,
    LIGHT_GREY,
    PRIMARY,
    SECONDARY,
    TEXT,
    Language,
    Markup,
    clean,
    el,
    fmt_value,
    group,
    svg_document,
    text,
    wrap,
)

WIDTH = 340
PAD = 4
LABEL_SIZE = 14
LINE = 17
BAR_HEIGHT = 12
VALUE_WIDTH = 36
ROW_GAP = 10
# The radar shows a shape once its largest score passes the first ring (a quarter).
READABLE_SHARE = 0.25

_PHRASES = {
    "fr": {
        "shape": "{n} domaines notés de 0 à {max}.",
        "missing": "non renseigné",
        "sep": "\u202f: ",
    },
    "en": {"shape": "{n} areas scored from 0 to {max}.", "missing": "no score", "sep": ": "},
}


def radar_readable(values: Sequence[float | None], max_value: float = 100) -> bool:
    """Does a radar of ``values`` show a shape rather than a dot (some score past 25 %)?"""
    known = [v for v in values if v is not None]
    return bool(known) and max(known) >= READABLE_SHARE * max_value


def bars_svg(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    title: str,
    max_value: float = 100,
    reference: Sequence[float | None] | None = None,
    reference_label: str = "",
    lang: Language = "fr",
) -> str:
    """Render one bar per label as an accessible inline ``<svg>`` string.

    ``values[i]`` is the score of ``labels[i]`` between 0 and ``max_value`` (clamped), or
    ``None`` (no bar, an en dash). ``reference`` (same length) draws a tick per row, named
    ``reference_label`` in the description. Raises ``ValueError`` when the lengths differ,
    for no label, a non-finite value or a non-positive ``max_value``.
    """
    phrases = _PHRASES[lang]
    labels = [clean(label) for label in labels]
    if not labels:
        raise ValueError("bars need at least one label")
    if len(values) != len(labels) or (reference is not None and len(reference) != len(labels)):
        raise ValueError(f"values must have {len(labels)} entries")
    if not (math.isfinite(max_value) and max_value > 0):
        raise ValueError(f"max_value must be a positive number, got {max_value!r}")
    for value in [*values, *(reference or [])]:
        if value is not None and not math.isfinite(value):
            raise ValueError(f"non-finite value: {value!r}")

    track = WIDTH - 2 * PAD - VALUE_WIDTH
    rows: list[Markup] = []
    y = PAD
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        parts: list[Markup] = []
        for line in wrap(label, WIDTH - 2 * PAD, LABEL_SIZE, max_lines=2):
            y += LINE
            parts.append(text(PAD, y - 4, line, size=LABEL_SIZE, fill=TEXT, full=label))
        y += 2
        parts.append(
            el(
                "rect",
                {
                    "x": PAD,
                    "y": y,
                    "width": track,
                    "height": BAR_HEIGHT,
                    "rx": 3,
                    "fill": LIGHT_GREY,
                },
            )
        )
        if value is not None:
            share = min(max(value, 0.0), max_value) / max_value
            # A score of 0 still shows a sliver: "zero" is an answer, not a missing bar.
            parts.append(
                el(
                    "rect",
                    {
                        "x": PAD,
                        "y": y,
                        "width": max(track * share, 3),
                        "height": BAR_HEIGHT,
                        "rx": 3,
                        "fill": PRIMARY,
                        "class": "bars-value",
                    },
                )
            )
        if reference is not None and reference[index] is not None:
            at = PAD + track * min(max(reference[index], 0.0), max_value) / max_value
            parts.append(
                el(
                    "line",
                    {
                        "x1": at,
                        "y1": y - 3,
                        "x2": at,
                        "y2": y + BAR_HEIGHT + 3,
                        "stroke": SECONDARY,
                        "stroke-width": 2.5,
                        "class": "bars-reference",
                    },
                )
            )
        shown = "–" if value is None else fmt_value(value, lang)
        parts.append(
            text(
                WIDTH - PAD,
                y + BAR_HEIGHT - 1,
                shown,
                size=LABEL_SIZE,
                fill=TEXT,
                anchor="end",
                weight="bold",
            )
        )
        rows.append(group(parts, {"class": "bars-row"}))
        y += BAR_HEIGHT + ROW_GAP
    grid = el("line", {"x1": PAD, "y1": PAD, "x2": PAD, "y2": y - ROW_GAP, "stroke": GRID})

    summary = [phrases["shape"].format(n=len(labels), max=fmt_value(max_value, lang))]
    summary.append(
        ", ".join(
            f"{label} {phrases['missing'] if v is None else fmt_value(v, lang)}"
            for label, v in zip(labels, values, strict=True)
        )
        + "."
    )
    if reference is not None and reference_label:
        ticks = ", ".join(
            f"{label} {phrases['missing'] if v is None else fmt_value(v, lang)}"
            for label, v in zip(labels, reference, strict=True)
        )
        summary.append(f"{clean(reference_label)}{phrases['sep']}{ticks}.")
    return svg_document(
        kind="bars",
        width=WIDTH,
        height=y - ROW_GAP + PAD,
        title=title,
        desc=" ".join(summary),
        body=[grid, group(rows, {"class": "bars-rows"})],
        lang=lang,
    )
