from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from ..models import UnitKind
from ..text import nfc


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong user name or password. Note that the password is case-sensitive."),
    }

    def clean_username(self):
        return nfc(self.cleaned_data.get("username"))


class MembershipSwitchForm(forms.Form):
    membership = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = {m.pk: m for m in memberships}

    def clean_membership(self):
        chosen = self.memberships.get(self.cleaned_data["membership"])
        if chosen is None:
            raise forms.ValidationError(
                _("This role cannot be used: it has ended or is not yours."), code="invalid_membership"
            )
        return chosen


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *UnitKind.choices])

    def clean_q(self):
        return nfc(self.cleaned_data.get("q"))


class ApiTokenForm(forms.Form):
    """A personal API token: which system uses it, and for how long (the service caps both)."""

    name = forms.CharField(
        label=_("Used by"), max_length=100, help_text=_("The system that will use it, e.g. “Document office”.")
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=90, initial=30,
                              help_text=_("At most 90 days, and never past the end of the role you work under."))  # fmt: skip
