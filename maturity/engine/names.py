"""The names of what is measured: the one list the questionnaire's ``measured_by`` may name.

Plain data, no imports: the website check (``maturity.measurements.website``) produces
exactly :data:`WEBSITE_CHECKS`, the lead-response tests and the review imports give the
figures :data:`LEAD_FIGURES` and :data:`REVIEW_FIGURES`, and the loader accepts
``<source>.<name>`` from :data:`MEASURED_SOURCES` only. It lives in the engine because
the engine may import nothing but the standard library; the measurements import it.
A website check is true / false; a figure is a number (:data:`FIGURE_UNITS`) that a
question maps onto one of its answers.
"""

from __future__ import annotations

# Every website measurement has exactly these checks, in this order.
WEBSITE_CHECKS: tuple[str, ...] = (
    "own_domain",
    "https",
    "mobile",
    "contact_form",
    "booking",
    "click_to_call",
    "stock",
    "social_links",
    "analytics",
    "fresh",
)
# Lead-response tests: the median time to the first human reply (hours), an unanswered
# test counting as a reply at the grid's no-reply delay.
LEAD_FIGURES: tuple[str, ...] = ("response_time",)
# Imported reviews: the mean rating (1..5), the share answered (0..1) and the median
# time to answer (hours).
REVIEW_FIGURES: tuple[str, ...] = ("rating", "answered_share", "answer_time")

MEASURED_SOURCES: dict[str, tuple[str, ...]] = {
    "website": WEBSITE_CHECKS,
    "leads": LEAD_FIGURES,
    "reviews": REVIEW_FIGURES,
}
# The unit of each figure (a website check has none: it passes or fails).
FIGURE_UNITS: dict[str, str] = {
    "leads.response_time": "hours",
    "reviews.rating": "rating",
    "reviews.answered_share": "share",
    "reviews.answer_time": "hours",
}
