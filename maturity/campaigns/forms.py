"""The campaign launch form."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from maturity.campaigns.services import REMINDER_EVERY_CHOICES, REMINDER_MAX_LIMIT
from maturity.followup.forms import DateInput
from maturity.models import Campaign


def _every_label(days: int) -> str:
    """In the request's language (called when the form is built, not at import)."""
    if not days:
        return gettext("No reminder")
    return ngettext("Every day", "Every %(n)s days", days) % {"n": days}


class CampaignForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=Campaign._meta.get_field("title").max_length,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    due_date = forms.DateField(label=_("Due date"), widget=DateInput(), input_formats=["%Y-%m-%d"])
    message = forms.CharField(
        label=_("Message to the dealers"),
        required=False,
        max_length=Campaign._meta.get_field("message").max_length,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
        help_text=_("Quoted in the e-mail each contact receives, in your words."),
    )
    reminder_every_days = forms.TypedChoiceField(
        label=_("Reminders"),
        coerce=int,
        initial=7,
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text=_("Never more than one e-mail a day per person; none once they have submitted."),
    )
    reminder_max = forms.IntegerField(
        label=_("Reminders at most, per person"),
        min_value=0,
        max_value=REMINDER_MAX_LIMIT,
        initial=3,
        widget=forms.NumberInput(
            attrs={"class": "form-control", "min": 0, "max": REMINDER_MAX_LIMIT}
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reminder_every_days"].choices = [
            (d, _every_label(d)) for d in REMINDER_EVERY_CHOICES
        ]
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("due_date", today + timedelta(days=30))

    def clean_due_date(self):
        value = self.cleaned_data["due_date"]
        if value <= timezone.localdate():
            raise forms.ValidationError(_("Choose a due date in the future."))
        return value
