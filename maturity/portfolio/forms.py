"""The portfolio's GET filter form and the consultant's cadence setting."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dealers.models import Region, User
from maturity.portfolio.selectors import ORDER_KEYS, SORT_KEYS, PortfolioFilters

RUNG_CHOICES = [
    ("", _("All rungs")),
    ("1", _("Rung 1")),
    ("2", _("Rung 2")),
    ("3", _("Rung 3")),
    ("4", _("Rung 4")),
    ("5", _("Rung 5")),
    ("none", _("Not assessed yet")),
]
STATUS_CHOICES = [
    ("", _("All statuses")),
    ("none", _("No assessment yet")),
    ("draft", _("Draft in progress")),
    ("submitted", _("Submitted, awaiting review")),
    ("reviewed", _("Reviewed")),
]
ALERT_CHOICES = [
    ("", pgettext_lazy("alert filter", "All")),
    ("dropped", _("Score dropped")),
    ("overdue", _("Re-assessment overdue")),
    ("stalled", _("Roadmap stalled")),
    ("measured", _("Measured signals")),
    ("actions", _("Overdue actions")),
]
SORT_CHOICES = (
    [(key, key) for key in SORT_KEYS]
    + [(f"-{key}", f"-{key}") for key in SORT_KEYS]
    + [(key, key) for key in ORDER_KEYS]
)


class PortfolioFilterForm(forms.Form):
    """Read from ``request.GET``: every choice lives in the URL, so a view can be shared.

    An unknown value (an old link, a hand-edited URL) is dropped rather than shown as an
    error: the page still answers, without that filter.
    """

    q = forms.CharField(label=_("Search by name or city"), required=False, max_length=100)
    rung = forms.ChoiceField(
        label=pgettext_lazy("portfolio filter", "Rung"), choices=RUNG_CHOICES, required=False
    )
    region = forms.ChoiceField(
        label=pgettext_lazy("portfolio filter", "Region"),
        choices=[("", _("All regions")), *Region.choices],
        required=False,
    )
    brand = forms.TypedChoiceField(
        label=pgettext_lazy("portfolio filter", "Brand"),
        coerce=int,
        empty_value=None,
        required=False,
    )
    group = forms.TypedChoiceField(
        label=pgettext_lazy("portfolio filter", "Dealer group"),
        coerce=int,
        empty_value=None,
        required=False,
    )
    status = forms.ChoiceField(
        label=pgettext_lazy("portfolio filter", "Status"), choices=STATUS_CHOICES, required=False
    )
    alert = forms.ChoiceField(
        label=pgettext_lazy("portfolio filter", "Alert"), choices=ALERT_CHOICES, required=False
    )
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, choices: dict[str, list[tuple[str, str]]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["brand"].choices = [("", _("All brands")), *choices["brand"]]
        self.fields["group"].choices = [("", _("All groups")), *choices["group"]]

    def filters(self) -> PortfolioFilters:
        self.is_valid()
        data = {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if name not in self.errors
        }
        return PortfolioFilters(
            search=(data.get("q") or "").strip(),
            rung=data.get("rung") or "",
            region=data.get("region") or "",
            brand=data.get("brand"),
            group=data.get("group"),
            status=data.get("status") or "",
            alert=data.get("alert") or "",
            sort=data.get("sort") or "name",
        )

    @property
    def active_count(self) -> int:
        """How many filters are set (the search included, the sort not)."""
        filters = self.filters()
        return sum(
            bool(v)
            for v in (
                filters.search,
                filters.rung,
                filters.region,
                filters.brand,
                filters.group,
                filters.status,
                filters.alert,
            )
        )


class CadenceForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["reassessment_cadence_months"]
        labels = {"reassessment_cadence_months": _("Re-assessment expected every (months)")}
        help_texts = {
            "reassessment_cadence_months": _(
                "A dealership whose last submitted assessment is older than this appears "
                "under “Re-assessment overdue” in your portfolio. 12 months by default."
            )
        }
        widgets = {
            "reassessment_cadence_months": forms.NumberInput(
                attrs={"class": "form-control", "min": 1, "max": 36}
            )
        }
