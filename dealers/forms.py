from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from dealers.models import (
    DealerProfile,
    Dealership,
    Membership,
    Network,
    PersonalAccessToken,
    User,
    normalise_email,
)

SOCIAL_PAGES_MAX = 10


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


class DealershipProfileForm(forms.Form):
    """What kind of dealer it is and where it is online (the owner corrects it)."""

    profile = forms.ChoiceField(
        label=_("What kind of dealership is it?"),
        choices=DealerProfile.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "It selects the questions you are asked (a body shop has no vehicle stock to put "
            "online) and the wording of your roadmap. It is not scored."
        ),
    )
    website_url = forms.URLField(
        label=_("Website address"),
        required=False,
        max_length=Dealership._meta.get_field("website_url").max_length,
        assume_scheme="https",
        help_text=_("Your own site, not your entry on a manufacturer's or a listing site."),
    )
    social_urls = forms.CharField(
        label=_("Social pages"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One address per line, for example your Facebook page."),
    )

    def clean_social_urls(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["social_urls"].splitlines()]
        lines = list(dict.fromkeys(line for line in lines if line))
        if len(lines) > SOCIAL_PAGES_MAX:
            raise forms.ValidationError(
                _("At most %(n)s addresses, please.") % {"n": SOCIAL_PAGES_MAX}
            )
        field = forms.URLField(assume_scheme="https")
        urls = []
        for line in lines:
            try:
                urls.append(field.clean(line))
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(line)s” is not a web address.") % {"line": line}
                ) from None
        return urls


class NetworkAdminForm(forms.ModelForm):
    """A network in the admin, with its managers typed as e-mail addresses.

    Addresses rather than a list to pick from: a national network's product holds tens of
    thousands of people. The admin then makes exactly these people the network's managers
    (``dealers.services.network_managers_set``).
    """

    managers = forms.CharField(
        label=_("managers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One e-mail address a line: people who read this network's dashboard."),
    )

    class Meta:
        model = Network
        fields = ["name", "dealerships"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            emails = self.instance.managers.order_by("email").values_list("email", flat=True)
            self.initial["managers"] = "\n".join(emails)

    def clean_managers(self) -> list[User]:
        emails = list(
            dict.fromkeys(
                normalise_email(line) for line in self.cleaned_data["managers"].splitlines()
            )
        )
        emails = [email for email in emails if email]
        found = {user.email: user for user in User.objects.filter(email__in=emails)}
        unknown = [email for email in emails if email not in found]
        if unknown:
            raise forms.ValidationError(
                _("Nobody has these addresses: %(emails)s. Create their accounts first.")
                % {"emails": ", ".join(unknown)}
            )
        return [found[email] for email in emails]
