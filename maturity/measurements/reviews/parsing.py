"""Reading a reviews export: a CSV file or Google Business Profile's reviews JSON.

- **CSV**: a header row then one review a line, columns date, rating, text and reply date
  (French or English names, any order, ``;`` or ``,`` or tab between cells, UTF-8 with or
  without BOM). Dates as ``2026-03-01``, ``2026-03-01T09:30:00Z``, ``01/03/2026`` or
  ``01/03/2026 09:30``; ratings 1 to 5 (``4``, ``4,0``, ``4/5``).
- **Google**: the ``reviews.json`` of Google's data export (Takeout) of a Business
  Profile: ``{"reviews": [{"name", "starRating": "FIVE", "comment", "createTime",
  "reviewReply": {"comment", "updateTime"}}]}`` (a bare list of reviews too).

Either the whole file reads, or the result carries every bad row's line (or position in
the JSON list) and reason, and nothing is to be stored. Errors are codes with their
values; the Django side words them (``reviews.presenters``). Plain Python, no Django.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, Literal
from zoneinfo import ZoneInfo

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_TEXT = 5000
PARIS = ZoneInfo("Europe/Paris")

Format = Literal["csv", "google"]

# Normalised header (lower case, no accent, letters and digits only) -> column.
_HEADERS = {
    "date": {
        "date",
        "datedelavis",
        "dateavis",
        "datedepublication",
        "publiele",
        "reviewdate",
        "createdat",
        "createtime",
        "created",
        "dateofreview",
    },
    "rating": {"rating", "note", "notes", "etoiles", "stars", "starrating", "score", "evaluation"},
    "text": {"text", "texte", "comment", "commentaire", "avis", "review", "reviewtext", "message"},
    "reply_date": {
        "replydate",
        "datedereponse",
        "datedelareponse",
        "datereponse",
        "reponsele",
        "repondule",
        "responsedate",
        "repliedat",
        "answeredat",
        "answerdate",
    },
    "id": {"id", "reviewid", "identifiant", "idavis"},
}
_REQUIRED = ("date", "rating")
_STARS = {"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5}
_RATING = re.compile(r"^\s*([1-5])(?:[.,]0+)?\s*(?:/\s*5)?\s*$")
_FR_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$")


class ReviewFileError(ValueError):
    """The file as a whole cannot be read: ``code`` and its ``params``."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True, slots=True)
class RowError:
    line: int  # the CSV line, or the position in the JSON list (from 1)
    code: str
    value: str = ""


@dataclass(frozen=True, slots=True)
class ParsedReview:
    key: str
    created_at: datetime
    rating: int
    text: str
    replied_at: datetime | None


@dataclass(slots=True)
class ParsedFile:
    file_format: Format
    reviews: list[ParsedReview] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.reviews)


def _normalise(header: str) -> str:
    text = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", text)


def _decode(data: bytes) -> str:
    if not data.strip():
        raise ReviewFileError("empty")
    if len(data) > MAX_BYTES:
        raise ReviewFileError("too_large", limit=MAX_BYTES)
    if b"\x00" in data:
        raise ReviewFileError("binary")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReviewFileError("encoding") from None
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n" for ch in text):
        raise ReviewFileError("binary")
    return text


def parse_date(value: str, *, zone: tzinfo = PARIS) -> datetime | None:
    """An aware datetime from the accepted forms (a date alone: midnight in ``zone``)."""
    value = value.strip()
    if not value:
        return None
    if match := _FR_DATE.match(value):
        day, month, year, hour, minute, second = match.groups()
        try:
            return datetime(
                int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                int(second or 0), tzinfo=zone,
            )  # fmt: skip
        except ValueError:
            return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if len(value) <= 10 and re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        return datetime.combine(date.fromisoformat(value), time(), tzinfo=zone)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def _key(created_at: datetime, rating: int, text: str) -> str:
    material = f"{created_at.astimezone(UTC).isoformat()}|{rating}|{' '.join(text.split())}"
    return hashlib.sha256(material.encode()).hexdigest()


def _platform_key(identifier: str) -> str:
    return hashlib.sha256(f"id|{identifier.strip()}".encode()).hexdigest()


def _check(
    result: ParsedFile,
    line: int,
    *,
    created: datetime | None,
    created_raw: str,
    rating: int | None,
    rating_raw: str,
    replied: datetime | None,
    replied_raw: str,
    text: str,
    identifier: str,
    now: datetime,
) -> None:
    """Append the review, or the row's errors."""
    errors = []
    if created is None:
        errors.append(
            RowError(line, "date_missing" if not created_raw.strip() else "date", created_raw)
        )
    elif created > now + timedelta(days=1):
        errors.append(RowError(line, "date_future", created_raw))
    if rating is None:
        errors.append(
            RowError(line, "rating_missing" if not rating_raw.strip() else "rating", rating_raw)
        )
    if replied_raw.strip() and replied is None:
        errors.append(RowError(line, "reply_date", replied_raw))
    elif replied is not None and created is not None and replied < created:
        errors.append(RowError(line, "reply_before", replied_raw))
    elif replied is not None and replied > now + timedelta(days=1):
        errors.append(RowError(line, "date_future", replied_raw))
    if len(text) > MAX_TEXT:
        errors.append(RowError(line, "text_long", str(MAX_TEXT)))
    if errors:
        result.errors.extend(errors)
        return
    assert created is not None and rating is not None
    key = _platform_key(identifier) if identifier.strip() else _key(created, rating, text)
    result.reviews.append(ParsedReview(key, created, rating, text, replied))


def _rating(value: str) -> int | None:
    match = _RATING.match(value)
    if match:
        return int(match.group(1))
    return _STARS.get(value.strip().upper())


def parse_csv(text: str, *, now: datetime, zone: tzinfo = PARIS) -> ParsedFile:
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    result = ParsedFile("csv")
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)
        if header is None:
            raise ReviewFileError("empty")
        columns: dict[str, int] = {}
        for index, name in enumerate(header):
            for column, names in _HEADERS.items():
                if _normalise(name) in names and column not in columns:
                    columns[column] = index
        missing = [column for column in _REQUIRED if column not in columns]
        if missing:
            raise ReviewFileError(
                "columns", missing=missing, found=[cell.strip() for cell in header][:12]
            )
        rows = 0
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            rows += 1
            if rows > MAX_ROWS:
                raise ReviewFileError("too_many_rows", limit=MAX_ROWS)

            def cell(column: str, cells: list[str] = cells) -> str:
                index = columns.get(column)
                return cells[index] if index is not None and index < len(cells) else ""

            created_raw, rating_raw, replied_raw = cell("date"), cell("rating"), cell("reply_date")
            _check(
                result,
                reader.line_num,
                created=parse_date(created_raw, zone=zone),
                created_raw=created_raw,
                rating=_rating(rating_raw),
                rating_raw=rating_raw,
                replied=parse_date(replied_raw, zone=zone),
                replied_raw=replied_raw,
                text=cell("text").strip(),
                identifier=cell("id"),
                now=now,
            )
    except csv.Error:
        raise ReviewFileError("csv", line=reader.line_num) from None
    return result


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def parse_google(data: Any, *, now: datetime) -> ParsedFile:
    reviews = data.get("reviews") if isinstance(data, dict) else data
    if not isinstance(reviews, list):
        raise ReviewFileError("google_shape")
    if len(reviews) > MAX_ROWS:
        raise ReviewFileError("too_many_rows", limit=MAX_ROWS)
    result = ParsedFile("google")
    for position, review in enumerate(reviews, start=1):
        if not isinstance(review, dict):
            result.errors.append(RowError(position, "google_item"))
            continue
        created_raw = _text(review.get("createTime"))
        stars = review.get("starRating")
        rating_raw = stars if isinstance(stars, str) else ("" if stars is None else str(stars))
        reply = review.get("reviewReply")
        replied_raw = _text(reply.get("updateTime")) if isinstance(reply, dict) else ""
        _check(
            result,
            position,
            created=parse_date(created_raw, zone=UTC),
            created_raw=created_raw,
            rating=_rating(rating_raw),
            rating_raw=rating_raw,
            replied=parse_date(replied_raw, zone=UTC),
            replied_raw=replied_raw,
            text=_text(review.get("comment")).strip(),
            identifier=_text(review.get("name")) or _text(review.get("reviewId")),
            now=now,
        )
    return result


def parse_reviews(data: bytes, *, filename: str, now: datetime) -> ParsedFile:
    """Read an uploaded file; ``ReviewFileError`` when it cannot be read at all.

    The format is the Google JSON when the name ends in ``.json`` or the content starts
    with ``{`` or ``[``; a CSV otherwise. Reviews appearing twice in one file are kept once.
    """
    text = _decode(data)
    stripped = text.lstrip()
    if filename.lower().endswith(".json") or stripped[:1] in ("{", "["):
        try:
            parsed = json.loads(stripped)
        except (ValueError, RecursionError):
            raise ReviewFileError("json") from None
        result = parse_google(parsed, now=now)
    else:
        result = parse_csv(text, now=now)
    if not result.reviews and not result.errors:
        raise ReviewFileError("no_rows")
    unique: dict[str, ParsedReview] = {}
    for review in result.reviews:
        unique.setdefault(review.key, review)
    result.reviews = list(unique.values())
    return result
