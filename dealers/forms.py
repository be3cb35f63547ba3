from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from dealers.models import Membership, PersonalAccessToken, User


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the contact"))
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    role = forms.ChoiceField(
        label=_("Role in the dealership"),
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        help_text=_("An owner can also invite colleagues."),
    )


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Your full name"), max_length=150)
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Confirm the password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def __init__(self, *args: object, email: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict:
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        elif p1:
            candidate = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


# Validity choices, in days; those above ``API_TOKEN_MAX_DAYS`` are not offered.
TOKEN_DAYS = (7, 30, 90, 180, 365)


class AccessTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=PersonalAccessToken._meta.get_field("name").max_length,
        help_text=_("What the token is for, e.g. “CRM synchronisation”."),
    )
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        initial=90,
        help_text=_("The token stops working after this; create a new one then."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        choices = [d for d in TOKEN_DAYS if d <= settings.API_TOKEN_MAX_DAYS] or [
            settings.API_TOKEN_MAX_DAYS
        ]
        self.fields["days"].choices = [(d, _("%(days)s days") % {"days": d}) for d in choices]
