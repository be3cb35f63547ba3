"""Forms of the follow-up: an action's plan (owner, due date, notes) and the target."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maturity.models import RoadmapActionStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", attrs={"class": "form-control"}, **kwargs)


class PlanForm(forms.Form):
    owner = forms.TypedChoiceField(
        label=_("Owner"),
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=DateInput(), input_formats=["%Y-%m-%d"]
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=RoadmapActionStatus._meta.get_field("notes").max_length,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )

    def __init__(self, *args, owners: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", _("Nobody yet")), *owners]


class TargetForm(forms.Form):
    rung = forms.TypedChoiceField(
        label=_("Target rung"), coerce=int, widget=forms.Select(attrs={"class": "form-select"})
    )
    due_date = forms.DateField(label=_("By"), widget=DateInput(), input_formats=["%Y-%m-%d"])

    def __init__(self, *args, rungs: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rung"].choices = rungs

    def clean_due_date(self) -> date:
        value = self.cleaned_data["due_date"]
        if value <= timezone.localdate():
            raise forms.ValidationError(_("Choose a date in the future."))
        return value
