"""What the API reads and writes. Reads are plain views of the rows the selectors return; writes are parsed
here and validated by the services (the same rules and sentences as the pages)."""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..identity import mask_id_number
from ..models import (
    AwardType,
    Campaign,
    Decision,
    DecisionItem,
    Dossier,
    Gender,
    GeneratedDocument,
    Nomination,
    NomineeKind,
    Notification,
    Report,
    ReportVersion,
    Unit,
)

UNKNOWN_FIELD = _("Unknown field: this request does not accept it.")


class StrictSerializer(serializers.Serializer):
    """A request body: a field the endpoint does not take is refused by name, never silently ignored (a typo in
    `id_numer` must not save a nomination without its citizen ID)."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(str(key) for key in data if key not in writable)
            if unknown:
                raise serializers.ValidationError(
                    {name: [serializers.ErrorDetail(str(UNKNOWN_FIELD), code="unknown_field")] for name in unknown}
                )
        return super().to_internal_value(data)


# References -------------------------------------------------------------------------------------------------


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "code", "name"]


class AwardTypeRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = AwardType
        fields = ["id", "code", "name"]


# Units and campaigns ----------------------------------------------------------------------------------------


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "kind", "parent", "valid_from", "valid_to"]


class CampaignSerializer(serializers.ModelSerializer):
    issuer = UnitRefSerializer(read_only=True)
    reviewer = UnitRefSerializer(read_only=True)
    plan_reference = serializers.CharField(read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id", "title", "plan_number", "plan_symbol", "plan_reference", "plan_date", "issuer", "reviewer",
            "data_from", "data_to", "reference_date", "report_deadline", "nomination_deadline",
        ]  # fmt: skip


class CampaignDetailSerializer(CampaignSerializer):
    award_types = serializers.SerializerMethodField()

    class Meta(CampaignSerializer.Meta):
        fields = [*CampaignSerializer.Meta.fields, "award_types"]

    @extend_schema_field(AwardTypeRefSerializer(many=True))
    def get_award_types(self, campaign) -> list:
        return AwardTypeRefSerializer(campaign.award_types.order_by("position", "pk"), many=True).data


# Reports ----------------------------------------------------------------------------------------------------


class ReportSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    reviewer = UnitRefSerializer(read_only=True)

    class Meta:
        model = Report
        fields = ["id", "campaign", "unit", "reviewer", "status", "first_submitted_at", "late_days", "created_at"]


class ReportVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportVersion
        fields = ["number", "status", "edit_seq", "saved_at", "submitted_at", "late_days", "reviewed_at"]


class AnswerSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField(help_text="section, count, ratio, yearly, documents, cases, yes_no, narrative")
    text = serializers.CharField()
    required = serializers.BooleanField()
    answer = serializers.JSONField(allow_null=True, help_text="Its shape depends on the kind: docs/api.md.")


class ReportDetailSerializer(ReportSerializer):
    versions = ReportVersionSerializer(many=True, read_only=True)
    version = serializers.IntegerField(read_only=True, help_text="The version whose answers are listed.")
    editable = serializers.BooleanField(read_only=True, help_text="Whether you may save draft answers now.")
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "versions", "version", "editable", "answers"]


class ReportAnswersWriteSerializer(StrictSerializer):
    seq = serializers.IntegerField(
        min_value=0,
        help_text="The draft's edit_seq you read: a save made meanwhile by someone else is not overwritten.",
    )
    answers = serializers.DictField(
        child=serializers.JSONField(allow_null=True), allow_empty=False,
        help_text="Answers by question code; null or an empty value clears one. Shapes: docs/api.md.",
    )  # fmt: skip


# Nominations ------------------------------------------------------------------------------------------------


class NominationSerializer(serializers.ModelSerializer):
    """A nomination as lists show it: the citizen ID masked, no date of birth (the pages' list does the same)."""

    unit = UnitRefSerializer(read_only=True)
    award_type = AwardTypeRefSerializer(read_only=True)
    holder = UnitRefSerializer(read_only=True, allow_null=True)
    assignee = serializers.SerializerMethodField()
    id_number_masked = serializers.SerializerMethodField()

    class Meta:
        model = Nomination
        fields = [
            "id", "campaign", "award_type", "unit", "kind", "name", "status", "step", "holder", "held_since",
            "step_due", "assignee", "dossier", "id_number_masked", "created_at", "updated_at",
        ]  # fmt: skip

    def get_assignee(self, nomination) -> str | None:
        return nomination.assignee.display_name if nomination.assignee_id else None

    def get_id_number_masked(self, nomination) -> str:
        return mask_id_number(nomination.id_number)


class NominationDetailSerializer(NominationSerializer):
    """One nomination. Its citizen ID, date of birth and block are shown only to those the page shows them to,
    and each showing is logged (selectors.nominations.personal_data_view)."""

    parent_unit = UnitRefSerializer(read_only=True, allow_null=True)
    personal_data = serializers.SerializerMethodField(help_text="Whether id_number and birth_date are shown.")
    id_number = serializers.SerializerMethodField()
    birth_date = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField(
        help_text="What you may do now: edit, approve, return, refuse, handoff."
    )

    class Meta(NominationSerializer.Meta):
        fields = [
            *NominationSerializer.Meta.fields, "parent_unit", "women_percent", "gender", "birth_date", "position",
            "workplace", "id_number", "achievement", "achievement_text", "personal_data", "actions",
        ]  # fmt: skip

    def get_personal_data(self, nomination) -> bool:
        return bool(self.context.get("personal"))

    def get_id_number(self, nomination) -> str:
        return nomination.id_number if self.context.get("personal") else mask_id_number(nomination.id_number)

    def get_birth_date(self, nomination) -> str | None:
        if not self.context.get("personal") or nomination.birth_date is None:
            return None
        return nomination.birth_date.isoformat()

    def get_actions(self, nomination) -> list[str]:
        return list(self.context.get("actions", []))


class NominationWriteSerializer(StrictSerializer):
    """The nomination form's fields; the service checks them (CCCD, date of birth, required by kind)."""

    name = serializers.CharField(max_length=255)
    parent_unit = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                           help_text="For a collective: the unit it belongs to (in your scope).")  # fmt: skip
    women_percent = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=100)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True, help_text="YYYY-MM-DD")
    position = serializers.CharField(max_length=255, required=False, allow_blank=True)
    workplace = serializers.CharField(max_length=255, required=False, allow_blank=True)
    id_number = serializers.CharField(max_length=20, required=False, allow_blank=True,
                                      help_text="Citizen ID (CCCD): 12 digits.")  # fmt: skip
    achievement = serializers.CharField(max_length=500, help_text="The line the decision will print.")
    achievement_text = serializers.CharField(required=False, allow_blank=True, max_length=20000)


class NominationCreateSerializer(NominationWriteSerializer):
    campaign = serializers.IntegerField(min_value=1)
    award_type = serializers.IntegerField(min_value=1, help_text="One of the campaign's award types.")
    kind = serializers.ChoiceField(choices=NomineeKind.choices)


class NominationUpdateSerializer(NominationWriteSerializer):
    """Only the fields sent are changed (the tier and the kind of nominee are fixed once created)."""


class ActSerializer(StrictSerializer):
    step = serializers.CharField(required=False, max_length=32,
                                 help_text="The step you saw: if the nomination has moved on since, nothing is done.")  # fmt: skip
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000,
                                    help_text="For the unit. Required to return or refuse.")  # fmt: skip
    internal_note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000,
                                          help_text="Not shown to the unit.")  # fmt: skip


class HandOffSerializer(StrictSerializer):
    number = serializers.CharField(max_length=32, help_text="Your submission's number, e.g. 121/TTr-PV01.")
    date = serializers.DateField(help_text="YYYY-MM-DD")
    signer = serializers.CharField(max_length=150)
    signer_title = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    step = serializers.CharField(required=False, allow_blank=True, default="", max_length=32)


class HandOffResultSerializer(serializers.Serializer):
    handoff = serializers.IntegerField()
    number = serializers.CharField()
    to_unit = UnitRefSerializer()
    nomination = NominationSerializer()


# Dossiers and decisions -------------------------------------------------------------------------------------


class DossierSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    award_type = AwardTypeRefSerializer(read_only=True)
    nominations = serializers.SerializerMethodField()

    class Meta:
        model = Dossier
        fields = ["id", "campaign", "unit", "award_type", "number", "date", "signer", "council_members",
                  "council_present", "votes_for", "submitted_at", "late_days", "nominations"]  # fmt: skip

    @extend_schema_field(NominationSerializer(many=True))
    def get_nominations(self, dossier) -> list:
        return NominationSerializer(self.context["nominations"], many=True).data


class DecisionSerializer(serializers.ModelSerializer):
    award_type = AwardTypeRefSerializer(read_only=True)
    issuer = UnitRefSerializer(read_only=True)
    reference = serializers.CharField(read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "campaign", "award_type", "kind", "status", "issuer", "reference", "number", "year", "date",
                  "refers_to", "issued_at"]  # fmt: skip


class DecisionItemSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="nomination.name", read_only=True)
    unit = UnitRefSerializer(source="nomination.unit", read_only=True)
    revoked = serializers.SerializerMethodField()

    class Meta:
        model = DecisionItem
        fields = ["id", "nomination", "name", "unit", "prize_amount", "revoked"]

    def get_revoked(self, item) -> bool:
        return item.revoked_by_id is not None


class DecisionDocumentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Where to download it once built (status 'done').")

    class Meta:
        model = GeneratedDocument
        fields = ["kind", "status", "progress", "size", "built_at", "url"]

    def get_url(self, document) -> str:
        return self.context["request"].build_absolute_uri(
            f"/api/v1/decisions/{document.decision_id}/documents/{document.kind}/"
        )


class DecisionDetailSerializer(DecisionSerializer):
    whole = serializers.SerializerMethodField(help_text="False: only your own unit's awardees are listed.")
    items = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    scan_url = serializers.SerializerMethodField(help_text="The signed scan, when you may read it.")

    class Meta(DecisionSerializer.Meta):
        fields = [*DecisionSerializer.Meta.fields, "signer", "whole", "items", "documents", "scan_url"]

    def get_whole(self, decision) -> bool:
        return bool(self.context["whole"])

    @extend_schema_field(DecisionItemSerializer(many=True))
    def get_items(self, decision) -> list:
        return DecisionItemSerializer(self.context["items"], many=True).data

    @extend_schema_field(DecisionDocumentSerializer(many=True))
    def get_documents(self, decision) -> list:
        return DecisionDocumentSerializer(self.context["documents"], many=True, context=self.context).data

    def get_scan_url(self, decision) -> str | None:
        if not self.context["scan"]:
            return None
        return self.context["request"].build_absolute_uri(f"/api/v1/decisions/{decision.pk}/scan/")


# Notifications and the consolidation ------------------------------------------------------------------------


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "body", "url", "created_at", "read_at"]


class ConsolidationRowSerializer(serializers.Serializer):
    unit = UnitRefSerializer()
    state = serializers.CharField(help_text="The report's status, or 'missing'.")
    report = serializers.IntegerField(allow_null=True)
    late_days = serializers.IntegerField(allow_null=True)


class ConsolidationItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField()
    text = serializers.CharField()
    total = serializers.JSONField(allow_null=True, help_text="count: a number; ratio: [done, total]; yearly: {year: n}")
    by_kind = serializers.JSONField(help_text="The same, per kind of unit.")


class ConsolidationSerializer(serializers.Serializer):
    campaign = serializers.IntegerField()
    scope_unit = UnitRefSerializer(allow_null=True, help_text="The district whose communes are counted, or null.")
    counted_reports = serializers.IntegerField()
    board = ConsolidationRowSerializer(many=True)
    items = ConsolidationItemSerializer(many=True)
