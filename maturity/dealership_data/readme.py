"""The ``README.txt`` inside a dealership's archive: what each file is, what its fields
mean, written in the requester's language (call it inside ``translation.override``).

Plain text, so that anyone opens it: the dealer principal who downloads the archive, the
provider they move to, a lawyer checking what was kept.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from dealers.models import Dealership, User

Section = tuple[str, str, list[tuple[str, str]]]


def _sections() -> list[Section]:
    """``(file, what it is, [(field, meaning)])`` for each file of the archive."""
    return [
        (
            "dealership.json",
            _("The dealership and everything around it, in one file."),
            [
                ("format", _("the layout of this file; a new version only adds fields")),
                ("exported_at, exported_by", _("when the archive was made, and by whom")),
                (
                    "dealership",
                    _(
                        "name, city, region, brands, dealer group, dealer profile (the kind "
                        "of dealer: it selects the questions), size, website, social pages, "
                        "preferred language"
                    ),
                ),
                (
                    "people",
                    _(
                        "the dealership's people: name, e-mail, role (owner: manages "
                        "everything; member: answers and follows up), member since"
                    ),
                ),
                ("consultants", _("the consultants who follow the dealership, and since when")),
                (
                    "invitations",
                    _(
                        "every invitation sent: e-mail and name of the person invited, role, "
                        "who invited them, created, expires, accepted; state is accepted, "
                        "pending or expired"
                    ),
                ),
                ("target", _("the rung the dealership aims for, by when, set by whom")),
                (
                    "roadmap_statuses",
                    _(
                        "each roadmap action: status (todo, planned, in_progress, done), "
                        "owner, due date, notes, when it was done, last changed by whom"
                    ),
                ),
                (
                    "roadmap_history",
                    _(
                        "every change of an action's status, owner, due date or notes: "
                        "before, after, by whom, when"
                    ),
                ),
                ("delegations", _("steps of a draft a colleague was asked to answer")),
                (
                    "campaigns",
                    _(
                        "campaigns a consultant asked the dealership to take part in, with "
                        "the e-mails sent about it (launch, invitation, reminder)"
                    ),
                ),
                (
                    "reminders",
                    _("reminder e-mails about an untouched draft: assessment, to whom, when"),
                ),
                (
                    "notifications",
                    _(
                        "what the dealership's people were told about it: to whom, what, "
                        "when, read and e-mailed when"
                    ),
                ),
                (
                    "api_tokens",
                    _(
                        "the API tokens of the dealership's people: name, first characters, "
                        "created, expires, last used, revoked (the secret is never stored, "
                        "and is not in the archive)"
                    ),
                ),
                (
                    "measurements",
                    _(
                        "the checks of the dealership's website: address, when, result and "
                        "what was found for each check"
                    ),
                ),
                (
                    "confirmed_declarations",
                    _(
                        "answers a consultant confirmed although a measurement disagreed: "
                        "which, comment, by whom, when"
                    ),
                ),
                (
                    "lead_tests",
                    _(
                        "the test enquiries a consultant sent the dealership, once closed: "
                        "channel, question, sent, first reply, quality grid met, notes, by whom"
                    ),
                ),
                (
                    "review_imports",
                    _("the customer-review files imported: file, format, rows, new, by whom, when"),
                ),
                (
                    "customer_reviews",
                    _("the imported customer reviews: date, rating, text, answered"),
                ),
                (
                    "reports",
                    _(
                        "every PDF report asked for: assessment, language, status (queued, "
                        "running, ready, failed), asked by, created; file is its PDF in "
                        "reports/ (empty when it was not rendered or is no longer stored)"
                    ),
                ),
                ("assessments", _("the list of assessments, each with its file")),
            ],
        ),
        (
            "assessments/assessment-<id>.json",
            _("One assessment each, draft or submitted."),
            [
                (
                    "assessment",
                    _("status, questionnaire version, created and submitted: when and by whom"),
                ),
                (
                    "answers",
                    _(
                        "each answer: question (in French and English), value, the answer in "
                        "words; changed_by and changed_at say who saved it last and when, "
                        "revision how many times it was saved (earlier values are not kept)"
                    ),
                ),
                ("cleared_answers", _("answers that were given, then cleared: by whom, when")),
                ("result", _("rung, overall score and score of each area (0 to 100), frozen")),
                ("roadmap", _("the roadmap of this result, with each action's status")),
                (
                    "review",
                    _(
                        "the consultant's published review: note, comments on each area with "
                        "their author, published when and by whom (a review the consultant "
                        "has not published is not shown to the dealership, nor here)"
                    ),
                ),
                (
                    "evidence",
                    _(
                        "evidence links a consultant verified: question, address, by whom, "
                        "when; still_answered is false when the answer has changed since"
                    ),
                ),
            ],
        ),
        (
            "reports/report-<id>-<language>.pdf",
            _("The PDF reports, exactly as they were stored (see reports in dealership.json)."),
            [],
        ),
    ]


def readme_text(*, dealership: Dealership, exported_at: str, by: User) -> str:
    """The README of ``dealership``'s archive, made at ``exported_at`` for ``by``."""
    lines = [
        _("All the data of %(name)s") % {"name": dealership.name},
        "=" * 60,
        "",
        _("Archive made on %(moment)s for %(person)s.")
        % {"moment": exported_at, "person": by.email},
        _(
            "It holds everything the product keeps about the dealership. The JSON files are "
            "UTF-8 text that any program can read."
        ),
        _(
            "Times are ISO 8601 in UTC (2026-03-14T09:30:00+00:00 is 9:30 UTC); dates are "
            "YYYY-MM-DD. A person is given by name and e-mail; an empty value is null."
        ),
        "",
    ]
    for name, what, fields in _sections():
        lines += [name, "-" * len(name), what]
        width = max((len(field) for field, _meaning in fields), default=0)
        lines += [f"  {field.ljust(width)}  {meaning}" for field, meaning in fields]
        lines.append("")
    return "\n".join(lines)
