"""Quartiles of a sorted list, and of the same list with one score taken out.

The peer rule compares a dealership with the *other* dealerships of its group. Storing
every score of a group of 20,000 to remove one would make each page decode 20,000
numbers; instead :func:`summarise` keeps, for each quartile, the three sorted scores
around the position that quartile takes once one score is removed, and :func:`without`
finds the quartiles of the list minus one score from them, exactly.

Why three are enough: with ``n`` scores, the inclusive quartile ``i`` of the ``n - 1``
remaining ones interpolates between the remaining list's positions ``j`` and ``j + 1``
(``j = i * (n - 2) // 4``), which are the full list's positions ``j``, ``j + 1`` or
``j + 2`` depending on where the removed score sits. The arithmetic is the one of
``statistics.quantiles(method="inclusive")``, so the floats are the same.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

__all__ = ["Summary", "summarise", "without"]

# (count, (q1, median, q3) or None, window): what a PeerStatistic row stores.
Summary = tuple[int, tuple[float, float, float] | None, list[list[float]]]


def summarise(ordered: Sequence[float]) -> Summary:
    """Count, quartiles of every score, and the windows :func:`without` needs.

    ``ordered`` must be sorted. Quartiles need two scores, windows three.
    """
    n = len(ordered)
    quartiles = None
    if n >= 2:
        q1, median, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
        quartiles = (q1, median, q3)
    window: list[list[float]] = []
    if n >= 3:
        for i in (1, 2, 3):
            j = i * (n - 2) // 4
            window.append(list(ordered[j : j + 3]))
    return n, quartiles, window


def without(count: int, window: Sequence[Sequence[float]], value: float) -> tuple[float, ...]:
    """``(q1, median, q3)`` of the summarised scores with one occurrence of ``value`` removed.

    ``value`` is expected to be one of the scores (the dealership's own); if it is not,
    the answer is still the quartiles of ``count - 1`` of them (a close neighbour is left
    out instead). Needs ``count >= 3``.
    """
    m = count - 2  # (count - 1) scores remain; their last position
    result = []
    for i, (low, mid, high) in zip((1, 2, 3), window, strict=True):
        delta = i * m % 4  # positions j = i * m // 4 and j + 1 of what remains
        if value <= low:  # removed at or before position j
            a, b = mid, high
        elif value <= mid:  # removed at position j + 1
            a, b = low, high
        else:  # removed after
            a, b = low, mid
        result.append((a * (4 - delta) + b * delta) / 4)
    return tuple(result)
