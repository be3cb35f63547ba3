"""The distribution chart: one horizontal bar per category, its count and share written.

Used for how many dealerships stand on each rung of the ladder. Labels sit left of the
bars (shortened with an ellipsis when too long, the full text in a tooltip), each bar is
drawn in proportion to the largest count and ends with its count and its share of the
total, so the picture reads without colour and the description repeats every figure.
An empty list is the caller's empty state: :func:`distribution_svg` raises ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Sequence

from maturity.charts.svg import (
    GRID,
    PRIMARY,
    TEXT,
    Language,
    Markup,
    clean,
    el,
    group,
    svg_document,
    text,
    text_width,
    truncate,
)

_PHRASES = {
    "fr": {
        "total": "{n} au total.",
        "item": "{label}\u202f: {count} ({share}\u00a0%)",
    },
    "en": {
        "total": "{n} in all.",
        "item": "{label}: {count} ({share}%)",
    },
}

WIDTH = 600
LABEL_SIZE = 13
LABEL_MAX = 190
BAR_HEIGHT = 24
GAP = 12
TOP = 8
VALUE_ROOM = 92  # right of the longest bar: "20 000 (100 %)"


def share_of(count: int, total: int) -> int:
    """A whole percentage, half up (0 for an empty total)."""
    return (200 * count + total) // (2 * total) if total else 0


def _count_text(count: int, lang: Language) -> str:
    # Thousands grouped: a no-break space in French, a comma in English.
    return f"{count:,}".replace(",", "\u00a0" if lang == "fr" else ",")


def distribution_svg(bars: Sequence[tuple[str, int]], *, title: str, lang: Language = "fr") -> str:
    """Render ``(label, count)`` bars, in the given order, as an accessible ``<svg>``.

    Raises ``ValueError`` for no bar or a negative count.
    """
    if not bars:
        raise ValueError("a distribution needs at least one bar")
    phrases = _PHRASES[lang]
    labels = [clean(label) for label, _ in bars]
    counts = [int(count) for _, count in bars]
    if any(count < 0 for count in counts):
        raise ValueError("counts are never negative")
    total = sum(counts)
    largest = max(counts) or 1
    shown = [truncate(label, LABEL_MAX, LABEL_SIZE) for label in labels]
    label_width = max(text_width(label, LABEL_SIZE) for label in shown)
    left = label_width + 12
    room = WIDTH - left - VALUE_ROOM

    items: list[Markup] = []
    for index, (label, count) in enumerate(zip(shown, counts, strict=True)):
        y = TOP + index * (BAR_HEIGHT + GAP)
        width = room * count / largest
        middle = y + BAR_HEIGHT / 2 + LABEL_SIZE * 0.35
        value = f"{_count_text(count, lang)} ({share_of(count, total)}\u00a0%)"
        if lang == "en":
            value = value.replace("\u00a0%", "%")
        items.append(
            group(
                [
                    text(
                        left - 8, middle, label, size=LABEL_SIZE, anchor="end", full=labels[index]
                    ),
                    el(
                        "rect",
                        {
                            "x": left,
                            "y": y,
                            "width": max(width, 1),
                            "height": BAR_HEIGHT,
                            "rx": 3,
                            "fill": PRIMARY if count else GRID,
                            "class": "bars-bar",
                        },
                    ),
                    text(
                        left + width + 6,
                        middle,
                        value,
                        size=LABEL_SIZE,
                        fill=TEXT,
                        cls="bars-value",
                    ),
                ],
                {"class": "bars-item"},
            )
        )
    height = TOP * 2 + len(bars) * (BAR_HEIGHT + GAP) - GAP
    desc = " ".join(
        [
            phrases["total"].format(n=_count_text(total, lang)),
            " ; ".join(
                phrases["item"].format(
                    label=label, count=_count_text(count, lang), share=share_of(count, total)
                )
                for label, count in zip(labels, counts, strict=True)
            )
            + ".",
        ]
    )
    return svg_document(
        kind="bars",
        width=WIDTH,
        height=height,
        title=title,
        desc=desc,
        body=[group(items, {"class": "bars-items"})],
        lang=lang,
    )
