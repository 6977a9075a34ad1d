"""Campaigns, their legal bases and versioned outlines."""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ..actor import Actor
from ..audit import audit_record
from ..models import (
    Campaign,
    CampaignLegalBasis,
    CampaignParticipantChange,
    LegalBasis,
    OutlineItem,
    Report,
    ReportOutline,
    Unit,
)
from ..text import nfc

# (code, number shown, kind, question, counted in, required, applies to, parent code)
OutlineRow = tuple[str, str, str, str, str, bool, Sequence[str], str | None]


def outline_is_fixed(outline: ReportOutline) -> bool:
    """An outline is fixed once any campaign using it has a report: answers point at its items."""
    return Report.objects.filter(campaign__outline=outline).exists()


@transaction.atomic
def outline_create(*, by: Actor | None, code: str, title: str, rows: Iterable[OutlineRow]) -> ReportOutline:
    version = (ReportOutline.objects.filter(code=code).aggregate(v=Max("version"))["v"] or 0) + 1
    outline = ReportOutline.objects.create(code=code, version=version, title=nfc(title))
    by_code: dict[str, OutlineItem] = {}
    for position, (item_code, number, kind, text, unit_label, required, applies_to, parent) in enumerate(rows, 1):
        item = OutlineItem(
            outline=outline, parent=by_code.get(parent) if parent else None, code=item_code, number=number,
            position=position, kind=kind, text=nfc(text), unit_label=nfc(unit_label), required=required,
            applies_to=list(applies_to),
        )  # fmt: skip
        item.full_clean(exclude=["outline", "parent"])
        item.save()
        by_code[item_code] = item
    audit_record(actor=by, action="outline_created", obj=outline, detail={"items": len(by_code)})
    return outline


def outline_rows(outline: ReportOutline) -> list[OutlineRow]:
    return [
        (i.code, i.number, i.kind, i.text, i.unit_label, i.required, i.applies_to, i.parent.code if i.parent else None)
        for i in outline.items.select_related("parent").order_by("position")
    ]


@transaction.atomic
def outline_copy(*, by: Actor | None, outline: ReportOutline, title: str = "") -> ReportOutline:
    """A new version of an outline to edit for a new campaign; the original stays as it is."""
    copy = outline_create(by=by, code=outline.code, title=title or outline.title, rows=outline_rows(outline))
    copy.based_on = outline
    copy.save(update_fields=["based_on"])
    return copy


@transaction.atomic
def outline_item_update(*, by: Actor | None, item: OutlineItem, **changes) -> OutlineItem:
    if outline_is_fixed(item.outline):
        raise ValidationError(
            _("This outline is already in use by reports and cannot change. Copy it to a new version instead.")
        )
    for field, value in changes.items():
        setattr(item, field, value)
    item.full_clean()
    item.save()
    audit_record(actor=by, action="outline_item_updated", obj=item, detail={"fields": sorted(changes)})
    return item


@transaction.atomic
def legal_basis_ensure(
    *, number: str, doc_type: str, issued_on: dt.date, title: str, in_force_from: dt.date,
    in_force_to: dt.date | None = None, issuer: str = "",
) -> LegalBasis:  # fmt: skip
    basis, _created = LegalBasis.objects.get_or_create(
        number=nfc(number),
        defaults={"doc_type": nfc(doc_type), "issued_on": issued_on, "title": nfc(title),
                  "in_force_from": in_force_from, "in_force_to": in_force_to, "issuer": nfc(issuer)},
    )  # fmt: skip
    return basis


CAMPAIGN_FIELDS = (
    "title", "plan_number", "plan_symbol", "plan_date", "issuer", "reviewer", "directive", "data_from", "data_to",
    "reference_date", "report_deadline", "nomination_deadline", "outline", "participant_kinds", "communes_report",
    "reminder_days",
)  # fmt: skip


def check_campaign(campaign: Campaign) -> None:
    if campaign.data_from and campaign.data_to and campaign.data_to < campaign.data_from:
        raise ValidationError({"data_to": _("The end of the data period must not be before its start.")})
    for field in ("report_deadline", "nomination_deadline"):
        deadline = getattr(campaign, field)
        if deadline and campaign.plan_date and timezone.localdate(deadline) < campaign.plan_date:
            raise ValidationError({field: _("A deadline cannot be before the campaign starts (the plan's date).")})
    if (
        campaign.nomination_deadline
        and campaign.report_deadline
        and campaign.nomination_deadline < campaign.report_deadline
    ):
        raise ValidationError(
            {"nomination_deadline": _("The nomination deadline must not be before the report deadline.")}
        )


@transaction.atomic
def campaign_create(
    *, by: Actor | None, legal_bases: Sequence[LegalBasis] = (), additions: Sequence[Unit] = (),
    removals: Sequence[Unit] = (), **fields,
) -> Campaign:  # fmt: skip
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise ValueError(f"unknown campaign fields: {sorted(unknown)}")
    campaign = Campaign(**fields)
    campaign.reference_date = campaign.reference_date or campaign.data_to
    check_campaign(campaign)
    campaign.full_clean()
    campaign.save()
    for position, basis in enumerate(legal_bases):
        CampaignLegalBasis.objects.create(campaign=campaign, legal_basis=basis, position=position)
    for unit in additions:
        CampaignParticipantChange.objects.create(campaign=campaign, unit=unit, included=True)
    for unit in removals:
        CampaignParticipantChange.objects.create(campaign=campaign, unit=unit, included=False)
    audit_record(actor=by, action="campaign_created", obj=campaign, unit=campaign.issuer)
    return campaign


@transaction.atomic
def campaign_update(*, by: Actor | None, campaign: Campaign, **changes) -> Campaign:
    unknown = set(changes) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise ValueError(f"unknown campaign fields: {sorted(unknown)}")
    if "outline" in changes and changes["outline"] != campaign.outline and campaign.reports.exists():
        raise ValidationError({"outline": _("Reports already follow this campaign's outline; it cannot be replaced.")})
    for field, value in changes.items():
        setattr(campaign, field, value)
    check_campaign(campaign)
    campaign.full_clean()
    campaign.save()
    audit_record(
        actor=by, action="campaign_updated", obj=campaign, unit=campaign.issuer, detail={"fields": sorted(changes)}
    )
    return campaign
