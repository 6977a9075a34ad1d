"""Reorganisations as one operation: record the changes, preview what applying them does, apply them in one
transaction, undo them in one. Nothing is deleted by applying: units close (valid_to), earlier parents become
placements, earlier names become UnitName rows, lineage links predecessors to successors, memberships end and
new ones start, open nominations move to the successor — each audited. docs/reorganisations.md.

Dated writes (periods, lineage, memberships, placements) are written when the reorganisation is applied, even
ahead of its date; the writes that change today's picture (a unit's name, its parent, where open files sit) wait
for the effective date: applied at once when it has come, else by the daily `reorganisations_due` job."""

import datetime as dt
from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows import engine

from ..actor import Actor
from ..audit import audit_event, audit_record, audit_record_many
from ..models import (
    OPEN_STATUSES,
    AuditEvent,
    ChangeKind,
    LineageKind,
    MemberAction,
    Membership,
    Nomination,
    NominationAction,
    NominationStatus,
    Reorganisation,
    ReorganisationChange,
    ReorganisationStatus,
    Report,
    ReportStatus,
    Unit,
    UnitLineage,
    UnitName,
    UnitPlacement,
)
from ..permissions import role_allowed_in_unit_kind
from ..selectors.reorganisations import EXAMPLES, Summary, UnitFiles
from ..text import nfc
from .inheritance import inheritance_sync, inheritance_sync_units
from .org import unit_move_check

# Files still moving through their steps: they follow their unit to its successor.
IN_FLIGHT = (*OPEN_STATUSES, NominationStatus.AWAITING_DECISION)

_LINEAGE_KIND = {ChangeKind.MERGE: LineageKind.MERGED, ChangeKind.SPLIT: LineageKind.SPLIT}
_CLOSING = (ChangeKind.MERGE, ChangeKind.SPLIT, ChangeKind.CLOSE)


def _day(date: dt.date) -> str:
    return date.strftime("%d/%m/%Y")


# Recording ----------------------------------------------------------------------------------------------


@transaction.atomic
def reorganisation_create(
    *, by: Actor | None, title: str, effective_on: dt.date, legal_basis: str, source: str = "", note: str = ""
) -> Reorganisation:
    reorganisation = Reorganisation(
        title=nfc(title).strip(), effective_on=effective_on, legal_basis=nfc(legal_basis).strip(),
        source=nfc(source).strip(), note=nfc(note).strip(),
    )  # fmt: skip
    reorganisation.full_clean()
    reorganisation.save()
    audit_record(actor=by, action="reorganisation_created", obj=reorganisation, unit=None)
    return reorganisation


def _draft_only(reorganisation: Reorganisation) -> None:
    if Reorganisation.objects.filter(pk=reorganisation.pk, status=ReorganisationStatus.APPLIED).exists():
        raise ValidationError(_("This reorganisation has been applied: undo it before changing it."))


@transaction.atomic
def change_add(
    *,
    by: Actor | None,
    reorganisation: Reorganisation,
    kind: str,
    predecessors,
    successors=(),
    new_name: str = "",
    new_short_name: str = "",
    new_parent: Unit | None = None,
    members: str = MemberAction.MOVE,
    files_to: Unit | None = None,
) -> ReorganisationChange:
    """Add one change to a draft. Its consistency is checked by the preview, against the whole reorganisation."""
    _draft_only(reorganisation)
    change = ReorganisationChange(
        reorganisation=reorganisation, kind=kind, position=reorganisation.changes.count() + 1,
        new_name=" ".join(nfc(new_name).split()), new_short_name=" ".join(nfc(new_short_name).split()),
        new_parent=new_parent, members=members, files_to=files_to,
    )  # fmt: skip
    change.full_clean()
    change.save()
    change.predecessors.set(predecessors)
    change.successors.set(successors)
    audit_record(actor=by, action="reorganisation_changed", obj=reorganisation, unit=None,
                 detail={"change": change.pk, "kind": kind})  # fmt: skip
    return change


# The preview ---------------------------------------------------------------------------------------------


class Preview(Summary):
    """What applying a draft would do, and every reason it would be refused (`problems`)."""


def _changes(reorganisation: Reorganisation) -> list[ReorganisationChange]:
    return list(
        reorganisation.changes.select_related("new_parent", "files_to").prefetch_related("predecessors", "successors")
    )


def _shape_problems(change: ReorganisationChange, before: list[Unit], after: list[Unit]) -> list[str]:
    label = f"{change.position}. {change.get_kind_display()}"
    need = {
        ChangeKind.MERGE: (len(before) >= 1 and len(after) == 1, _("name the units merged and exactly one successor")),
        ChangeKind.SPLIT: (len(before) == 1 and len(after) >= 2, _("name one unit and at least two successors")),
        ChangeKind.RENAME: (len(before) == 1 and not after and bool(change.new_name),
                            _("name one unit, no successor, and its new name")),
        ChangeKind.MOVE: (len(before) == 1 and not after and change.new_parent_id is not None,
                          _("name one unit, no successor, and its new parent")),
        ChangeKind.CLOSE: (len(before) == 1 and not after, _("name one unit and no successor")),
    }  # fmt: skip
    good, words = need[change.kind]
    problems = [] if good else [_("Change %(change)s: %(need)s.") % {"change": label, "need": words}]
    if change.kind == ChangeKind.SPLIT and change.files_to_id not in {u.pk for u in after}:
        problems.append(
            _("Change %(change)s: choose which of the successors continues the open files and receives the members.")
            % {"change": label}
        )
    if change.kind == ChangeKind.RENAME and before and change.new_name == before[0].name:
        problems.append(_("Change %(change)s: the new name is the unit's current name.") % {"change": label})
    if change.kind == ChangeKind.MOVE and before and change.new_parent_id is not None:
        unit = before[0]
        ancestor, seen = change.new_parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if ancestor.pk == unit.pk:
                problems.append(_("Change %(change)s: a unit cannot be placed under itself or its own sub-units.")
                                % {"change": label})  # fmt: skip
                break
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
        if change.new_parent_id == unit.parent_id:
            problems.append(_("Change %(change)s: the unit is already under that parent.") % {"change": label})
    return problems


def _later_reorganisations(reorganisation: Reorganisation, unit_ids: set[int]):
    """Applied reorganisations on or after this one's date touching any of these units."""
    touching = Q(changes__predecessors__in=unit_ids) | Q(changes__successors__in=unit_ids)
    return (
        Reorganisation.objects.filter(
            status=ReorganisationStatus.APPLIED, effective_on__gte=reorganisation.effective_on
        )
        .exclude(pk=reorganisation.pk)
        .filter(touching)
        .distinct()
    )


def reorganisation_preview(*, reorganisation: Reorganisation) -> Preview:
    """What applying would do, and why it would be refused. Reads only."""
    preview, day = Preview(reorganisation=reorganisation), reorganisation.effective_on
    last_day = day - dt.timedelta(days=1)
    changes = _changes(reorganisation)
    if not changes:
        preview.problems.append(_("The reorganisation has no change yet."))
    seen: Counter = Counter()
    touched: set[int] = set()
    for change in changes:
        before, after = list(change.predecessors.all()), list(change.successors.all())
        preview.problems += _shape_problems(change, before, after)
        for unit in before:
            seen[unit.pk] += 1
            touched.add(unit.pk)
            if not unit.is_valid_on(last_day if change.kind in _CLOSING else day):
                preview.problems.append(
                    _("%(unit)s is not open on %(date)s: it cannot be changed on that date.")
                    % {"unit": unit.name, "date": _day(last_day if change.kind in _CLOSING else day)}
                )
        for unit in after:
            touched.add(unit.pk)
            if not unit.is_valid_on(day):
                preview.problems.append(
                    _("%(unit)s is closed on %(date)s: a unit cannot be merged or split into it. Open it from "
                      "that date first.") % {"unit": unit.name, "date": _day(day)}
                )  # fmt: skip
            if unit.pk in {u.pk for u in before}:
                preview.problems.append(_("%(unit)s cannot be its own successor.") % {"unit": unit.name})
        if change.kind in _CLOSING:
            target = after[0] if change.kind == ChangeKind.MERGE and after else change.files_to
            for unit in before:
                preview.closed.append((unit, after, _LINEAGE_KIND.get(change.kind, "")))
                _members_preview(preview, change, unit, target, last_day)
                _files_preview(preview, unit, target, day)
        elif change.kind == ChangeKind.RENAME and before:
            preview.renamed.append((before[0], before[0].name, change.new_name))
        elif change.kind == ChangeKind.MOVE and before:
            preview.moved.append((before[0], before[0].parent, change.new_parent))
            try:
                unit_move_check(unit=before[0], since=day)
            except ValidationError as error:
                preview.problems += [f"{before[0].name}: {message}" for message in error.messages]
    for pk, count in seen.items():
        if count > 1:
            unit = Unit.objects.get(pk=pk)
            preview.problems.append(_("%(unit)s is named in more than one change.") % {"unit": unit.name})
    closing = {u.pk for u, _s, _k in preview.closed}
    leaving = closing | {u.pk for u, _o, _p in preview.moved}
    orphans = Unit.objects.valid_on(day).filter(parent_id__in=closing).exclude(pk__in=leaving).select_related("parent")
    for orphan in orphans[:EXAMPLES]:
        preview.problems.append(
            _("%(unit)s would be left under %(parent)s, which closes: merge, move or close it in this reorganisation.")
            % {"unit": orphan.name, "parent": orphan.parent.name}
        )
    for other in _later_reorganisations(reorganisation, touched):
        preview.problems.append(
            _("“%(other)s”, effective on %(date)s, already changes some of these units: overlapping "
              "reorganisations of the same unit are refused (undo it first, or date this one earlier).")
            % {"other": other.title, "date": _day(other.effective_on)}
        )  # fmt: skip
    return preview


def _members_preview(preview: Preview, change, unit: Unit, target: Unit | None, last_day: dt.date) -> None:
    members = list(
        Membership.objects.filter(unit=unit, is_active=True)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=last_day))
        .select_related("user", "unit")
    )
    for membership in members:
        if change.members == MemberAction.KEEP:
            continue
        if change.members == MemberAction.MOVE and target is not None and membership.acting_for_id is None:
            if not role_allowed_in_unit_kind(membership.role, target.kind):
                preview.problems.append(
                    _("%(user)s's role “%(role)s” cannot be held in %(unit)s: end it instead, or grant another "
                      "role after applying.")
                    % {"user": membership.user.display_name, "role": membership.get_role_display(), "unit": target.name}
                )  # fmt: skip
            preview.members_moved.append((membership, target))
        else:
            preview.members_ended.append(membership)


def _files_preview(preview: Preview, unit: Unit, target: Unit | None, day: dt.date) -> None:
    in_flight = Nomination.objects.filter(unit=unit, status__in=IN_FLIGHT)
    count = in_flight.count()
    if count:
        files = UnitFiles(unit=unit, to=target, nominations=count)
        files.examples = list(in_flight.select_related("campaign").order_by("campaign_id", "pk")[:EXAMPLES])
        preview.files.append(files)
        if target is None:
            preview.problems.append(
                _("%(unit)s still has %(count)s open nomination(s) and no successor to continue them: finish or "
                  "withdraw them first, or merge the unit instead of closing it.") % {"unit": unit.name, "count": count}
            )  # fmt: skip
    open_reports = Report.objects.filter(unit=unit).exclude(status=ReportStatus.ACCEPTED).select_related("campaign")
    for report in open_reports:
        if report.campaign.reference_date >= day:
            preview.problems.append(
                _("%(unit)s has an open report in “%(campaign)s”, whose reference date (%(date)s) is on or after "
                  "this reorganisation: the unit no longer takes part in it then. Close that report first.")
                % {"unit": unit.name, "campaign": report.campaign.title, "date": _day(report.campaign.reference_date)}
            )  # fmt: skip
        else:
            preview.reports_left.append(report)


# Applying ------------------------------------------------------------------------------------------------


def _refuse(preview: Preview) -> None:
    if not preview.ok:
        raise ValidationError(preview.problems)


@transaction.atomic
def reorganisation_apply(*, by: Actor | None, reorganisation: Reorganisation) -> Reorganisation:
    """Apply a draft: everything the preview lists, in one transaction, or nothing."""
    reorganisation = Reorganisation.objects.select_for_update().get(pk=reorganisation.pk)
    _draft_only(reorganisation)
    preview = reorganisation_preview(reorganisation=reorganisation)
    _refuse(preview)
    day = reorganisation.effective_on
    last_day = day - dt.timedelta(days=1)
    record = {"closed": {}, "ended": {}, "created": [], "due": False}
    basis = reorganisation.legal_basis[:255]
    for change in _changes(reorganisation):
        after = list(change.successors.all())
        if change.kind not in _CLOSING:
            continue
        for unit in change.predecessors.all():
            record["closed"][str(unit.pk)] = unit.valid_to.isoformat() if unit.valid_to else None
            unit.valid_to = last_day
            unit.full_clean()
            unit.save(update_fields=["valid_to"])
            for successor in after:
                UnitLineage.objects.create(
                    predecessor=unit, successor=successor, kind=_LINEAGE_KIND[change.kind], effective_on=day,
                    note=basis, reorganisation=reorganisation,
                )  # fmt: skip
    for membership, target in preview.members_moved:
        _membership_end(by, reorganisation, record, membership, last_day)
        created = Membership.objects.create(
            user=membership.user, unit=target, role=membership.role, title=membership.title, valid_from=day,
            valid_to=membership.valid_to if membership.valid_to and membership.valid_to > day else None,
        )  # fmt: skip
        audit_record(actor=by, action="membership_granted", obj=created, unit=target, to_state="active",
                     detail={"reorganisation": reorganisation.pk, "moved_from": membership.pk})  # fmt: skip
        record["created"].append(created.pk)
    for membership in preview.members_ended:
        _membership_end(by, reorganisation, record, membership, last_day)
    reorganisation.status = ReorganisationStatus.APPLIED
    reorganisation.applied_at = timezone.now()
    reorganisation.applied_by = by.user if by else None
    reorganisation.record = record
    reorganisation.save()
    audit_record(
        actor=by, action="reorganisation_applied", obj=reorganisation, unit=None, to_state="applied",
        detail={"effective_on": day.isoformat(), "closed": [u.code for u, _s, _k in preview.closed],
                "renamed": [u.code for u, _o, _n in preview.renamed], "moved": [u.code for u, _o, _p in preview.moved],
                "members_moved": len(preview.members_moved), "members_ended": len(preview.members_ended)},
    )  # fmt: skip
    if day <= timezone.localdate():
        reorganisation_due_apply(by=by, reorganisation=reorganisation)
    inheritance_sync_units(unit_ids=_successor_ids(reorganisation))
    return reorganisation


def _membership_end(by, reorganisation, record: dict, membership: Membership, last_day: dt.date) -> None:
    record["ended"][str(membership.pk)] = membership.valid_to.isoformat() if membership.valid_to else None
    membership.valid_to = max(last_day, membership.valid_from) if membership.valid_from else last_day
    membership.save(update_fields=["valid_to"])
    audit_record(actor=by, action="membership_ended", obj=membership, unit=membership.unit, to_state="ended",
                 detail={"reorganisation": reorganisation.pk})  # fmt: skip


def _successor_ids(reorganisation: Reorganisation) -> set[int]:
    ids = set(UnitLineage.objects.filter(reorganisation=reorganisation).values_list("successor_id", flat=True))
    ids |= set(Membership.objects.filter(pk__in=reorganisation.record.get("created", [])).values_list("unit_id",
                                                                                                    flat=True))  # fmt: skip
    return ids


@transaction.atomic
def reorganisation_due_apply(*, by: Actor | None, reorganisation: Reorganisation) -> bool:
    """The writes that wait for the effective date: names, parents, open files. Once per reorganisation."""
    reorganisation = Reorganisation.objects.select_for_update().get(pk=reorganisation.pk)
    record = reorganisation.record
    if reorganisation.status != ReorganisationStatus.APPLIED or record.get("due"):
        return False
    day = reorganisation.effective_on
    last_day = day - dt.timedelta(days=1)
    record.update(renamed=[], moved=[], nominations=[])
    for change in _changes(reorganisation):
        before = list(change.predecessors.all())
        if change.kind == ChangeKind.RENAME:
            unit = before[0]
            UnitName.objects.create(unit=unit, name=unit.name, short_name=unit.short_name, until=last_day,
                                    reorganisation=reorganisation)  # fmt: skip
            record["renamed"].append(unit.pk)
            unit.name, unit.short_name = change.new_name, change.new_short_name or unit.short_name
            unit.full_clean()
            unit.save()
        elif change.kind == ChangeKind.MOVE:
            unit = before[0]
            UnitPlacement.objects.create(unit=unit, parent_id=unit.parent_id, until=last_day,
                                         note=reorganisation.legal_basis[:255], reorganisation=reorganisation)  # fmt: skip
            record["moved"].append(unit.pk)
            unit.parent = change.new_parent
            unit.full_clean()
            unit.save(update_fields=["parent"])
        elif change.kind in (ChangeKind.MERGE, ChangeKind.SPLIT):
            after = list(change.successors.all())
            target = after[0] if change.kind == ChangeKind.MERGE else change.files_to
            for unit in before:
                record["nominations"] += _nominations_move(by, reorganisation, unit, target)
    record["due"] = True
    reorganisation.record = record
    reorganisation.save(update_fields=["record"])
    if record["nominations"]:
        audit_record(actor=by, action="reorganisation_files_moved", obj=reorganisation, unit=None,
                     detail={"nominations": len(record["nominations"])})  # fmt: skip
    return True


def _nominations_move(by, reorganisation, unit: Unit, target: Unit) -> list[list]:
    """Move a closing unit's files in flight to its successor: a few statements whatever their number."""
    rows = list(
        Nomination.objects.select_for_update().filter(unit=unit, status__in=IN_FLIGHT).order_by("pk")
        .values_list("pk", "holder_id")
    )  # fmt: skip
    detail = {"from": unit.code, "to": target.code, "reorganisation": reorganisation.pk}
    _nominations_relink(by, rows=[(pk, holder == unit.pk) for pk, holder in rows], from_id=unit.pk, to=target,
                        detail=detail)  # fmt: skip
    return [[pk, unit.pk, target.pk, holder == unit.pk] for pk, holder in rows]


def _nominations_relink(by, *, rows: list[tuple[int, bool]], from_id: int, to: Unit, detail: dict) -> None:
    """Nominations (id, whether their unit held them) of unit `from_id` become `to`'s, with their processes;
    one `nomination_moved` audit row each."""
    ids = [pk for pk, _held in rows]
    if not ids:
        return
    Nomination.objects.filter(pk__in=ids).update(unit=to)
    Nomination.objects.filter(pk__in=[pk for pk, held in rows if held], holder_id=from_id).update(holder=to)
    engine.nominations_unit_moved(nomination_ids=ids, from_unit_id=from_id, to_unit_id=to.pk)
    audit_record_many([
        audit_event(actor=by, action="nomination_moved", object_type="nomination", object_id=str(pk), unit=to,
                    detail=detail)
        for pk in ids
    ])  # fmt: skip


def reorganisations_due(*, on: dt.date | None = None) -> dict:
    """The daily job: applied reorganisations whose date has come do their waiting writes."""
    day = on or timezone.localdate()
    done = 0
    for reorganisation in Reorganisation.objects.filter(status=ReorganisationStatus.APPLIED, effective_on__lte=day):
        if not reorganisation.record.get("due"):
            done += reorganisation_due_apply(by=None, reorganisation=reorganisation)
    return {"applied": done}


# Undoing -------------------------------------------------------------------------------------------------


def undo_problems(*, reorganisation: Reorganisation) -> list[str]:
    """Why undoing would be refused; empty when it can be undone completely."""
    if reorganisation.status != ReorganisationStatus.APPLIED:
        return [_("Only an applied reorganisation can be undone.")]
    problems = []
    touched = set(UnitLineage.objects.filter(reorganisation=reorganisation).values_list("predecessor_id", flat=True))
    touched |= {int(pk) for pk in reorganisation.record.get("closed", {})}
    touched |= set(reorganisation.record.get("renamed", [])) | set(reorganisation.record.get("moved", []))
    for change in _changes(reorganisation):
        touched |= {u.pk for u in change.predecessors.all()} | {u.pk for u in change.successors.all()}
    for later in _later_reorganisations(reorganisation, touched).filter(applied_at__gt=reorganisation.applied_at):
        problems.append(
            _("“%(other)s” was applied later to some of the same units: undo it first.") % {"other": later.title}
        )
    moved = reorganisation.record.get("nominations", [])
    if moved:
        ids = [row[0] for row in moved]
        acted = NominationAction.objects.filter(nomination_id__in=ids, at__gt=reorganisation.applied_at)
        acted_ids = set(acted.values_list("nomination_id", flat=True))
        where = dict(Nomination.objects.filter(pk__in=ids).values_list("pk", "unit_id"))
        acted_ids |= {pk for pk, _from, to, _h in moved if where.get(pk) != to}
        if acted_ids:
            problems.append(
                _("The successors have already worked on %(count)s of the files this reorganisation moved (e.g. "
                  "nomination #%(first)s): undoing would take that work back. Undo is refused; correct the structure "
                  "with a new reorganisation instead.") % {"count": len(acted_ids), "first": min(acted_ids)}
            )  # fmt: skip
    created = reorganisation.record.get("created", [])
    used_ids = AuditEvent.objects.filter(membership_id__in=created).values("membership_id")
    used = Membership.objects.filter(pk__in=used_ids)
    for membership in used.select_related("user", "unit")[:EXAMPLES]:
        problems.append(
            _("%(user)s has already worked as a member of %(unit)s: undoing would take that role back. Undo is "
              "refused; end the role instead.") % {"user": membership.user.display_name, "unit": membership.unit.name}
        )  # fmt: skip
    return problems


@transaction.atomic
def reorganisation_undo(*, by: Actor | None, reorganisation: Reorganisation) -> Reorganisation:
    """Reverse everything applying did, or nothing (refused with the reasons)."""
    reorganisation = Reorganisation.objects.select_for_update().get(pk=reorganisation.pk)
    problems = undo_problems(reorganisation=reorganisation)
    if problems:
        raise ValidationError(problems)
    record = reorganisation.record
    successors = _successor_ids(reorganisation)
    back: dict[tuple[int, int], list[tuple[int, bool]]] = defaultdict(list)
    for pk, from_id, to_id, holder_moved in record.get("nominations", []):
        back[(to_id, from_id)].append((pk, holder_moved))
    units = Unit.objects.in_bulk({from_id for _to, from_id in back})
    for (to_id, from_id), rows in back.items():
        list(Nomination.objects.select_for_update().filter(pk__in=[pk for pk, _h in rows]).values_list("pk"))
        _nominations_relink(by, rows=rows, from_id=to_id, to=units[from_id], detail={"undo": reorganisation.pk})
    for name in UnitName.objects.filter(reorganisation=reorganisation).select_related("unit"):
        unit = name.unit
        unit.name, unit.short_name = name.name, name.short_name
        unit.save()
        name.delete()
    for placement in UnitPlacement.objects.filter(reorganisation=reorganisation).select_related("unit"):
        unit = placement.unit
        unit.parent_id = placement.parent_id
        unit.save(update_fields=["parent"])
        placement.delete()
    UnitLineage.objects.filter(reorganisation=reorganisation).delete()
    for pk, valid_to in record.get("closed", {}).items():
        Unit.objects.filter(pk=int(pk)).update(valid_to=dt.date.fromisoformat(valid_to) if valid_to else None)
    created = Membership.objects.filter(pk__in=record.get("created", []))
    users = {m.user for m in created.select_related("user")}
    # Never deleted: a role created by the reorganisation and never used is switched off.
    created.update(is_active=False)
    for pk, valid_to in record.get("ended", {}).items():
        Membership.objects.filter(pk=int(pk)).update(valid_to=dt.date.fromisoformat(valid_to) if valid_to else None)
    users |= {m.user for m in Membership.objects.filter(pk__in=[int(pk) for pk in record.get("ended", {})])}
    reorganisation.status = ReorganisationStatus.UNDONE
    reorganisation.undone_at = timezone.now()
    reorganisation.save(update_fields=["status", "undone_at"])
    audit_record(actor=by, action="reorganisation_undone", obj=reorganisation, unit=None, from_state="applied",
                 to_state="undone", detail={"nominations": len(record.get("nominations", []))})  # fmt: skip
    inheritance_sync(users=users)
    inheritance_sync_units(unit_ids=successors)
    return reorganisation
