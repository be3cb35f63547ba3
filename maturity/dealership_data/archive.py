"""Everything a dealership owns, as one zip archive its owner downloads (portability).

The archive holds:

- ``README.txt``: what each file is and what its fields mean, in the requester's language;
- ``dealership.json``: the dealership and its profile, its people and consultants, the
  invitations, the target, the roadmap (each action's status, owner, due date, notes and
  the history of their changes), delegated steps, campaigns and their e-mails, draft
  reminders, notifications addressed to its people, its people's API tokens (never their
  secret nor its hash), the PDF reports and an index of the assessments;
- ``assessments/assessment-<id>.json``: one assessment each, in the layout of the single
  assessment download (``maturity.results.export``) plus who last changed each answer and
  when, the consultant's published comments with their authors and the evidence links
  with their verifications;
- ``reports/report-<id>-<language>.pdf``: the stored PDF reports, byte for byte.

What the dealer reads is what the archive holds: the consultant's review only once it is
published, never the draft the consultant is still writing (the results page and the PDF
follow the same rule, ``maturity.review.selectors``). Nothing of another dealership goes
in: every read is filtered by this dealership, notifications by this dealership *and* its
people. Times are ISO 8601 in UTC; dates are ``YYYY-MM-DD``.

Memory stays bounded: the archive is written into a file (``target``), each assessment
is serialised on its own, and the PDFs are copied from storage in blocks.
"""

from __future__ import annotations

import json
import logging
import shutil
import zipfile
from datetime import UTC, date, datetime
from typing import Any, BinaryIO

from django.utils import timezone, translation
from django.utils.text import slugify

from common.i18n import normalise_language
from dealers.models import Dealership, Invitation, Membership, PersonalAccessToken, User
from maturity.dealership_data.readme import readme_text
from maturity.measurements.leads.selectors import visible_lead_tests
from maturity.models import (
    Answer,
    AreaComment,
    AreaDelegation,
    Assessment,
    AssessmentReview,
    CampaignDealership,
    CampaignMessage,
    CustomerReview,
    DealershipTarget,
    EvidenceCheck,
    Measurement,
    MeasurementConfirmation,
    Notification,
    ReminderLog,
    Report,
    ReviewImport,
    RoadmapActionChange,
    RoadmapActionStatus,
)
from maturity.notifications.presenters import sentence
from maturity.results.export import assessment_document

FORMAT = "dealer-maturity/dealership-v3"
DEALERSHIP_FILE = "dealership.json"
README_FILE = "README.txt"
COPY_BLOCK = 1024 * 1024

logger = logging.getLogger(__name__)


def utc(value: datetime | date | None) -> str | None:
    """ISO 8601: a time in UTC (``2026-03-14T09:30:00+00:00``), a date as ``YYYY-MM-DD``."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value.isoformat()


def person(user: User | None) -> dict[str, str] | None:
    return {"name": user.full_name, "email": user.email} if user else None


def assessment_path(assessment_id: int) -> str:
    return f"assessments/assessment-{assessment_id}.json"


def report_path(report: Report) -> str:
    return f"reports/report-{report.pk}-{report.language}.pdf"


# --- dealership.json ---------------------------------------------------------------------


def _invitation_state(invitation: Invitation, now: datetime) -> str:
    if invitation.accepted_at is not None:
        return "accepted"
    return "expired" if invitation.expires_at <= now else "pending"


def _dealership_part(dealership: Dealership) -> dict[str, Any]:
    return {
        "id": dealership.pk,
        "name": dealership.name,
        "city": dealership.city,
        "region": dealership.region,
        "region_name": dealership.get_region_display(),
        "brands": sorted(b.name for b in dealership.brands.all()),
        "group": dealership.group.name if dealership.group else None,
        "profile": dealership.profile,
        "size_band": dealership.size_band,
        "website_url": dealership.website_url,
        "social_urls": dealership.social_urls,
        "language": dealership.language,
        "created_at": utc(dealership.created_at),
    }


def _people(dealership: Dealership) -> list[dict[str, Any]]:
    return [
        {
            "name": m.user.full_name,
            "email": m.user.email,
            "role": m.role,
            "language": m.user.language,
            "member_since": utc(m.created_at),
        }
        for m in Membership.objects.filter(dealership=dealership)
        .select_related("user")
        .order_by("user__email")
    ]


def _invitations(dealership: Dealership) -> list[dict[str, Any]]:
    now = timezone.now()
    return [
        {
            "email": i.email,
            "name": i.full_name,
            "role": i.role,
            "invited_by": person(i.invited_by),
            "created_at": utc(i.created_at),
            "expires_at": utc(i.expires_at),
            "accepted_at": utc(i.accepted_at),
            "state": _invitation_state(i, now),
        }
        for i in Invitation.objects.filter(dealership=dealership)
        .select_related("invited_by")
        .order_by("created_at", "pk")
    ]


def _target(dealership: Dealership) -> dict[str, Any] | None:
    target = DealershipTarget.objects.filter(dealership=dealership).select_related("set_by").first()
    if target is None:
        return None
    return {
        "rung": target.rung,
        "due_date": utc(target.due_date),
        "set_by": person(target.set_by),
        "set_at": utc(target.set_at),
    }


def _roadmap_statuses(dealership: Dealership) -> list[dict[str, Any]]:
    return [
        {
            "action": s.action_key,
            "status": s.status,
            "owner": person(s.owner),
            "due_date": utc(s.due_date),
            "notes": s.notes,
            "done_at": utc(s.done_at),
            "updated_by": person(s.updated_by),
            "updated_at": utc(s.updated_at),
        }
        for s in RoadmapActionStatus.objects.filter(dealership=dealership)
        .select_related("owner", "updated_by")
        .order_by("action_key")
    ]


def _roadmap_history(dealership: Dealership) -> list[dict[str, Any]]:
    return [
        {
            "action": c.action_key,
            "field": c.field,
            "before": c.before,
            "after": c.after,
            "by": person(c.changed_by),
            "at": utc(c.changed_at),
        }
        for c in RoadmapActionChange.objects.filter(dealership=dealership)
        .select_related("changed_by")
        .order_by("changed_at", "pk")
    ]


def _delegations(dealership: Dealership) -> list[dict[str, Any]]:
    return [
        {
            "assessment": d.assessment_id,
            "area": d.area_key,
            "delegate": person(d.delegate),
            "asked_by": person(d.requested_by),
            "message": d.message,
            "created_at": utc(d.created_at),
        }
        for d in AreaDelegation.objects.filter(assessment__dealership=dealership)
        .select_related("delegate", "requested_by")
        .order_by("created_at", "pk")
    ]


def _campaigns(dealership: Dealership) -> list[dict[str, Any]]:
    """The campaigns the dealership was asked in, and the e-mails they sent about it."""
    entries = list(
        CampaignDealership.objects.filter(dealership=dealership)
        .select_related("campaign__created_by", "campaign__closed_by")
        .order_by("added_at", "pk")
    )
    messages = CampaignMessage.objects.filter(
        campaign__in=[e.campaign_id for e in entries]
    ).order_by("sent_at", "pk")
    sent: dict[int, list[dict[str, Any]]] = {}
    for message in messages:
        # Only the e-mails about this dealership (one may list several of a group).
        if dealership.pk in (message.dealership_ids or ()):
            sent.setdefault(message.campaign_id, []).append(
                {"to": message.email, "kind": message.kind, "sent_at": utc(message.sent_at)}
            )
    return [
        {
            "title": e.campaign.title,
            "message": e.campaign.message,
            "launched_by": person(e.campaign.created_by),
            "launched_at": utc(e.campaign.created_at),
            "due_date": utc(e.campaign.due_date),
            "closed_at": utc(e.campaign.closed_at),
            "closed_by": person(e.campaign.closed_by),
            "added_at": utc(e.added_at),
            "assessment": e.assessment_id,
            "invited": e.invite_email or None,
            "invited_name": e.invite_name or None,
            "emails": sent.get(e.campaign_id, []),
        }
        for e in entries
    ]


def _reminders(dealership: Dealership) -> list[dict[str, Any]]:
    return [
        {
            "assessment": r.assessment_id,
            "to": r.email,
            "name": r.user.full_name,
            "sent_at": utc(r.sent_at),
        }
        for r in ReminderLog.objects.filter(assessment__dealership=dealership)
        .select_related("user")
        .order_by("sent_at", "pk")
    ]


def _notifications(dealership: Dealership, language: str) -> list[dict[str, Any]]:
    """What its people were told about this dealership (not about any other one)."""
    rows = (
        Notification.objects.filter(
            dealership=dealership, user__in=dealership.memberships.values("user_id")
        )
        .select_related("user", "actor", "dealership")
        .order_by("created_at", "pk")
    )
    return [
        {
            "to": n.user.email,
            "kind": n.kind,
            "text": sentence(n, language),
            "actor": person(n.actor),
            "delivery": n.delivery,
            "created_at": utc(n.created_at),
            "read_at": utc(n.read_at),
            "emailed_at": utc(n.emailed_at),
        }
        for n in rows
    ]


def _api_tokens(dealership: Dealership) -> list[dict[str, Any]]:
    """Its people's API tokens: what they are called and when used; never the secret's
    hash (the secret itself is not stored)."""
    tokens = (
        PersonalAccessToken.objects.filter(user__memberships__dealership=dealership)
        .select_related("user", "revoked_by")
        .only(
            "name",
            "prefix",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "user__full_name",
            "user__email",
            "revoked_by__full_name",
            "revoked_by__email",
        )
        .order_by("created_at", "pk")
    )
    return [
        {
            "person": person(t.user),
            "name": t.name,
            "starts_with": t.prefix,
            "created_at": utc(t.created_at),
            "expires_at": utc(t.expires_at),
            "last_used_at": utc(t.last_used_at),
            "revoked_at": utc(t.revoked_at),
            "revoked_by": person(t.revoked_by),
        }
        for t in tokens
    ]


def _measurements(dealership: Dealership) -> list[dict[str, Any]]:
    return [
        {
            "kind": m.kind,
            "url": m.url,
            "status": m.status,
            "reason": m.reason,
            "started_at": utc(m.started_at),
            "finished_at": utc(m.finished_at),
            "checks": {c.key: {"ok": c.ok, "evidence": c.evidence} for c in m.checks.all()},
        }
        for m in Measurement.objects.filter(dealership=dealership)
        .prefetch_related("checks")
        .order_by("created_at", "pk")
    ]


def _confirmed_declarations(dealership: Dealership) -> list[dict[str, Any]]:
    return [
        {
            "key": c.key,
            "comment": c.comment,
            "author": person(c.author),
            "created_at": utc(c.created_at),
        }
        for c in MeasurementConfirmation.objects.filter(dealership=dealership)
        .select_related("author")
        .order_by("created_at", "pk")
    ]


def _lead_tests(dealership: Dealership) -> list[dict[str, Any]]:
    """The lead-response tests as the dealership's people see them (closed ones)."""
    return [
        {
            "channel": t.channel,
            "question": t.question,
            "sent_at": utc(t.sent_at),
            "replied_at": utc(t.replied_at),
            "grid_items": t.grid_items,
            "notes": t.notes,
            "recorded_by": person(t.recorded_by),
        }
        for t in visible_lead_tests(dealership=dealership, dealer_view=True)
        .select_related("recorded_by")
        .order_by("sent_at", "pk")
    ]


def _review_imports(dealership: Dealership) -> list[dict[str, Any]]:
    return [
        {
            "filename": i.filename,
            "format": i.file_format,
            "rows": i.rows,
            "added": i.added,
            "imported_by": person(i.imported_by),
            "imported_at": utc(i.imported_at),
        }
        for i in ReviewImport.objects.filter(dealership=dealership)
        .select_related("imported_by")
        .order_by("imported_at", "pk")
    ]


def _customer_reviews(dealership: Dealership) -> list[dict[str, Any]]:
    return [
        {
            "date": utc(created_at),
            "rating": rating,
            "text": text,
            "answered_at": utc(replied_at),
        }
        for created_at, rating, text, replied_at in CustomerReview.objects.filter(
            dealership=dealership
        )
        .order_by("created_at", "pk")
        .values_list("created_at", "rating", "text", "replied_at")
    ]


def _reports(dealership: Dealership) -> list[tuple[Report, dict[str, Any]]]:
    """Every PDF report of its assessments, with where its file sits in the archive
    (``None``: not rendered, or the file is no longer stored)."""
    reports = (
        Report.objects.filter(assessment__dealership=dealership)
        .select_related("requested_by")
        .order_by("created_at", "pk")
    )
    storage = Report._meta.get_field("file").storage
    rows = []
    for report in reports:
        stored = (
            report.status == Report.Status.READY
            and bool(report.file)
            and storage.exists(report.file.name)
        )
        rows.append(
            (
                report,
                {
                    "id": report.pk,
                    "assessment": report.assessment_id,
                    "language": report.language,
                    "status": report.status,
                    "requested_by": person(report.requested_by),
                    "created_at": utc(report.created_at),
                    "finished_at": utc(report.finished_at),
                    "file": report_path(report) if stored else None,
                },
            )
        )
    return rows


# --- assessments/assessment-<id>.json ----------------------------------------------------


def _published_review(assessment: Assessment) -> AssessmentReview | None:
    review = (
        AssessmentReview.objects.filter(assessment=assessment).select_related("reviewed_by").first()
    )
    return review if review is not None and review.reviewed_at is not None else None


def assessment_part(assessment: Assessment, *, language: str) -> dict[str, Any]:
    """The single-assessment document plus its history: who created and submitted it,
    who last changed each answer and when, the published comments with their authors and
    the evidence links with who verified them."""
    document = assessment_document(assessment, language=language)
    document["assessment"]["created_by"] = person(assessment.created_by)
    document["assessment"]["submitted_by_email"] = (
        assessment.submitted_by.email if assessment.submitted_by else None
    )
    for key in ("created_at", "submitted_at"):
        document["assessment"][key] = utc(getattr(assessment, key))

    rows = Answer.objects.filter(assessment=assessment).rows_by_key()
    for answer in document["answers"]:
        row = rows.get(answer["question"])
        answer["revision"] = row.revision if row else None
        answer["changed_by"] = person(row.updated_by) if row else None
        answer["changed_at"] = utc(row.updated_at) if row else None
    shown = {a["question"] for a in document["answers"]}
    document["cleared_answers"] = [
        {
            "question": key,
            "revision": row.revision,
            "changed_by": person(row.updated_by),
            "changed_at": utc(row.updated_at),
        }
        for key, row in sorted(rows.items())
        if key not in shown
    ]

    review = _published_review(assessment)
    titles = {area.key: area.title.get(language) for area in assessment.definition.areas}
    comments = (
        AreaComment.objects.filter(assessment=assessment).select_related("author").order_by("pk")
        if review is not None
        else AreaComment.objects.none()
    )
    document["review"].update(
        {
            "published": review is not None,
            "published_at": utc(review.reviewed_at) if review else None,
            "published_by": person(review.reviewed_by) if review else None,
            "comments": [
                {
                    "area": c.area_key,
                    "area_title": titles.get(c.area_key, c.area_key),
                    "body": c.body,
                    "author": person(c.author),
                    "updated_at": utc(c.updated_at),
                }
                for c in comments
                if c.body.strip()
            ],
        }
    )

    answered = {a["question"]: a["value"] for a in document["answers"]}
    document["evidence"] = [
        {
            "question": c.question_key,
            "url": c.url,
            "still_answered": answered.get(c.question_key) == c.url,
            "verified_by": person(c.verified_by),
            "verified_at": utc(c.verified_at),
        }
        for c in EvidenceCheck.objects.filter(assessment=assessment)
        .select_related("verified_by")
        .order_by("question_key")
    ]
    return document


# --- the archive -------------------------------------------------------------------------


def _json_bytes(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def dealership_archive_write(
    *, dealership: Dealership, requested_by: User, language: str, target: BinaryIO
) -> None:
    """Write the archive of ``dealership`` into ``target`` (a binary file): its README in
    ``language``, its JSON files and its stored PDF reports."""
    language = normalise_language(language)
    with (
        translation.override(language),
        zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        exported_at = utc(timezone.now())
        archive.writestr(
            README_FILE,
            readme_text(dealership=dealership, exported_at=exported_at, by=requested_by).encode(),
        )
        assessments = list(
            Assessment.objects.filter(dealership=dealership)
            .select_related("version", "dealership__group", "submitted_by", "created_by")
            .order_by("created_at", "pk")
        )
        for assessment in assessments:
            archive.writestr(
                assessment_path(assessment.pk),
                _json_bytes(assessment_part(assessment, language=language)),
            )
        reports = _reports(dealership)
        for report, row in reports:
            _copy_pdf(report, row, archive)
        document = {
            "format": FORMAT,
            "exported_at": exported_at,
            "exported_by": person(requested_by),
            "language": language,
            "dealership": _dealership_part(dealership),
            "people": _people(dealership),
            "consultants": [
                {
                    "name": a.consultant.full_name,
                    "email": a.consultant.email,
                    "since": utc(a.created_at),
                }
                for a in dealership.assignments.select_related("consultant").order_by("pk")
            ],
            "invitations": _invitations(dealership),
            "target": _target(dealership),
            "roadmap_statuses": _roadmap_statuses(dealership),
            "roadmap_history": _roadmap_history(dealership),
            "delegations": _delegations(dealership),
            "campaigns": _campaigns(dealership),
            "reminders": _reminders(dealership),
            "notifications": _notifications(dealership, language),
            "api_tokens": _api_tokens(dealership),
            "measurements": _measurements(dealership),
            "confirmed_declarations": _confirmed_declarations(dealership),
            "lead_tests": _lead_tests(dealership),
            "review_imports": _review_imports(dealership),
            "customer_reviews": _customer_reviews(dealership),
            "reports": [row for _report, row in reports],
            "assessments": [
                {
                    "id": a.pk,
                    "status": a.status,
                    "created_at": utc(a.created_at),
                    "submitted_at": utc(a.submitted_at),
                    "file": assessment_path(a.pk),
                }
                for a in assessments
            ],
        }
        archive.writestr(DEALERSHIP_FILE, _json_bytes(document))


def _copy_pdf(report: Report, row: dict[str, Any], archive: zipfile.ZipFile) -> None:
    """Copy the report's PDF into the archive in blocks, stored as is (a PDF is compressed
    already); a file gone meanwhile leaves ``row["file"]`` empty."""
    if row["file"] is None:
        return
    storage = Report._meta.get_field("file").storage
    try:
        source = storage.open(report.file.name, "rb")
    except FileNotFoundError:
        logger.warning("Report %s: its PDF %s is gone, not archived", report.pk, report.file.name)
        row["file"] = None
        return
    info = zipfile.ZipInfo(row["file"], date_time=_zip_time(report.finished_at))
    info.compress_type = zipfile.ZIP_STORED
    with source, archive.open(info, "w") as out:
        shutil.copyfileobj(source, out, COPY_BLOCK)


def _zip_time(moment: datetime | None) -> tuple[int, int, int, int, int, int]:
    moment = (moment or timezone.now()).astimezone(UTC)
    return (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute, 0)


def archive_filename(dealership: Dealership, *, language: str) -> str:
    """``donnees-<slug>-<date>.zip`` (``dealership-data-…`` in English)."""
    prefix = "dealership-data" if normalise_language(language) == "en" else "donnees"
    name = slugify(dealership.name)[:60] or "dealership"
    return f"{prefix}-{name}-{timezone.localdate():%Y-%m-%d}.zip"
