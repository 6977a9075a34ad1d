"""The nominee import's upload form: the tier the rows default to, and the workbook."""

from django import forms
from django.utils.translation import gettext_lazy as _


class NomineeImportForm(forms.Form):
    award_type = forms.TypedChoiceField(label=_("Award for rows that name none"), coerce=int)
    file = forms.FileField(label=_("Filled-in template (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))  # fmt: skip

    def __init__(self, *args, award_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award_type"].choices = [(a.pk, a.name) for a in award_types]


class AdminImportForm(forms.Form):
    """An administrator's file of units or accounts: the filled-in template, as .xlsx or .csv."""

    file = forms.FileField(label=_("Filled-in template (.xlsx or .csv)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))  # fmt: skip
