from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SsoForm(forms.Form):
    email = forms.EmailField(
        label=_("Your work e-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
