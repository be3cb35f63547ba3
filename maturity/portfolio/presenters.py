"""What the portfolio page and its CSV show, computed from the selectors' rows.

No query here: everything works on rows the selectors already fetched (plus the
questionnaire file, read once per process, for the area and rung titles).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import QueryDict
from django.urls import reverse
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from common.i18n import format_date
from dealers.models import Dealership
from maturity.charts import heatmap_svg
from maturity.engine.scoring import whole, whole_change
from maturity.measured.presenters import measured_alert_text
from maturity.models import Report
from maturity.portfolio.selectors import (
    SORT_KEYS,
    Alert,
    PortfolioAlerts,
    PortfolioFilters,
    row_change,
)
from maturity.questionnaire.files import current_definition
from maturity.results.benchmarks import Benchmark
from maturity.results.presenters import chart_value

ALERTS_SHOWN = 5  # per kind; the rest are one click away through the table's alert filter


def areas(language: str) -> list[tuple[str, str]]:
    """``(key, title)`` of the seven areas, in questionnaire order."""
    return [(a.key, a.title.get(language)) for a in current_definition().areas]


def rung_titles(language: str) -> dict[int, str]:
    return {r.number: r.title.get(language) for r in current_definition().rungs}


# --- table ----------------------------------------------------------------------------------

# A context on every label: bare words like "Change" or "Draft" exist in Django's own
# catalogue with another meaning ("Modifier", "Brouillon" as a verb...).
COLUMN_LABELS = {
    "name": lambda: pgettext("portfolio column", "Dealership"),
    "city": lambda: pgettext("portfolio column", "City"),
    "brands": lambda: pgettext("portfolio column", "Brands"),
    "rung": lambda: pgettext("portfolio column", "Rung"),
    "score": lambda: pgettext("portfolio column", "Score"),
    "change": lambda: pgettext("portfolio column", "Change"),
    "submitted": lambda: pgettext("portfolio column", "Last submission"),
    "draft": lambda: pgettext("portfolio column", "Draft"),
    "report": lambda: pgettext("portfolio column", "PDF report"),
}
# Columns that hide on a phone (the table keeps the name, rung, score and change).
WIDE_ONLY = {
    "city": "d-none d-md-table-cell",
    "brands": "d-none d-lg-table-cell",
    "submitted": "d-none d-md-table-cell",
    "draft": "d-none d-lg-table-cell",
    "report": "d-none d-xl-table-cell",
}
# Numbers and dates read best newest/highest first: the first click sorts them descending.
DESCENDING_FIRST = {"rung", "score", "change", "submitted", "draft"}


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    sort: str  # the ``sort`` value of the header link
    aria_sort: str  # "ascending" / "descending" / "none"
    css: str


def columns(filters: PortfolioFilters) -> list[Column]:
    current = filters.sort_key if filters.sort_key in SORT_KEYS else "name"
    descending = filters.descending if filters.sort_key in SORT_KEYS else False
    result = []
    for key in SORT_KEYS:
        if key == current:
            link = key if descending else f"-{key}"
            aria = "descending" if descending else "ascending"
        else:
            link = f"-{key}" if key in DESCENDING_FIRST else key
            aria = "none"
        result.append(Column(key, COLUMN_LABELS[key](), link, aria, WIDE_ONLY.get(key, "")))
    return result


@dataclass(frozen=True, slots=True)
class Order:
    sort: str
    label: str
    active: bool


def orders(filters: PortfolioFilters) -> list[Order]:
    """The table's orders beside its column sorts: by name, what needs you, the weakest."""
    labels = {
        "name": pgettext("portfolio order", "By name"),
        "attention": pgettext("portfolio order", "Needs attention first"),
        "weakest": pgettext("portfolio order", "Weakest first"),
    }
    return [Order(key, label, filters.sort == key) for key, label in labels.items()]


def report_label(status: str | None) -> str:
    return str(Report.Status(status).label) if status in Report.Status.values else ""


@dataclass(frozen=True, slots=True)
class Row:
    dealership: Dealership
    brands: list[str]
    rung: int | None
    rung_title: str
    score: float | None
    change: str | None  # "up" / "down" / "same" / None (no previous submission)
    change_points: float | None
    submitted_at: object
    reviewed: bool
    has_draft: bool
    report_status: str | None
    report_label: str
    area_scores: Mapping[str, float]
    # Ready-made texts for the page (formatting 50 rows in the template cost more than
    # the rest of the page's Python); empty for the CSV, which formats its own.
    url: str = ""
    score_text: str = ""
    change_text: str = ""
    submitted_text: str = ""


def _signed(points: int | None) -> str:
    if points is None:
        return ""
    return f"{points:+d}".replace("-", "−")


def row(d: Dealership, *, titles: Mapping[int, str], for_page: bool = False) -> Row:
    """One table row from an annotated ``portfolio_dealerships`` dealership.

    ``for_page`` asks for the page texts as well.
    """
    change, points = row_change(d)
    texts = {}
    if for_page:
        texts = {
            "url": reverse("dealership_detail", args=[d.pk]),
            "score_text": str(whole(d.latest_score)) if d.latest_score is not None else "",
            "change_text": _signed(
                whole_change(d.previous_score, d.latest_score) if points is not None else None
            ),
            "submitted_text": _date(d.latest_submitted_at),
        }
    return Row(
        dealership=d,
        brands=[b.name for b in d.brands.all()],
        rung=d.latest_rung,
        rung_title=titles.get(d.latest_rung, "") if d.latest_rung else "",
        score=d.latest_score,
        change=change,
        change_points=points,
        submitted_at=d.latest_submitted_at,
        reviewed=d.latest_reviewed_at is not None,
        has_draft=d.has_draft,
        report_status=d.report_status,
        report_label=report_label(d.report_status),
        area_scores=d.latest_area_scores or {},
        **texts,
    )


def rows(
    dealerships: Iterable[Dealership], *, language: str, for_page: bool = False
) -> Iterator[Row]:
    """Lazily, so that the CSV export streams; ``for_page`` adds the page's texts."""
    titles = rung_titles(language)
    return (row(d, titles=titles, for_page=for_page) for d in dealerships)


# --- above the table ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bar:
    value: str  # the ``rung`` filter value
    label: str
    count: int
    percent: int  # of the largest bar, for the bar's length
    share: int  # of all dealerships, for people
    active: bool


def distribution(
    counts: Mapping[int | None, int], *, filters: PortfolioFilters, language: str
) -> list[Bar]:
    titles = rung_titles(language)
    total = sum(counts.values())
    widest = max(counts.values(), default=0) or 1
    bars = []
    for rung in (5, 4, 3, 2, 1, None):
        count = counts.get(rung, 0)
        value = str(rung) if rung else "none"
        label = f"{rung} · {titles.get(rung, '')}" if rung else _("Not assessed yet")
        bars.append(
            Bar(
                value=value,
                label=label,
                count=count,
                percent=round(100 * count / widest),
                share=round(100 * count / total) if total else 0,
                active=filters.rung == value,
            )
        )
    return bars


def heatmap(table: Sequence[Row], *, benchmark: Benchmark | None, language: str) -> tuple[str, int]:
    """``(svg, rows shown)``: the page's assessed dealerships x areas, and the peer median.

    Dealerships never assessed are left out (a row of grey cells says nothing); the
    reference row only appears when the benchmark's privacy rule allows it.
    """
    area_list = areas(language)
    assessed = [row for row in table if row.area_scores]
    if not assessed:
        return "", 0
    labels = [row.dealership.name for row in assessed]
    values = [
        [chart_value(row.area_scores.get(key)) for key, _title in area_list] for row in assessed
    ]
    if benchmark is not None:
        labels.append(
            _("Median: %(group)s") % {"group": benchmark.label}
            if benchmark.label
            else _("Overall median")
        )
        values.append([chart_value(m) for m in benchmark.medians(k for k, _t in area_list)])
    columns = [title for _key, title in area_list]
    title = _("Area scores of the dealerships on this page")
    # The chart is a pure function of its input and costs ~25 ms for 50 rows: keep it for
    # the next visit of the same page (any change of a score or a name changes the key).
    key = (
        "portfolio:heatmap:"
        + hashlib.sha256(repr((labels, columns, values, title, language)).encode()).hexdigest()
    )
    svg = cache.get(key)
    if svg is None:
        svg = heatmap_svg(labels, columns, values, title=title, lang=language)
        cache.set(key, svg, 3600)
    return svg, len(assessed)


@dataclass(frozen=True, slots=True)
class AlertItem:
    alert: Alert
    text: str


def _alert_text(alert: Alert, *, language: str) -> str:
    detail = alert.detail
    if alert.kind == "dropped" and "rung_before" in detail:
        return _("Fell from rung %(before)s to rung %(after)s") % {
            "before": detail["rung_before"],
            "after": detail["rung_after"],
        }
    if alert.kind == "dropped":
        titles = dict(areas(language))
        text = _("%(area)s fell from %(before)s to %(after)s") % {
            "area": titles.get(str(detail["area"]), detail["area"]),
            "before": detail["before"],
            "after": detail["after"],
        }
        if int(detail["areas"]) > 1:
            text += " " + _("(and %(n)s more areas)") % {"n": int(detail["areas"]) - 1}
        return text
    if alert.kind == "overdue":
        return _("Last submission on %(date)s") % {"date": _date(alert.since)}
    if alert.kind == "measured":
        return measured_alert_text(alert.detail, alert.since, language=language)
    return _("Nothing moved on the roadmap since %(date)s") % {"date": _date(alert.since)}


def _date(moment) -> str:
    return format_date(localtime(moment), "SHORT_DATE_FORMAT") if moment else ""


@dataclass(frozen=True, slots=True)
class AlertGroup:
    kind: str
    title: str
    help: str
    items: list[AlertItem]
    count: int
    more: int
    active: bool


def alert_groups(
    alerts: PortfolioAlerts, *, filters: PortfolioFilters, language: str
) -> list[AlertGroup]:
    meta = {
        "dropped": (
            _("Score dropped"),
            _("A rung, or an area by 5 points or more, against the previous assessment."),
        ),
        "overdue": (
            _("Re-assessment overdue"),
            _("Last submission more than %(n)s months ago.") % {"n": alerts.cadence_months},
        ),
        "stalled": (
            _("Roadmap stalled"),
            _("No roadmap action moved for 60 days."),
        ),
        "measured": (
            _("Measured signals"),
            _("What the latest checks found: a website that cannot be read, stock pages gone."),
        ),
    }
    groups = []
    for kind in ("dropped", "overdue", "stalled", "measured"):
        found: list[Alert] = getattr(alerts, kind)
        title, help_text = meta[kind]
        groups.append(
            AlertGroup(
                kind=kind,
                title=title,
                help=help_text,
                items=[
                    AlertItem(a, _alert_text(a, language=language)) for a in found[:ALERTS_SHOWN]
                ],
                count=len(found),
                more=max(len(found) - ALERTS_SHOWN, 0),
                active=filters.alert == kind,
            )
        )
    return groups


def change_word(change: str | None) -> str:
    return {
        "up": pgettext("change", "up"),
        "down": pgettext("change", "down"),
        "same": pgettext("change", "same"),
    }.get(change or "", "")


def export_querystring(query: QueryDict) -> str:
    """The current filters and sort for the CSV link (the page number is irrelevant)."""
    copy = query.copy()
    copy.pop("page", None)
    encoded = copy.urlencode()
    return f"?{encoded}" if encoded else ""


@dataclass(frozen=True, slots=True)
class Select:
    name: str
    label: str
    options: list[tuple[str, str, bool]]  # (value, label, selected)


def filter_selects(form, filters: PortfolioFilters) -> list[Select]:
    """The filter form's selects, with the applied value selected.

    Rendered by a plain loop in the page: Django's widget templates cost several
    milliseconds per select, for six selects on every visit.
    """
    current = {
        "rung": filters.rung,
        "region": filters.region,
        "brand": str(filters.brand or ""),
        "group": str(filters.group or ""),
        "status": filters.status,
        "alert": filters.alert,
    }
    return [
        Select(
            name=name,
            label=str(form.fields[name].label),
            options=[
                (str(value), str(text), str(value) == current[name])
                for value, text in form.fields[name].choices
            ],
        )
        for name in current
    ]


# --- the to-do list -------------------------------------------------------------------------

TODO_SHOWN = 5  # per group; the rest is one click away (a table filter, the campaigns page)


@dataclass(frozen=True, slots=True)
class TodoLine:
    item: object  # attention.TodoItem
    text: str
    url: str


@dataclass(frozen=True, slots=True)
class TodoGroup:
    kind: str
    title: str
    help: str
    lines: list[TodoLine]
    count: int
    more_url: str  # the table filtered to them ("" when none)


def _todo_text(item, language: str) -> str:
    if item.kind == "review":
        return _("submitted on %(date)s") % {"date": _date(item.since)}
    if item.kind == "actions":
        return ngettext(
            "%(n)s action overdue since %(date)s",
            "%(n)s actions overdue, the first since %(date)s",
            item.count,
        ) % {"n": item.count, "date": format_date(item.since, "SHORT_DATE_FORMAT")}
    if item.kind == "stalled":
        text = _("untouched since %(date)s") % {"date": _date(item.since)}
        if item.reminded_at:
            text += " · " + _("reminded on %(date)s") % {"date": _date(item.reminded_at)}
        return text
    if item.kind == "campaigns":
        values = {"n": item.count, "date": format_date(item.since, "SHORT_DATE_FORMAT")}
        return (
            ngettext(
                "due on %(date)s, %(n)s dealership still to submit",
                "due on %(date)s, %(n)s dealerships still to submit",
                item.count,
            )
            % values
        )
    if item.kind == "never":
        return _("nobody on the product yet") if not item.has_contact else _("no assessment yet")
    return ""


def _todo_url(item) -> str:
    if item.kind == "review":
        return reverse("assessment_feedback", args=[item.dealership_id, item.object_id])
    if item.kind == "actions":
        return reverse("roadmap_followup", args=[item.dealership_id])
    if item.kind == "campaigns":
        return reverse("campaign_detail", args=[item.object_id])
    return reverse("dealership_detail", args=[item.dealership_id])


def todo_groups(attention, *, language: str) -> list[TodoGroup]:
    """The to-do list's groups, most urgent first (empty groups left out)."""
    todo = attention.todo
    portfolio = reverse("portfolio")
    meta = [
        (
            "review",
            todo.review,
            _("To review"),
            _("Submitted, and your review is not published yet: the oldest first."),
            f"{portfolio}?status=submitted",
        ),
        (
            "actions",
            todo.actions,
            _("Overdue actions"),
            _("Roadmap actions past their due date and not done."),
            f"{portfolio}?alert=actions",
        ),
        (
            "stalled",
            todo.stalled,
            _("Stalled drafts"),
            _("Drafts nobody touched for %(n)s days: remind their contacts.")
            % {"n": settings.DRAFT_STALLED_DAYS},
            f"{portfolio}?status=draft",
        ),
        (
            "campaigns",
            todo.campaigns,
            _("Campaigns due"),
            _("Your campaigns due within %(n)s days, or overdue, with dealerships still to submit.")
            % {"n": settings.CAMPAIGN_DUE_SOON_DAYS},
            reverse("campaigns"),
        ),
        (
            "never",
            todo.never,
            _("Never assessed"),
            _("No assessment and no draft: invite a contact, or ask them all in a campaign."),
            f"{portfolio}?status=none",
        ),
    ]
    groups = []
    for kind, items, title, help_text, more in meta:
        if not items:
            continue
        groups.append(
            TodoGroup(
                kind=kind,
                title=title,
                help=help_text,
                lines=[
                    TodoLine(item, _todo_text(item, language), _todo_url(item))
                    for item in items[:TODO_SHOWN]
                ],
                count=len(items),
                more_url=more,
            )
        )
    return groups
