"""Award decisions: the deciding side drafts one from nominations awaiting a decision, then issues it.

Issuing fixes the number (from the register of the issuing body, symbol and year), the date and the
signed scan, fixes each awardee's prize money (coefficient × the base salary of the decision's date),
marks the nominations awarded, completes their workflow's waiting step and tells the nominating units.
"""

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from workflows import engine

from .. import uploads
from ..actor import Actor
from ..audit import audit_record
from ..documents.decision import issuer_lines
from ..models import (
    AwardType,
    Campaign,
    Decision,
    DecisionItem,
    DecisionKind,
    DecisionStatus,
    HandOff,
    Nomination,
    NominationAction,
    NominationStatus,
    NomineeKind,
    NotificationKind,
    Outcome,
    Route,
    Step,
    decision_reference,
)
from ..permissions import decider_rule, is_amendable, may_change, may_decide, may_record
from ..selectors.decisions import decision_candidates
from ..selectors.legal_bases import bases_in_force
from ..selectors.prizes import prize_money
from ..text import nfc
from . import announcements, documents
from . import nominations as nomination_services
from .notifications import Message, notify, unit_members

DRAFT_FIELDS = ("signer", "signer_title", "authority", "funding_source", "recipients", "proposal", "unit_order")


def decision_next_number(*, issuer_id: int, symbol: str, year: int) -> int:
    """The number the register proposes: one more than the highest issued this year."""
    top = Decision.objects.filter(issuer_id=issuer_id, symbol=symbol, year=year).aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


def _refused(nominations: Sequence[Nomination], allowed: set[int]) -> list[str]:
    return [n.name for n in nominations if n.pk not in allowed]


def _clean_fields(fields: dict) -> dict:
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise ValueError(f"unknown decision fields: {sorted(unknown)}")
    return {k: nfc(v).strip() if isinstance(v, str) else v for k, v in fields.items()}


def _lock_candidates(campaign: Campaign, award_type: AwardType, nominations: Sequence[Nomination]) -> list[Nomination]:
    """Lock the nominations and check each still awaits a decision and is in no other decision."""
    locked = list(Nomination.objects.select_for_update().filter(pk__in=[n.pk for n in nominations]).order_by("pk"))
    allowed = set(decision_candidates(campaign=campaign, award_type=award_type).values_list("pk", flat=True))
    refused = _refused(locked, allowed)
    if refused:
        raise ValidationError(
            _("Only nominations awaiting a decision, and in no other decision, can be included: %(names)s.")
            % {"names": ", ".join(refused)},
            code="not_awaiting",
        )
    _refuse_blocked(locked)
    return locked


def _refuse_blocked(nominations: Sequence[Nomination]) -> None:
    """A block recorded after the file was sent stops it at the decision too: named, never dropped silently."""
    blocked = [f"{n.name} ({n.get_block_reason_display()})" for n in nominations if n.is_blocked]
    if blocked:
        raise ValidationError(
            _("These nominations are blocked and cannot be decided until the block is lifted: %(names)s.")
            % {"names": ", ".join(blocked)},
            code="blocked",
        )


def _create(*, by: Actor, campaign: Campaign, award_type: AwardType, nominations: Sequence[Nomination],
            symbol: str | None = None, **fields) -> Decision:  # fmt: skip
    if not nominations:
        raise ValidationError({"nominations": _("A decision needs at least one awardee.")})
    locked = _lock_candidates(campaign, award_type, nominations)
    decision = Decision.objects.create(
        campaign=campaign, award_type=award_type, issuer=decider_rule(award_type).unit,
        symbol=symbol or award_type.decision_symbol or "QĐ", year=timezone.localdate().year, created_by=by.user,
        **_clean_fields(fields),
    )  # fmt: skip
    DecisionItem.objects.bulk_create(DecisionItem(decision=decision, nomination=n) for n in locked)
    audit_record(actor=by, action="decision_drafted", obj=decision, unit=decision.issuer,
                 detail={"nominations": [n.pk for n in locked]})  # fmt: skip
    return decision


@transaction.atomic
def decision_draft(
    *, by: Actor, campaign: Campaign, award_type: AwardType, nominations: Sequence[Nomination], **fields
) -> Decision:
    if not may_decide(by, award_type):
        raise PermissionDenied
    decision = _create(by=by, campaign=campaign, award_type=award_type, nominations=nominations, **fields)
    documents.documents_request(decision=decision)
    return decision


def _draft_locked(by: Actor, decision: Decision) -> Decision:
    decision = (
        Decision.objects.select_for_update(of=("self",)).select_related("award_type", "campaign").get(pk=decision.pk)
    )
    if not may_change(by, decision):
        raise PermissionDenied
    if decision.status != DecisionStatus.DRAFT:
        raise ValidationError(_("This decision has been issued: it can only be corrected by a new decision."),
                              code="issued")  # fmt: skip
    return decision


@transaction.atomic
def decision_update(
    *, by: Actor, decision: Decision, remove: Sequence[int] = (), add: Sequence[Nomination] = (), **fields
) -> Decision:
    """Change a draft: its fields, nominations taken out (by item id) or added. Its files follow."""
    decision = _draft_locked(by, decision)
    if add and decision.kind != DecisionKind.AWARD:
        raise ValidationError(_("Awardees can only be added to an award decision."), code="not_award")
    before = {f: getattr(decision, f) for f in fields}
    for field, value in _clean_fields(fields).items():
        setattr(decision, field, value)
    decision.save()
    removed = list(decision.items.filter(pk__in=remove).values_list("nomination_id", flat=True))
    decision.items.filter(pk__in=remove).delete()
    added = _lock_candidates(decision.campaign, decision.award_type, add) if add else []
    DecisionItem.objects.bulk_create(DecisionItem(decision=decision, nomination=n) for n in added)
    if not decision.items.exists():
        raise ValidationError(_("A decision needs at least one awardee: discard the draft instead."), code="empty")
    audit_record(actor=by, action="decision_changed", obj=decision, unit=decision.issuer, detail={
        "changed": sorted(f for f in fields if before[f] != getattr(decision, f)), "removed": removed,
        "added": [n.pk for n in added]})  # fmt: skip
    documents.documents_request(decision=decision)
    return decision


@transaction.atomic
def decision_discard(*, by: Actor, decision: Decision) -> None:
    """Throw a draft away: its nominations can go into another decision."""
    decision = _draft_locked(by, decision)
    audit_record(actor=by, action="decision_discarded", obj=decision, unit=decision.issuer,
                 detail={"nominations": list(decision.items.values_list("nomination_id", flat=True))})  # fmt: skip
    documents.documents_discard(decision=decision)
    decision.delete()


def _check_number(decision: Decision, number: int, day: dt.date) -> None:
    if not number or number < 1:
        raise ValidationError({"number": _("Give the decision's number.")})
    clash = Decision.objects.filter(issuer_id=decision.issuer_id, symbol=decision.symbol, year=day.year, number=number)
    if clash.exclude(pk=decision.pk).exists():
        raise ValidationError(
            {"number": _("Number %(reference)s is already used this year: the next free one is %(next)s.")
             % {"reference": decision_reference(number, decision.symbol),
                "next": decision_next_number(issuer_id=decision.issuer_id, symbol=decision.symbol, year=day.year)}}
        )  # fmt: skip


def _check_date(nominations: Sequence[Nomination], day: dt.date, *, since: dt.date | None = None) -> None:
    last = NominationAction.objects.filter(nomination__in=nominations).aggregate(last=Max("at"))["last"]
    days = [timezone.localdate(last)] if last else []
    approved_on = max([*days, since] if since else days, default=dt.date.min)
    if day < approved_on:
        raise ValidationError(
            {"date": _("A decision cannot be dated before its nominations were approved (%(date)s).")
             % {"date": formats.date_format(approved_on, "d/m/Y")}}
        )  # fmt: skip
    if day > timezone.localdate():
        raise ValidationError({"date": _("A decision cannot be dated in the future.")})


def _check_proposals(decision: Decision, nominations: Sequence[Nomination]) -> None:
    """An award decides on a proposal: every nomination came to the issuer with a tờ trình (`HandOff`),
    the one its "Xét đề nghị …" line cites. (The Ministry's arrives decided: its proposal was the police's.)"""
    proposed = set(
        HandOff.nominations.through.objects.filter(
            handoff__to_unit_id=decision.issuer_id, nomination_id__in=[n.pk for n in nominations]
        ).values_list("nomination_id", flat=True)
    )
    missing = [n.name for n in nominations if n.pk not in proposed]
    if missing:
        raise ValidationError(
            _("No submission (tờ trình) proposed these nominations to %(issuer)s: %(names)s. A decision cites the "
              "submission that proposed it.") % {"issuer": decision.issuer.name, "names": ", ".join(missing)},
            code="no_proposal",
        )  # fmt: skip


def _store_scan(decision: Decision, scan) -> None:
    detected = uploads.validate_upload(uploaded_file=scan, kind=uploads.UploadKind.SCAN)
    stored = uploads.store_upload(uploaded_file=scan, detected=detected)
    decision.scan_path, decision.scan_sha256, decision.scan_size = stored.relative_path, stored.sha256, stored.size
    decision.scan_content_type, decision.scan_name = stored.content_type, nfc(detected.original_name)[:255]


@transaction.atomic
def decision_issue(*, by: Actor, decision: Decision, number: int, date: dt.date, scan) -> Decision:
    """Fix the number, date and signed scan; award (or revoke) the nominations; tell their units. Then frozen."""
    decision = _draft_locked(by, decision)
    return _issue(by=by, decision=decision, number=number, date=date, scan=scan)


def _issue(*, by: Actor, decision: Decision, number: int, date: dt.date, scan) -> Decision:
    _check_number(decision, number, date)
    items = list(decision.items.select_related("nomination", "nomination__unit", "nomination__parent_unit"))
    if not items:
        raise ValidationError(_("A decision needs at least one awardee."), code="empty")
    nominations = list(
        Nomination.objects.select_for_update().filter(pk__in=[i.nomination_id for i in items]).order_by("pk")
    )
    if decision.kind == DecisionKind.AWARD:
        expected, problem = (
            NominationStatus.AWAITING_DECISION,
            _("These nominations no longer await a decision: %(names)s. Remove them from the draft."),
        )
    else:
        expected, problem = (
            NominationStatus.AWARDED,
            _("These awards are no longer in force: %(names)s. Remove them from the draft."),
        )
    moved = [n.name for n in nominations if n.status != expected]
    if moved:
        raise ValidationError(problem % {"names": ", ".join(moved)}, code="not_awaiting")
    if decision.kind == DecisionKind.AWARD:
        _refuse_blocked(nominations)
    if decision.kind == DecisionKind.AWARD and decision.award_type.route != Route.MINISTRY:
        _check_proposals(decision, nominations)
    _check_date(nominations, date, since=decision.refers_to.date if decision.refers_to_id else None)
    _store_scan(decision, scan)
    earlier_items = decision.refers_to.items.filter(nomination__in=nominations) if decision.refers_to_id else None
    if decision.kind == DecisionKind.AWARD:
        for item in items:
            item.prize_amount = prize_money(award_type=decision.award_type, kind=item.nomination.kind, day=date)
    elif decision.kind == DecisionKind.REVOCATION:  # the money to recover: what the revoked decision paid
        paid = dict(earlier_items.values_list("nomination_id", "prize_amount"))
        for item in items:
            item.prize_amount = paid.get(item.nomination_id)
        earlier_items.update(revoked_by=decision)
    else:
        earlier_items.update(corrected_by=decision)
    for item in items:  # what the list prints is fixed from now on (a correction's was fixed when drafted)
        if not item.printed_name:
            item.printed_name, item.printed_position, item.printed_unit = item.nomination.printed_details
        item.printed_achievement = item.printed_achievement or item.nomination.achievement
    DecisionItem.objects.bulk_update(
        items,
        ["prize_amount", "printed_name", "printed_position", "printed_unit", "printed_achievement"],
        batch_size=2000,
    )
    if decision.award_type.route != Route.MINISTRY:  # the Ministry's arrives signed: its scan is the document
        superior, place, executors = issuer_lines(decision)  # refused, naming the body, when its data is missing
        decision.printed_superior, decision.printed_place, decision.printed_executors = superior or "", place, executors
        decision.recipients = decision.recipients.strip() or decision.issuer.recipients
    decision.number, decision.date, decision.year = number, date, date.year
    decision.status, decision.issued_at = DecisionStatus.ISSUED, timezone.now()
    try:
        with transaction.atomic():  # two issuers racing for one number: the register's constraint decides
            decision.save()
    except IntegrityError:
        raise ValidationError({"number": _("Number %(reference)s was just used by another decision: try %(next)s.")
                               % {"reference": decision_reference(number, decision.symbol),
                                  "next": decision_next_number(issuer_id=decision.issuer_id, symbol=decision.symbol,
                                                               year=date.year)}}) from None  # fmt: skip
    decision.cited_bases.set(bases_in_force(campaign=decision.campaign, issuer_kind=decision.issuer.kind, day=date,
                                            competence=True))  # fmt: skip
    corrected = _apply_corrections(items, nominations) if decision.kind == DecisionKind.CORRECTION else {}
    for nomination in nominations:
        if decision.kind == DecisionKind.AWARD:
            engine.nomination_step_done(nomination=nomination, step=Step.AWAITING_DECISION, outcome="approved")
            nomination.status = NominationStatus.AWARDED
        elif decision.kind == DecisionKind.REVOCATION:
            nomination.status = NominationStatus.REVOKED
        else:
            continue  # still awarded, under its corrected name
        nomination.held_since = timezone.now()
        nomination.save(update_fields=["status", "held_since"])
    audit_record(actor=by, action="decision_issued", obj=decision, unit=decision.issuer,
                 detail={"reference": decision.reference, "date": date.isoformat(), "kind": decision.kind,
                         "refers_to": decision.refers_to_id, "nominations": [n.pk for n in nominations],
                         **({"corrected": {pk: sorted(c) for pk, c in corrected.items()}} if corrected else {})})  # fmt: skip
    _announce(decision, nominations, by=by)
    documents.documents_request(decision=decision)
    if decision.refers_to_id:  # the earlier decision's certificates: without the revoked, with the corrected
        documents.documents_request(decision=decision.refers_to)
    return decision


def _apply_corrections(items: Sequence[DecisionItem], nominations: Sequence[Nomination]) -> dict:
    """The nominations take the corrected name, position and unit line; returns {pk: {field: [old, new]}}."""
    by_pk = {n.pk: n for n in nominations}
    changes = {}
    for item in items:
        nomination = by_pk[item.nomination_id]
        now = dict(zip(("name", "position", "workplace"), nomination.printed_details, strict=True))
        wanted = {"name": item.printed_name, "position": item.printed_position, "workplace": item.printed_unit}
        if nomination.kind == NomineeKind.COLLECTIVE:
            wanted = {"name": item.printed_name}  # its unit line is the unit it belongs to
        changed = {field: [now[field], value] for field, value in wanted.items() if now[field] != value}
        for field, (_old, value) in changed.items():
            setattr(nomination, field, value)
        if changed:
            nomination.save()  # recomputes the sort and duplicate keys
            changes[nomination.pk] = changed
    return changes


@transaction.atomic
def decision_record(
    *,
    by: Actor,
    campaign: Campaign,
    award_type: AwardType,
    nominations: Sequence[Nomination],
    number: int,
    symbol: str,
    date: dt.date,
    scan,
    signer: str = "",
    signer_title: str = "",
    refused: Sequence[Nomination] = (),
    refusal_reason: str = "",
) -> Decision:
    """The Ministry's decision as it arrived: number, date, signed scan and the nominees it awards; `refused`, the
    nominees of the same submission it does not award (each then ends refused, with `refusal_reason` and the
    decision's reference as the reason)."""
    if not may_record(by, award_type):
        raise PermissionDenied
    symbol = "-".join(part.strip() for part in nfc(symbol).upper().split("-") if part.strip())
    if not symbol:
        raise ValidationError({"symbol": _("Give the decision's symbol, e.g. QĐ-BCA.")})
    refusal_reason = nfc(refusal_reason).strip()
    if {n.pk for n in refused} & {n.pk for n in nominations}:
        raise ValidationError({"refused": _("A nominee is either awarded or refused by the decision, not both.")})
    if refused and not refusal_reason:
        raise ValidationError({"refusal_reason": _("Give the reason the Ministry gave for not awarding them.")})
    decision = _create(by=by, campaign=campaign, award_type=award_type, nominations=nominations, symbol=symbol,
                       signer=signer, signer_title=signer_title)  # fmt: skip
    decision = _issue(by=by, decision=decision, number=number, date=date, scan=scan)
    if refused:
        comment = _("%(reason)s (Decision %(reference)s of %(date)s)") % {
            "reason": refusal_reason, "reference": decision.reference, "date": date.strftime("%d/%m/%Y")}  # fmt: skip
        done, problems = nomination_services.nomination_act_many(
            by=by, nominations=refused, step=Step.AWAITING_DECISION, outcome=Outcome.REJECTED, comment=comment
        )
        if problems:  # all or nothing: the decision is recorded with its refusals, or not at all
            names = {n.pk: n.name for n in refused}
            raise ValidationError({"refused": [f"{names[pk]}: {problem}" for pk, problem in problems.items()]})
    return decision


def _amendable(by: Actor, decision: Decision, reason: str, *, missing_reason: str) -> tuple[Decision, str]:
    """Lock an issued award decision its own body may amend; the reason, cleaned, is required."""
    decision = (
        Decision.objects.select_for_update(of=("self",)).select_related("award_type", "campaign").get(pk=decision.pk)
    )
    if not may_change(by, decision):
        raise PermissionDenied
    if not is_amendable(decision):
        raise ValidationError(_("Only an issued award decision can be revoked or corrected."), code="not_issued")
    reason = " ".join(nfc(reason).split())
    if not reason:
        raise ValidationError({"reason": missing_reason})
    return decision, reason


def _amendment(*, by: Actor, earlier: Decision, kind: str, action: str, reason: str, items: list[DecisionItem],
               fields: dict, detail: dict) -> Decision:  # fmt: skip
    """The draft of a decision revoking or correcting `earlier`, with its (unsaved) items; one at a time per award."""
    pending = DecisionItem.objects.filter(decision__refers_to=earlier, decision__status=DecisionStatus.DRAFT,
                                          nomination__in=[item.nomination_id for item in items])  # fmt: skip
    if pending.exists():
        raise ValidationError(_("A draft amending these awards already exists: issue or discard it first."),
                              code="pending")  # fmt: skip
    amendment = Decision.objects.create(
        campaign=earlier.campaign, award_type=earlier.award_type, kind=kind, refers_to=earlier, issuer=earlier.issuer,
        symbol=earlier.symbol, year=timezone.localdate().year, created_by=by.user, reason=reason,
        **_clean_fields(fields),
    )  # fmt: skip
    for item in items:
        item.decision = amendment
    DecisionItem.objects.bulk_create(items)
    audit_record(actor=by, action=action, obj=amendment, unit=earlier.issuer,
                 detail={"refers_to": earlier.pk, "reason": reason, **detail})  # fmt: skip
    documents.documents_request(decision=amendment)
    return amendment


@transaction.atomic
def decision_revoke(*, by: Actor, decision: Decision, items: Sequence[DecisionItem], reason: str, **fields) -> Decision:
    """Draft a decision revoking some awards of an issued one (issuing it flags them, with the money to recover)."""
    decision, reason = _amendable(by, decision, reason, missing_reason=_("Say why the awards are revoked."))
    chosen = [i for i in decision.items.filter(pk__in=[i.pk for i in items]) if i.revoked_by_id is None]
    if not chosen:
        raise ValidationError({"items": _("Choose the awards to revoke.")})
    return _amendment(by=by, earlier=decision, kind=DecisionKind.REVOCATION, action="decision_revocation_drafted",
                      reason=reason, fields=fields,
                      items=[DecisionItem(nomination_id=i.nomination_id) for i in chosen],
                      detail={"nominations": [i.nomination_id for i in chosen]})  # fmt: skip


@transaction.atomic
def decision_correct(
    *, by: Actor, decision: Decision, corrections: dict[int, tuple[str, str, str]], reason: str, **fields
) -> Decision:
    """Draft a decision correcting what an issued one printed for some awardees: {item id: (name, position,
    unit line)}. Issuing it gives the nominations the corrected details and reprints their certificates."""
    decision, reason = _amendable(by, decision, reason, missing_reason=_("Say what is corrected and why."))
    items = decision.items.filter(pk__in=list(corrections), revoked_by__isnull=True).select_related(
        "nomination", "nomination__unit", "nomination__parent_unit"
    )
    changed, was_by_nomination = [], {}
    for item in items:
        name, position, unit = (" ".join(nfc(v or "").split()) for v in corrections[item.pk])
        was = item.nomination.printed_details  # as it stands now, after any earlier correction
        if item.nomination.kind == NomineeKind.COLLECTIVE:
            position, unit = was[1], was[2]  # a collective's unit line is the unit it belongs to
        if not name:
            raise ValidationError({"items": _("A name cannot be empty: %(name)s.") % {"name": was[0]}})
        if max(len(name), len(position), len(unit)) > 255:
            raise ValidationError({"items": _("At most 255 characters per detail: %(name)s.") % {"name": was[0]}})
        if (name, position, unit) != was:
            changed.append(DecisionItem(nomination_id=item.nomination_id, printed_name=name,
                                        printed_position=position, printed_unit=unit))  # fmt: skip
            was_by_nomination[item.nomination_id] = list(was)
    if not changed:
        raise ValidationError({"items": _("Nothing differs from the decision: change the details to correct.")})
    return _amendment(by=by, earlier=decision, kind=DecisionKind.CORRECTION, action="decision_correction_drafted",
                      reason=reason, fields=fields,
                      items=changed, detail={"items": {
                          i.nomination_id: [f for f, was, now in zip(("name", "position", "workplace"),
                                                                     was_by_nomination[i.nomination_id],
                                                                     (i.printed_name, i.printed_position, i.printed_unit),
                                                                     strict=True) if was != now]
                          for i in changed}})  # fmt: skip


@announcements.in_site_language
def _announce(decision: Decision, nominations: Sequence[Nomination], *, by: Actor) -> None:
    """One message per nominating unit, to its officers and head."""
    by_unit: dict[int, list[Nomination]] = {}
    for nomination in nominations:
        by_unit.setdefault(nomination.unit_id, []).append(nomination)
    members = unit_members(by_unit, announcements.UNIT_ROLES)
    params = {"reference": decision.reference, "date": formats.date_format(decision.date, "d/m/Y"),
              "award": decision.award_type.name}  # fmt: skip
    if decision.kind == DecisionKind.REVOCATION:
        subject = _("Decision %(reference)s of %(date)s revokes: %(award)s") % params
        heading = _("Revoked for:")
    elif decision.kind == DecisionKind.CORRECTION:
        subject = _("Decision %(reference)s of %(date)s corrects: %(award)s") % params
        heading = _("Corrected for:")
    else:
        subject = _("Decision %(reference)s of %(date)s: %(award)s") % params
        heading = _("Awarded to:")
    messages = []
    for unit_id, awarded in by_unit.items():
        body = heading + "\n" + "\n".join(f"– {n.name}" for n in awarded)
        messages += [
            Message(recipient=user, kind=NotificationKind.DECISION_ISSUED, key=f"decision:{decision.pk}:{unit_id}",
                    subject=subject, body=body, url=reverse("decision_detail", args=[decision.pk]),
                    unit_id=unit_id)
            for user in members.get(unit_id, []) if user.pk != by.user.pk
        ]  # fmt: skip
    notify(messages)
