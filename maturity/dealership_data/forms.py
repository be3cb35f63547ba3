"""The confirmation an owner types before erasing all of the dealership's data."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dealers.models import Dealership


class DeleteConfirmationForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Type the dealership's name to confirm"), max_length=200
    )

    def __init__(self, *args: object, dealership: Dealership, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.dealership = dealership

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if name.casefold() != self.dealership.name.casefold():
            raise forms.ValidationError(_("The name does not match: nothing was deleted."))
        return name
