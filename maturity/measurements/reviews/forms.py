"""The upload form of a reviews export (the size is checked before anything is read)."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from maturity.measurements.reviews.parsing import MAX_BYTES


class ReviewImportForm(forms.Form):
    file = forms.FileField(
        label=_("Reviews file"),
        help_text=_(
            "A CSV (date, rating, text, reply date) or the reviews JSON of Google's data "
            "export of your Business Profile."
        ),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".csv,.json,.txt,text/csv,application/json"}
        ),
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large: %(limit)s at most.")
                % {"limit": filesizeformat(MAX_BYTES)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload
