"""The form of a lead-response test: channel, question, when sent, first reply, grid."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maturity.measurements.leads.grid import LeadGrid
from maturity.models import LeadTest

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
EARLIEST_SENT_AT = datetime(2000, 1, 1, tzinfo=UTC)


def lead_test_problems(
    *,
    sent_at: datetime | None,
    replied_at: datetime | None,
    grid_items: Sequence[str],
    grid: LeadGrid | None = None,
) -> dict[str, str]:
    """What is wrong with a test as given, by field, in words (the form's and the API's
    rules; the service checks them again): when it was sent and answered, and the grid
    items ticked (known to ``grid``, when given, and only with a reply)."""
    now = timezone.now()
    problems: dict[str, str] = {}
    if sent_at and sent_at > now:
        problems["sent_at"] = _("The test cannot have been sent in the future.")
    elif sent_at and sent_at < EARLIEST_SENT_AT:
        # A typo in the year (0208 for 2008): no test enquiry is that old, and such dates
        # cannot even be written back in ISO 8601 with the local time zone.
        problems["sent_at"] = _("Give the date the test was sent (after the year 2000).")
    if replied_at and replied_at > now:
        problems["replied_at"] = _("The reply cannot be in the future.")
    elif sent_at and replied_at and replied_at < sent_at:
        problems["replied_at"] = _("The reply cannot come before the test was sent.")
    unknown = [item for item in grid_items if grid is not None and item not in grid.keys]
    if unknown:
        problems["grid_items"] = _("“%(item)s” is not an item of the grid.") % {
            "item": unknown[0][:80]
        }
    elif not replied_at and grid_items:
        problems["grid_items"] = _("Tick the grid only once a reply is recorded (its date above).")
    return problems


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_FORMAT, attrs={"class": "form-control"}, **kwargs)


class LeadTestForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=LeadTest.Channel.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    question = forms.CharField(
        label=_("Question asked"),
        max_length=LeadTest._meta.get_field("question").max_length,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
    sent_at = forms.DateTimeField(
        label=_("Sent at"), widget=DateTimeInput(), input_formats=[DATETIME_FORMAT]
    )
    replied_at = forms.DateTimeField(
        label=_("First human reply at"),
        help_text=_("Leave empty while no human has replied (an automatic reply does not count)."),
        required=False,
        widget=DateTimeInput(),
        input_formats=[DATETIME_FORMAT],
    )
    grid_items = forms.MultipleChoiceField(
        label=_("What the reply did"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=LeadTest._meta.get_field("notes").max_length,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )

    def __init__(self, *args: Any, grid: LeadGrid, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grid_items"].choices = [
            (
                item.key,
                _("%(label)s (%(points)s points)")
                % {"label": item.label[language], "points": item.points},
            )
            for item in grid.items
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        problems = lead_test_problems(
            sent_at=data.get("sent_at"),
            replied_at=data.get("replied_at"),
            grid_items=data.get("grid_items") or (),
        )
        for field, message in problems.items():
            self.add_error(field, message)
        return data

    @classmethod
    def initial_of(cls, test: LeadTest) -> dict[str, Any]:
        local = timezone.localtime
        return {
            "channel": test.channel,
            "question": test.question,
            "sent_at": local(test.sent_at).strftime(DATETIME_FORMAT),
            "replied_at": local(test.replied_at).strftime(DATETIME_FORMAT)
            if test.replied_at
            else "",
            "grid_items": list(test.grid_items or ()),
            "notes": test.notes,
        }
