"""Campaigns, their legal bases and versioned outlines."""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..actor import Actor
from ..audit import audit_record
from ..models import (
    BasisScope,
    BasisSlot,
    Campaign,
    CampaignLegalBasis,
    CampaignParticipantChange,
    DecisionStatus,
    LegalBasis,
    OutlineItem,
    Report,
    ReportOutline,
    Unit,
    default_participant_kinds,
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
    in_force_to: dt.date | None = None, issuer: str = "", scope: str = BasisScope.CAMPAIGN,
    slot: str = BasisSlot.PLAN, applies_to: Sequence[str] = (), amends: LegalBasis | None = None, source: str = "",
) -> LegalBasis:  # fmt: skip
    """The legal basis with this number, created as given if it is new (an existing one is kept as it is)."""
    basis = LegalBasis.objects.filter(number=nfc(number)).first()
    if basis is not None:
        return basis
    basis = LegalBasis(
        number=nfc(number), doc_type=nfc(doc_type), issued_on=issued_on, title=nfc(title), issuer=nfc(issuer),
        in_force_from=in_force_from, in_force_to=in_force_to, scope=scope, slot=slot, applies_to=list(applies_to),
        amends=amends, source=nfc(source),
    )  # fmt: skip
    basis.full_clean()
    legal_basis_check(basis)
    basis.save()
    return basis


def _last_cited(basis: LegalBasis) -> dt.date | None:
    """The date of the latest document that cited it (an issued decision or a hand-off's tờ trình)."""
    dates = [
        basis.cited_by_decisions.filter(status=DecisionStatus.ISSUED).aggregate(last=Max("date"))["last"],
        basis.cited_by_handoffs.aggregate(last=Max("date"))["last"],
    ]
    return max((d for d in dates if d), default=None)


def legal_basis_check(basis: LegalBasis) -> None:
    """The rules that span rows: an end date set once and never before a document that cited it; two
    national acts of one kind never in force together for the same bodies, unless one amends the other."""
    if basis.pk is not None:
        before = LegalBasis.objects.get(pk=basis.pk)
        if before.in_force_to is not None and basis.in_force_to != before.in_force_to:
            raise ValidationError({"in_force_to": _("The end date was set to %(date)s and cannot change.")
                                   % {"date": date_format(before.in_force_to, "d/m/Y")}})  # fmt: skip
        last = _last_cited(basis) if basis.in_force_to is not None and before.in_force_to is None else None
        if last is not None and basis.in_force_to < last:
            raise ValidationError({"in_force_to": _("A document dated %(date)s cites it: it cannot end before then.")
                                   % {"date": date_format(last, "d/m/Y")}})  # fmt: skip
    if basis.scope != BasisScope.NATIONAL:
        return
    same_slot = LegalBasis.objects.filter(scope=BasisScope.NATIONAL, slot=basis.slot).exclude(pk=basis.pk)
    for other in same_slot.filter(Q(in_force_to__isnull=True) | Q(in_force_to__gte=basis.in_force_from)):
        if basis.in_force_to is not None and other.in_force_from > basis.in_force_to:
            continue
        if basis.amends_id == other.pk or (basis.pk is not None and other.amends_id == basis.pk):
            continue
        if basis.applies_to and other.applies_to and not set(basis.applies_to) & set(other.applies_to):
            continue
        raise ValidationError(
            _("%(other)s (%(title)s) is in force at the same time for the same bodies: end it first, or record "
              "this one as amending it.") % {"other": other, "title": other.title},
            code="overlap",
        )  # fmt: skip


@transaction.atomic
def legal_basis_save(*, by: Actor, basis: LegalBasis) -> LegalBasis:
    """An administrator's change to a legal basis, checked against the other rows and audited."""
    created = basis.pk is None
    basis.full_clean()
    legal_basis_check(basis)
    basis.save()
    audit_record(actor=by, action="legal_basis_created" if created else "legal_basis_updated", obj=basis,
                 detail={"in_force": [str(basis.in_force_from), str(basis.in_force_to or "")]})  # fmt: skip
    return basis


CAMPAIGN_FIELDS = (
    "title", "plan_number", "plan_symbol", "plan_date", "issuer", "reviewer", "directive", "data_from", "data_to",
    "reference_date", "report_deadline", "nomination_deadline", "outline", "participant_kinds", "communes_report",
    "commune_reviewer", "reminder_days", "achievement",
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
    if "participant_kinds" not in fields and campaign.reference_date:  # the structure valid on the reference date
        campaign.participant_kinds = default_participant_kinds(campaign.reference_date)
    check_campaign(campaign)
    campaign.full_clean()
    national = [str(b) for b in legal_bases if b.scope == BasisScope.NATIONAL]
    if national:
        raise ValidationError(_("%(bases)s apply to every document by date: list only the campaign's own directives "
                                "and plans.") % {"bases": ", ".join(national)}, code="national_basis")  # fmt: skip
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
    # What is stored, not the instance: a form (the admin's) may have put the new values on it already.
    stored = Campaign.objects.get(pk=campaign.pk)
    if "outline" in changes:
        outline_change_check(campaign=stored, outline=changes["outline"])
    changed = sorted(f for f, value in changes.items() if getattr(stored, f) != value)
    for field, value in changes.items():
        setattr(campaign, field, value)
    check_campaign(campaign)
    campaign.full_clean()
    campaign.save()
    if changed:
        audit_record(
            actor=by, action="campaign_updated", obj=campaign, unit=campaign.issuer, detail={"fields": changed}
        )
    return campaign


def outline_change_check(*, campaign: Campaign, outline) -> None:
    """Once a report follows the campaign's outline, the campaign keeps it (`campaign`: as stored)."""
    if outline is not None and outline.pk != campaign.outline_id and campaign.reports.exists():
        raise ValidationError({"outline": _("Reports already follow this campaign's outline; it cannot be replaced.")})
