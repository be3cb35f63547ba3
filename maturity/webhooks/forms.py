"""The webhook endpoint form: URL (checked by the outgoing guard), description, events."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maturity.models import WebhookEndpoint
from maturity.webhooks.delivery import url_problem


class EndpointForm(forms.Form):
    url = forms.URLField(
        label=_("Endpoint URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "An address of your own system (your CRM, an automation tool) that accepts "
            "POST requests."
        ),
        widget=forms.URLInput(attrs={"placeholder": "https://crm.example.com/webhooks/maturity"}),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("What this endpoint is for, so that you recognise it later."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=WebhookEndpoint.Event.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        problem = url_problem(url)
        if problem is not None:
            raise forms.ValidationError(problem)
        return url
