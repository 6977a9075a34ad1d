"""Forms of the nomination pages. They parse and show errors; the rules live in the services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import BlockReason, Gender, NominationFileKind, NomineeKind, Outcome, Unit


class NominationForm(forms.Form):
    required_css_class = "field--required"  # marked on the page (an asterisk), and required="" for assistive tools
    # Which kind of nominee each field is for: the page shows only the chosen kind's (static/tdkt/app.js).
    KIND_FIELDS = {
        "parent_unit": NomineeKind.COLLECTIVE, "women_percent": NomineeKind.COLLECTIVE,
        "gender": NomineeKind.INDIVIDUAL, "birth_date": NomineeKind.INDIVIDUAL, "position": NomineeKind.INDIVIDUAL,
        "workplace": NomineeKind.INDIVIDUAL, "id_number": NomineeKind.INDIVIDUAL,
    }  # fmt: skip

    award_type = forms.TypedChoiceField(label=_("Award"), coerce=int)
    kind = forms.ChoiceField(label=_("Nominee"), choices=NomineeKind.choices, widget=forms.RadioSelect)
    name = forms.CharField(
        label=_("Name"), max_length=255, help_text=_("The collective's name or the person's full name.")
    )
    parent_unit = forms.ModelChoiceField(label=_("Belongs to"), queryset=Unit.objects.none(), required=False)
    women_percent = forms.IntegerField(label=_("Women (%)"), required=False, min_value=0, max_value=100)
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False)
    birth_date = forms.DateField(
        label=_("Date of birth"), required=False, help_text=_("dd/mm/yyyy, e.g. 05/01/1985"),
        widget=forms.DateInput(attrs={"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric"}),
    )  # fmt: skip
    position = forms.CharField(label=_("Position"), max_length=255, required=False)
    workplace = forms.CharField(label=_("Workplace"), max_length=255, required=False)
    id_number = forms.CharField(label=_("Citizen ID (CCCD)"), max_length=20, required=False)
    achievement = forms.CharField(
        label=_("Achievement summary"), max_length=500, help_text=_("The line the decision will print.")
    )
    achievement_text = forms.CharField(label=_("Achievement report"), widget=forms.Textarea, required=False)

    def __init__(self, *args, award_types=(), units=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        # No award chosen in advance: the unit picks the one it proposes (the highest was picked for it before).
        self.fields["award_type"].choices = [("", _("— choose the award —")), *((a.pk, a.name) for a in award_types)]
        self.fields["parent_unit"].queryset = units if units is not None else Unit.objects.none()
        if editing:  # the tier and the kind of nominee are fixed once created
            del self.fields["award_type"], self.fields["kind"]

    def rows(self) -> list[dict]:
        """Each field with the kind of nominee it is for ('' for both), as the page lays them out."""
        return [{"field": field, "for_kind": self.KIND_FIELDS.get(field.name, "")} for field in self]

    def nominee_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("award_type", "kind")}

    def add_service_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, problems in error.message_dict.items():
                self.add_error(field if field in self.fields else None, problems)
        else:
            self.add_error(None, error)


class DossierForm(forms.Form):
    nominations = forms.TypedMultipleChoiceField(
        label=_("Nominations in this dossier"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    number = forms.CharField(label=_("Submission number"), max_length=32, help_text=_("e.g. 15/TTr-UBND"))
    date = forms.DateField(label=_("Submission date"))
    signer = forms.CharField(label=_("Signed by"), max_length=150)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=150, required=False)
    # A council of a thousand is a typo; the columns hold up to 32,767.
    council_members = forms.IntegerField(label=_("Council members"), min_value=1, max_value=999)
    council_present = forms.IntegerField(label=_("Members present"), min_value=0, max_value=999)
    votes_for = forms.IntegerField(label=_("Votes in favour"), min_value=0, max_value=999)
    minutes = forms.FileField(
        label=_("Council minutes (signed PDF)"), required=False,
        help_text=_("The minutes of the emulation and commendation council meeting."),
    )  # fmt: skip

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominations"].choices = [(n.pk, f"{n.name} – {n.get_kind_display()}") for n in candidates]


class HandOffForm(forms.Form):
    number = forms.CharField(label=_("Submission number"), max_length=32)
    date = forms.DateField(label=_("Submission date"))
    signer = forms.CharField(label=_("Signed by"), max_length=150)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=150, required=False)
    step = forms.CharField(widget=forms.HiddenInput, required=False)  # the step the sender saw


class ActForm(forms.Form):
    step = forms.CharField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        choices=[(o, o.label) for o in (Outcome.APPROVED, Outcome.RETURNED, Outcome.REJECTED)], widget=forms.RadioSelect
    )

    def __init__(self, *args, awaiting: bool = False, handoff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if awaiting:  # awaiting its decision: a decision awards it; here it is only returned or refused
            self.fields["outcome"].choices = [(Outcome.RETURNED, _("Return to the previous agency")),
                                              (Outcome.REJECTED, _("Refuse"))]  # fmt: skip
        elif handoff:  # approving is sending on with the tờ trình: the hand-off form above says so
            self.fields["outcome"].choices = [(o, o.label) for o in (Outcome.RETURNED, Outcome.REJECTED)]

    comment = forms.CharField(label=_("Comment for the unit"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    internal_note = forms.CharField(
        label=_("Internal note (not shown to the unit)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class NominationFileForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k, k.label) for k in (NominationFileKind.ACHIEVEMENT, NominationFileKind.SUPPORTING)],
    )
    file = forms.FileField(label=_("File"))


class AchievementForm(forms.Form):
    achievement = forms.CharField(
        label=_("Achievement line"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Printed in the decision's list and on the certificate: at most three lines at 11 pt."),
    )  # fmt: skip


class BlockForm(forms.Form):
    # Empty (the lifting form's hidden field): lift the block; `note` then says why.
    reason = forms.ChoiceField(label=_("Blocked because"), choices=BlockReason.choices, required=False)
    until = forms.DateField(label=_("Until"), required=False, help_text=_("Empty: until it is lifted."))
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
