"""The notification settings form: one choice per kind of notification."""

from __future__ import annotations

from django import forms

from maturity.models import Notification


class PreferencesForm(forms.Form):
    """A select per kind the person may receive (``kinds``), initially their choices."""

    def __init__(self, *args, kinds: tuple[str, ...], current: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in kinds:
            self.fields[kind] = forms.ChoiceField(
                label=Notification.Kind(kind).label,
                choices=Notification.Delivery.choices,
                initial=current.get(kind),
                widget=forms.Select(attrs={"class": "form-select"}),
            )
