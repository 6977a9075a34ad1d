"""Forms of the decision pages. They parse and show errors; the rules live in awards.services.decisions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import SigningAuthority, UnitKind


def _nominee_choices(nominations) -> list[tuple[int, str]]:
    """Each candidate's line; a blocked one says so (it stays listed, unticked: the service refuses it)."""
    return [
        (n.pk, f"{n.name} – {n.get_kind_display()} – {n.unit.name}"
               + (f" – {n.get_block_reason_display()}" if n.is_blocked else ""))
        for n in nominations
    ]  # fmt: skip


class _SignedForm(forms.Form):
    """Who signs a decision drafted here, and in what capacity."""

    signer = forms.CharField(label=_("Signer"), max_length=120, required=False)
    signer_title = forms.CharField(
        label=_("Signer's title"), max_length=120, required=False, help_text=_("e.g. PHÓ GIÁM ĐỐC")
    )
    authority = forms.ChoiceField(label=_("Signing authority"), choices=SigningAuthority.choices, required=False)


class DecisionDraftForm(_SignedForm):
    field_order = ("nominations", "signer", "signer_title", "authority")
    nominations = forms.TypedMultipleChoiceField(
        label=_("Awardees"), coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )
    proposal = forms.CharField(
        label=_("Proposed by"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Who proposed these nominations and in which tờ trình, e.g. “Trưởng phòng Tham mưu tại Tờ "
                    "trình số 15/TTr-PV01 ngày 05 tháng 01 năm 2025”; empty: the submissions that brought them here."),
    )  # fmt: skip
    funding_source = forms.CharField(
        label=_("Funding source"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. “Quỹ thi đua, khen thưởng của Công an tỉnh”."),
    )  # fmt: skip
    recipients = forms.CharField(
        label=_("Recipients (Nơi nhận)"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line; empty prints “Như Điều 3;” and “Lưu: VT.”."),
    )  # fmt: skip
    unit_order = forms.CharField(
        label=_("Order of units in the list"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One unit name per line, in the order the list should follow; units not named come after, "
                    "by kind of unit and then by name. Empty: by kind of unit, then name."),
    )  # fmt: skip

    def __init__(self, *args, candidates=(), editing=False, issuer_kind: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominations"].choices = _nominee_choices(candidates)
        if editing:
            self.fields["nominations"].label = _("Add awardees")
        for field, text in ISSUER_EXAMPLES.get(issuer_kind, {}).items():  # the deciding body's own examples
            self.fields[field].help_text = text

    def decision_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "nominations"}


# The examples under the fields, for a body other than the police (whose examples are the fields' own).
ISSUER_EXAMPLES = {
    UnitKind.PROVINCIAL_COMMITTEE: {
        "signer_title": _("e.g. PHÓ CHỦ TỊCH"),
        "proposal": _("Who proposed these nominations and in which tờ trình, e.g. “Giám đốc Sở Nội vụ tại Tờ trình "
                      "số 12/TTr-SNV ngày 05 tháng 01 năm 2025”; empty: the submissions that brought them here."),
        "funding_source": _("e.g. “Quỹ thi đua, khen thưởng của tỉnh”."),
    },
}  # fmt: skip


class DecisionIssueForm(forms.Form):
    number = forms.IntegerField(
        label=_("Decision number"), min_value=1, max_value=99999, help_text=_("The next free number is proposed.")
    )
    date = forms.DateField(label=_("Date signed"))
    scan = forms.FileField(label=_("Signed and stamped decision (PDF)"))


class DecisionRecordForm(forms.Form):
    """The Ministry's decision as it arrived."""

    nominations = forms.TypedMultipleChoiceField(
        label=_("Nominees it awards"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    number = forms.IntegerField(label=_("Decision number"), min_value=1, max_value=99999)
    symbol = forms.CharField(label=_("Symbol"), max_length=32, initial="QĐ-BCA")
    date = forms.DateField(label=_("Date signed"))
    signer = forms.CharField(label=_("Signer"), max_length=120, required=False)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=120, required=False)
    scan = forms.FileField(label=_("Signed decision (PDF)"))
    refused = forms.TypedMultipleChoiceField(
        label=_("Nominees it does not award (refused by the Ministry)"), coerce=int,
        widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("Tick only those the Ministry's decision or letter refuses; the others keep awaiting its decision."),
    )  # fmt: skip
    refusal_reason = forms.CharField(
        label=_("The Ministry's reason for refusing them"), max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominations"].choices = self.fields["refused"].choices = _nominee_choices(candidates)

    def clean(self):
        data = super().clean()
        if set(data.get("refused") or ()) & set(data.get("nominations") or ()):
            self.add_error("refused", _("A nominee is either awarded or refused by the decision, not both."))
        if data.get("refused") and not (data.get("refusal_reason") or "").strip():
            self.add_error("refusal_reason", _("Give the reason the Ministry gave for not awarding them."))
        return data


class DecisionRevokeForm(_SignedForm):
    field_order = ("items", "reason")
    items = forms.TypedMultipleChoiceField(label=_("Awards to revoke"), coerce=int, widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(i.pk, f"{i.nomination.name} – {i.nomination.unit.name}") for i in items]


class DecisionCorrectForm(_SignedForm):
    """The correcting decision's own fields; the corrected details come as name-/position-/unit-<item id>."""

    field_order = ("reason",)
    reason = forms.CharField(label=_("What is corrected, and why"), widget=forms.Textarea(attrs={"rows": 3}))
