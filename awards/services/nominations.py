"""Nominations: prepare, send up in a dossier, act at each step, hand off between agencies, withdraw.

Every function checks who acts (the step's role and unit are data: `AwardStep`), validates, writes in a
transaction, records the step's outcome (`NominationAction`) and an audit row, and moves the
nomination's viewflow process through `workflows.engine`. The nomination row is locked first, so two
reviewers acting on one task at once cannot both win: the second sees that the step has moved on.
"""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q, Sum, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows import engine

from .. import identity, uploads
from ..actor import Actor
from ..audit import audit_event, audit_record, audit_record_many
from ..calendar import add_working_days, working_days_between
from ..documents import certificate
from ..models import (
    HANDLED_OUTCOMES,
    LIVE_STATUSES,
    ROUTE_STEPS,
    UNIT_STEPS,
    AuditEvent,
    AwardStep,
    AwardType,
    Campaign,
    CampaignAwardType,
    Dossier,
    HandOff,
    LatenessTally,
    Membership,
    Nomination,
    NominationAction,
    NominationFile,
    NominationFileKind,
    NominationStatus,
    NomineeKind,
    Outcome,
    Route,
    Step,
    Unit,
    User,
)
from ..permissions import (
    Cap,
    block_problem,
    evidence_expected,
    in_draft_decision,
    is_nominating_drafter,
    is_nominating_head,
    may_act,
    may_block,
    may_edit,
    may_lift_block,
    may_remove_file,
    may_resubmit,
    may_take,
    may_withdraw,
    nomination_problems,
    quota_of,
    quota_used,
    step_rule,
)
from ..selectors.legal_bases import bases_in_force
from ..text import nfc
from . import announcements, documents

# Where approving passes the nominations on with the sender's own tờ trình: to the next agency, or (the
# Giấy khen route) from the police's appraising office to its director, whose decision cites it.
HANDOFF_STEPS = {
    (Route.DIRECTOR, Step.POLICE_APPRAISAL),
    (Route.CHAIRMAN, Step.POLICE_APPRAISAL),
    (Route.CHAIRMAN, Step.HOME_AFFAIRS_APPRAISAL),
    (Route.MINISTRY, Step.POLICE_APPRAISAL),
    (Route.MINISTRY, Step.MINISTRY_FORWARD),
}
FILE_UPLOAD_KIND = {
    NominationFileKind.MINUTES: uploads.UploadKind.SCAN,
    NominationFileKind.ACHIEVEMENT: uploads.UploadKind.SUPPORTING,
    NominationFileKind.SUPPORTING: uploads.UploadKind.SUPPORTING,
}
NOMINEE_FIELDS = (
    "name", "parent_unit", "women_percent", "gender", "birth_date", "position", "workplace", "id_number",
    "achievement", "achievement_text",
)  # fmt: skip


# Award types ------------------------------------------------------------------------------------


@transaction.atomic
def award_type_ensure(
    *,
    by: Actor | None,
    code: str,
    name: str,
    authority: str,
    route: str,
    steps: Sequence[tuple[str, str, Unit | None, int | None]],
    deciding_unit: Unit | None = None,
    accepts_collectives: bool = True,
    accepts_individuals: bool = True,
    position: int = 0,
) -> AwardType:
    """Create or update a tier and its step rules (step, role, acting unit or None, working days)."""
    missing = set(ROUTE_STEPS[route]) - {step for step, *_rest in steps}
    if missing:
        raise ValidationError(
            _("Every step of the route needs a role: %(steps)s.") % {"steps": ", ".join(sorted(missing))}
        )
    award_type, _created = AwardType.objects.update_or_create(
        code=code,
        defaults={
            "name": nfc(name), "authority": nfc(authority), "route": route, "deciding_unit": deciding_unit,
            "accepts_collectives": accepts_collectives, "accepts_individuals": accepts_individuals,
            "position": position,
        },
    )  # fmt: skip
    for step, role, unit, days in steps:
        AwardStep.objects.update_or_create(
            award_type=award_type, step=step, defaults={"role": role, "unit": unit, "time_limit_days": days}
        )
    audit_record(actor=by, action="award_type_saved", obj=award_type)
    return award_type


def campaign_offer(*, by: Actor | None, campaign: Campaign, award_types: Iterable[AwardType]) -> None:
    award_types = list(award_types)
    for award_type in award_types:
        CampaignAwardType.objects.get_or_create(campaign=campaign, award_type=award_type)
    audit_record(
        actor=by, action="campaign_updated", obj=campaign, detail={"award_types": [a.code for a in award_types]}
    )


# Who acts -------------------------------------------------------------------------------------------


def step_due(nomination: Nomination, *, since: dt.datetime) -> dt.date | None:
    """The last day of the current step's limit, counted in working days from the day it arrived."""
    if nomination.status in (NominationStatus.REJECTED, NominationStatus.WITHDRAWN) or nomination.step in UNIT_STEPS:
        return None  # the unit's own steps run to the campaign's nomination deadline instead
    rule = AwardStep.objects.filter(award_type_id=nomination.award_type_id, step=nomination.step).first()
    if rule is None or not rule.time_limit_days:
        return None
    return add_working_days(timezone.localdate(since), rule.time_limit_days)


def step_holder(nomination: Nomination, step: str) -> Unit:
    """The unit holding a nomination at a step: the step rule's unit, or the nominating unit."""
    rule = step_rule(nomination, step)
    return rule.unit or nomination.unit


@transaction.atomic
def nomination_claim(*, by: Actor, nomination: Nomination, to: User | None = None) -> Nomination:
    """Take the step (or give it to a colleague with the same role in the unit). Audited with both names."""
    nomination = _lock(nomination)
    if not may_take(by, nomination):
        raise PermissionDenied
    user = to or (by.on_behalf_of or by.user)
    if to is not None:
        colleague = Membership.objects.valid_on(timezone.localdate()).filter(
            user=to, unit_id=nomination.holder_id, role=step_rule(nomination, nomination.step).role
        )
        if not colleague.exists():
            raise ValidationError({"to": _("This person does not hold the role for this step in your unit.")})
    before = nomination.assignee
    nomination.assignee = user
    nomination.save(update_fields=["assignee"])
    event = audit_record(actor=by, action="nomination_assigned", obj=nomination, unit=nomination.unit,
                         detail={"step": nomination.step, "from": before.pk if before else None,
                                 "to": user.pk})  # fmt: skip
    if to is not None:
        announcements.nomination_assigned(nomination, to=user, by=by, key=f"assigned:{event.pk}")
    return nomination


def _lock(nomination: Nomination) -> Nomination:
    return (
        Nomination.objects.select_for_update(of=("self",))  # the nomination only, not its campaign, tier or unit
        .select_related("award_type", "campaign", "unit")
        .get(pk=nomination.pk)
    )


def _lock_all(nominations: Iterable[Nomination]) -> None:
    """Lock every nomination of a batch first, in one order (by id), before acting on any: a batch then
    takes its officer's lateness tally only after all its nomination locks, so two overlapping batches
    queue instead of deadlocking (nomination, tally, next nomination)."""
    ids = sorted({n.pk for n in nominations})
    list(Nomination.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def _moved_on() -> ValidationError:
    return ValidationError(
        _("Someone else has already acted on this nomination; it has moved on. Reload the page to see where it is."),
        code="moved_on",
    )


# Evidence -----------------------------------------------------------------------------------------


def _pin_evidence(nomination: Nomination) -> None:
    nomination.cites_consolidation, nomination.evidence_report, nomination.evidence_version = evidence_expected(
        nomination
    )


def evidence_is_outdated(nomination: Nomination) -> bool:
    """The pinned version is no longer the report's latest: it was reopened after the nomination pinned it."""
    report = nomination.evidence_report
    return bool(
        report and nomination.evidence_version_id and report.current_version_id != nomination.evidence_version_id
    )


# Preparing -----------------------------------------------------------------------------------------


MULTILINE_FIELDS = ("achievement_text",)


def _clean_nominee(*, award_type: AwardType, kind: str, data: dict) -> dict:
    errors: dict[str, list] = {}
    if kind not in NomineeKind.values:
        raise ValidationError({"kind": _("Choose a collective or an individual.")})
    if not award_type.accepts(kind):
        errors["kind"] = [
            _("%(award)s is not given to a %(kind)s.")
            % {"award": award_type.name, "kind": NomineeKind(kind).label.lower()}
        ]
    # One-line fields (name, position, workplace, achievement…) are printed: NFC with single spaces.
    data = {k: (nfc(v).strip() if k in MULTILINE_FIELDS else " ".join(nfc(v).split())) if isinstance(v, str) else v
            for k, v in data.items()}  # fmt: skip
    for field in ("name", "achievement"):
        if not data.get(field):
            errors.setdefault(field, []).append(_("This field is required."))
    if kind == NomineeKind.INDIVIDUAL:
        for field in ("gender", "birth_date", "position", "workplace"):
            if not data.get(field):
                errors.setdefault(field, []).append(_("This field is required."))
        data["id_number"] = identity.normalise_id_number(data.get("id_number"))
        try:
            identity.check_birth_date(data.get("birth_date"), today=timezone.localdate())
        except ValidationError as error:
            errors.setdefault("birth_date", []).extend(error.messages)
        try:
            identity.check_id_number(
                number=data["id_number"], gender=data.get("gender"), birth_date=data.get("birth_date")
            )
        except ValidationError as error:
            errors.setdefault("id_number", []).extend(error.messages)
        data["parent_unit"], data["women_percent"] = None, None
    else:
        if not data.get("parent_unit"):
            errors.setdefault("parent_unit", []).append(_("This field is required."))
        women = data.get("women_percent")
        if women is not None and not 0 <= women <= 100:
            errors.setdefault("women_percent", []).append(_("Enter a share between 0 and 100."))
        for field in ("gender", "position", "workplace", "id_number"):
            data[field] = ""
        data["birth_date"] = None
    if errors:
        raise ValidationError(errors)
    return data


def nominee_check(*, award_type: AwardType, kind: str, data: dict) -> dict:
    """The nominee's fields cleaned as a new nomination would store them, or the ValidationError (by field) that
    creating it would raise: what an import's preview shows beside each row before anything is created."""
    return _clean_nominee(award_type=award_type, kind=kind, data=data)


@transaction.atomic
def nomination_create(
    *, by: Actor, campaign: Campaign, award_type: AwardType, kind: str, at: dt.datetime | None = None,
    import_id: int | None = None, **fields,
) -> Nomination:  # fmt: skip
    """A new nomination, with the unit. `at` is when it was made (now; the demo replays 2024); `import_id` the
    spreadsheet import it comes from (its audit row says so)."""
    if not by.can(Cap.DRAFT_NOMINATION) or by.unit is None:
        raise PermissionDenied
    if not campaign.award_types.filter(pk=award_type.pk).exists():
        raise ValidationError({"award_type": _("This campaign does not offer this award.")})
    unknown = set(fields) - set(NOMINEE_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    data = _clean_nominee(award_type=award_type, kind=kind, data=fields)
    made = at or timezone.now()
    nomination = Nomination(
        campaign=campaign, unit=by.unit, award_type=award_type, kind=kind, holder=by.unit, created_by=by.user,
        created_at=made, updated_at=made, held_since=made, **data,
    )  # fmt: skip
    _pin_evidence(nomination)
    nomination.save()
    engine.nomination_start(nomination=nomination)
    _record(by=by, nomination=nomination, step=Step.PREPARE, outcome=Outcome.CREATED, at=made)
    audit_record(actor=by, action="nomination_created", obj=nomination, unit=by.unit, to_state=nomination.status,
                 detail={"import": import_id} if import_id else None)  # fmt: skip
    return nomination


@transaction.atomic
def nominations_create_many(
    *, by: Actor, campaign: Campaign, award_type: AwardType, rows: Sequence[dict], import_id: int | None = None,
    at: dt.datetime | None = None,
) -> list[Nomination | ValidationError]:  # fmt: skip
    """`nomination_create` for many rows at once (a spreadsheet import): each row a dict of `kind` and the nominee's
    fields. The same checks, stored fields, evidence, viewflow rows, step record and audit row as one call per row
    (tests/test_nominations_bulk.py compares them column by column), written with a few INSERTs per 500 rows.
    Returns, in the rows' order, each row's nomination or the ValidationError (by field) that refused it."""
    if not by.can(Cap.DRAFT_NOMINATION) or by.unit is None:
        raise PermissionDenied
    if not campaign.award_types.filter(pk=award_type.pk).exists():
        raise ValidationError({"award_type": _("This campaign does not offer this award.")})
    made = at or timezone.now()
    results: list[Nomination | ValidationError] = []
    created: list[Nomination] = []
    evidence: dict[int, tuple] = {}  # the nominee's unit -> what _pin_evidence pins: one look-up per unit
    for row in rows:
        fields = dict(row)
        kind = fields.pop("kind")
        unknown = set(fields) - set(NOMINEE_FIELDS)
        if unknown:
            raise ValueError(f"unknown fields: {sorted(unknown)}")
        try:
            data = _clean_nominee(award_type=award_type, kind=kind, data=fields)
        except ValidationError as problem:
            results.append(problem)
            continue
        nomination = Nomination(
            campaign=campaign, unit=by.unit, award_type=award_type, kind=kind, holder=by.unit, created_by=by.user,
            created_at=made, updated_at=made, held_since=made, **data,
        )  # fmt: skip
        covered = (nomination.parent_unit or nomination.unit).pk  # permissions.nominee_unit
        if covered not in evidence:
            _pin_evidence(nomination)
            evidence[covered] = (nomination.cites_consolidation, nomination.evidence_report,
                                 nomination.evidence_version)  # fmt: skip
        nomination.cites_consolidation, nomination.evidence_report, nomination.evidence_version = evidence[covered]
        nomination.set_keys()  # what Nomination.save() does, which bulk_create skips
        created.append(nomination)
        results.append(nomination)
    if not created:
        return results
    Nomination.objects.bulk_create(created, batch_size=engine.BULK)
    engine.nominations_start_many(nominations=created)
    NominationAction.objects.bulk_create(
        [_action(by=by, nomination=n, step=Step.PREPARE, outcome=Outcome.CREATED, at=made) for n in created],
        batch_size=engine.BULK,
    )
    detail = {"import": import_id} if import_id else None
    audit_record_many([audit_event(actor=by, action="nomination_created", obj=n, unit=by.unit, to_state=n.status,
                                   detail=detail) for n in created])  # fmt: skip
    return results


@transaction.atomic
def nomination_update(*, by: Actor, nomination: Nomination, **fields) -> Nomination:
    nomination = _lock(nomination)
    if not is_nominating_drafter(by, nomination):
        raise PermissionDenied
    if nomination.step not in UNIT_STEPS or nomination.status not in (
        NominationStatus.DRAFT,
        NominationStatus.RETURNED,
    ):
        raise _moved_on()
    unknown = set(fields) - set(NOMINEE_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    current = {f: getattr(nomination, f) for f in NOMINEE_FIELDS}
    data = _clean_nominee(award_type=nomination.award_type, kind=nomination.kind, data={**current, **fields})
    changed = {f: [str(current[f]), str(v)] for f, v in data.items() if current.get(f) != v}
    for field, value in data.items():
        setattr(nomination, field, value)
    _pin_evidence(nomination)
    nomination.updated_at = timezone.now()
    nomination.save()
    if changed:
        # the fields, not their values: those are the nominee's (docs/audit.md)
        audit_record(actor=by, action="nomination_updated", obj=nomination, unit=nomination.unit,
                     detail={"fields": sorted(changed)})  # fmt: skip
    return nomination


def achievement_check(nomination: Nomination) -> None:
    """The achievement line must print on the tier's certificate within three lines at 11 pt or larger."""
    layout = documents.certificate_layout(nomination.award_type)
    if layout.achievement is not None and not certificate.fits(nomination.achievement, layout.achievement):
        raise ValidationError(
            {"achievement": _("The achievement line is too long for the certificate (at most %(lines)d lines at "
                              "%(size)d pt): shorten it before approving.")
             % {"lines": certificate.ACHIEVEMENT_LINES, "size": certificate.ACHIEVEMENT_MIN_PT}},
            code="achievement_too_long",
        )  # fmt: skip


@transaction.atomic
def nomination_achievement_edit(*, by: Actor, nomination: Nomination, achievement: str) -> Nomination:
    """The agency holding the nomination edits its achievement line before the decision (audited)."""
    nomination = _lock(nomination)
    if nomination.step in UNIT_STEPS or not may_act(by, nomination):
        raise PermissionDenied
    if nomination.status not in (NominationStatus.IN_REVIEW, NominationStatus.RETURNED):
        raise _moved_on()
    before, nomination.achievement = nomination.achievement, " ".join(nfc(achievement).split())
    if not nomination.achievement:
        raise ValidationError({"achievement": _("The achievement line is required.")})
    limit = Nomination._meta.get_field("achievement").max_length
    if len(nomination.achievement) > limit:
        raise ValidationError({"achievement": _("At most %(limit)d characters.") % {"limit": limit}})
    achievement_check(nomination)
    nomination.save(update_fields=["achievement"])
    audit_record(actor=by, action="nomination_achievement_edited", obj=nomination, unit=nomination.unit,
                 detail={"from": before, "to": nomination.achievement})  # fmt: skip
    return nomination


@transaction.atomic
def nomination_block(*, by: Actor, nomination: Nomination, reason: str, until: dt.date | None, note: str = "") -> None:
    """Record that the nominee is under discipline review, investigation or a complaint, until a date or until lifted
    (an empty `reason` lifts it: `note` then says why, and is required)."""
    nomination = _lock(nomination)
    note = nfc(note).strip()
    if not reason:
        if not nomination.block_reason:
            if not may_block(by, nomination):
                raise PermissionDenied
            raise ValidationError(_("This nomination is not blocked."), code="not_blocked")
        if not may_lift_block(by, nomination):
            raise PermissionDenied
        if not note:
            raise ValidationError({"note": _("Say why the block is lifted (the conclusion reached).")})
        lifted = {"reason": nomination.block_reason, "until": _iso(nomination.block_until),
                  "recorded_by_unit": nomination.block_unit_id}  # fmt: skip
        nomination.block_reason, nomination.block_until, nomination.block_note = "", None, ""
        nomination.block_unit = nomination.block_by = None
        nomination.save(update_fields=["block_reason", "block_until", "block_note", "block_unit", "block_by"])
        audit_record(actor=by, action="nomination_unblocked", obj=nomination, unit=nomination.unit,
                     detail={**lifted, "why": note})  # fmt: skip
        return
    if not may_block(by, nomination):
        raise PermissionDenied
    nomination.block_reason, nomination.block_until, nomination.block_note = reason, until, note
    nomination.block_unit, nomination.block_by = by.unit, by.user
    nomination.save(update_fields=["block_reason", "block_until", "block_note", "block_unit", "block_by"])
    audit_record(actor=by, action="nomination_blocked", obj=nomination, unit=nomination.unit,
                 detail={"reason": reason, "until": _iso(until), "recorded_by_unit": by.unit.pk})  # fmt: skip


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def nomination_file_add(*, by: Actor, nomination: Nomination, uploaded_file, kind: str) -> NominationFile:
    with transaction.atomic():
        nomination = _lock(nomination)
        if nomination.step not in UNIT_STEPS or not is_nominating_drafter(by, nomination):
            raise PermissionDenied
        return _file_store(by=by, uploaded_file=uploaded_file, kind=kind, unit=nomination.unit, nomination=nomination)


def nomination_file_remove(*, by: Actor, nomination: Nomination, file_pk: int) -> str | None:
    """Remove a file not yet sent with the nomination (audited with its fingerprint; the stored bytes stay,
    so the audit row still identifies them). None when it is already gone (a second click)."""
    with transaction.atomic():
        nomination = _lock(nomination)
        stored = nomination.files.filter(pk=file_pk).first()
        if stored is None:
            if not may_edit(by, nomination):
                raise PermissionDenied
            return None
        if not may_remove_file(by, nomination, stored):
            raise PermissionDenied
        # No file name in the audit: it may name the nominee.
        audit_record(actor=by, action="nomination_file_removed", obj=nomination, unit=nomination.unit,
                     detail={"file_id": stored.pk, "kind": stored.kind, "sha256": stored.sha256,
                             "size": stored.size})  # fmt: skip
        stored.delete()
        return stored.original_name


def _file_store(*, by: Actor, uploaded_file, kind: str, unit: Unit, **owner) -> NominationFile:
    if isinstance(uploaded_file, uploads.HeldUpload):  # validated and stored when an earlier send was refused
        stored, name = uploaded_file.stored, uploaded_file.original_name
    else:
        detected = uploads.validate_upload(uploaded_file=uploaded_file, kind=FILE_UPLOAD_KIND[kind])
        stored, name = uploads.store_upload(uploaded_file=uploaded_file, detected=detected), detected.original_name
    return NominationFile.objects.create(
        unit=unit, kind=kind, stored_path=stored.relative_path, sha256=stored.sha256, size=stored.size,
        content_type=stored.content_type, original_name=nfc(name)[:255], uploaded_by=by.user, **owner,
    )  # fmt: skip


def minutes_hold(*, by: Actor, uploaded_file) -> uploads.HeldUpload:
    """Keep the council's minutes of a send that was refused, so the head does not choose the file again."""
    return uploads.hold_upload(uploaded_file=uploaded_file, kind=FILE_UPLOAD_KIND[NominationFileKind.MINUTES],
                               user_id=by.user.pk)  # fmt: skip


def minutes_held(*, by: Actor, token: str) -> uploads.HeldUpload | None:
    return uploads.held_upload(token=token, kind=FILE_UPLOAD_KIND[NominationFileKind.MINUTES], user_id=by.user.pk)


# Rules at sending up --------------------------------------------------------------------------------


def nomination_duplicates(nomination: Nomination) -> list[Nomination]:
    """Other live nominations of the same nominee in the campaign, in any unit and tier."""
    same = Q(kind=nomination.kind)
    if nomination.kind == NomineeKind.INDIVIDUAL:
        match = Q(name_key=nomination.name_key, birth_date=nomination.birth_date)
        if nomination.id_number:
            match |= Q(id_number=nomination.id_number)
    else:
        match = Q(name_key=nomination.name_key, parent_unit=nomination.parent_unit_id)
    return list(
        Nomination.objects.filter(same & match, campaign=nomination.campaign_id, status__in=LIVE_STATUSES)
        .exclude(pk=nomination.pk)
        .select_related("unit", "award_type")
    )


DUPLICATE_CHECKS_PER_HOUR = 20


def nomination_warnings(nomination: Nomination, *, by: Actor | None = None) -> list[str]:
    """What the nominating unit should know but may still send: the police reviewer decides.

    With `by`, each check is counted (and audited) and limited per user and hour, so that typing
    citizen IDs one after another cannot probe who other units have nominated."""
    if by is not None:
        since = timezone.now() - dt.timedelta(hours=1)
        checks = AuditEvent.objects.filter(actor=by.user, action="nomination_duplicate_checked", at__gte=since)
        if checks.count() >= DUPLICATE_CHECKS_PER_HOUR:
            return [_("Too many duplicate checks in the last hour: this one was not made. The police reviewer "
                      "still checks every nominee.")]  # fmt: skip
        audit_record(actor=by, action="nomination_duplicate_checked", obj=nomination, unit=nomination.unit)
    if not nomination.duplicate_override and nomination_duplicates(nomination):
        # Reveals nothing about the other nomination: another unit's nominee is not the sender's business.
        return [
            _("This nominee is already proposed in this campaign. One achievement, one award: the police "
              "reviewer will look at both.")
        ]  # fmt: skip
    return []


def _quota_check(*, unit: Unit, campaign: Campaign, award_type: AwardType, adding: int) -> None:
    quota = quota_of(unit=unit, campaign=campaign, award_type=award_type)
    if quota is None:
        return
    # One unit's dossiers are counted one at a time: two heads sending at once must not both fit under the limit.
    list(Unit.objects.select_for_update().filter(pk=unit.pk).values_list("pk", flat=True))
    sent = quota_used(unit=unit, campaign=campaign, award_type=award_type)
    if sent + adding > quota.limit:
        raise ValidationError(
            _("Your unit may propose at most %(limit)s for %(award)s in this campaign; %(sent)s already sent, "
              "%(adding)s more would exceed it.")
            % {"limit": quota.limit, "award": award_type.name, "sent": sent, "adding": adding},
            code="quota",
        )  # fmt: skip


# Sending up: the dossier --------------------------------------------------------------------------


@transaction.atomic
def dossier_submit(
    *,
    by: Actor,
    campaign: Campaign,
    award_type: AwardType,
    nominations: Sequence[Nomination],
    number: str,
    date: dt.date,
    signer: str,
    signer_title: str = "",
    council_members: int,
    council_present: int,
    votes_for: int,
    minutes,
    at: dt.datetime | None = None,
) -> Dossier:
    """The unit head sends nominations of one tier with the tờ trình and the council's minutes.
    `at` is the moment it was sent (now; the demo replays 2024)."""
    if not by.can(Cap.SUBMIT_NOMINATION) or by.unit is None:
        raise PermissionDenied
    errors: dict[str, list] = {}
    if minutes is None:
        errors["minutes"] = [_("Attach the minutes of the emulation and commendation council meeting.")]
    if not nominations:
        errors["nominations"] = [_("Choose at least one nomination.")]
    if council_present > council_members:
        errors["council_present"] = [_("More members present than the council has.")]
    if votes_for > council_present:
        errors["votes_for"] = [_("More votes in favour than members present.")]
    if not nfc(number).strip() or not nfc(signer).strip():
        errors.setdefault("number", []).append(_("Give the submission's number and its signer."))
    if errors:
        raise ValidationError(errors)
    locked = [_lock(n) for n in sorted(nominations, key=lambda n: n.pk)]
    problems: list[str] = []
    for nomination in locked:
        if nomination.unit_id != by.unit.pk or nomination.campaign_id != campaign.pk:
            raise PermissionDenied
        if nomination.award_type_id != award_type.pk:
            problems.append(_("%(name)s is proposed for another award.") % {"name": nomination.name})
        elif nomination.step not in UNIT_STEPS or nomination.status not in (
            NominationStatus.DRAFT,
            NominationStatus.RETURNED,
        ):
            problems.append(_("%(name)s has already been sent.") % {"name": nomination.name})
        else:
            _pin_evidence(nomination)
            problems.extend(f"{nomination.name}: {p}" for p in nomination_problems(nomination))
    if problems:
        raise ValidationError(problems, code="not_ready")
    _quota_check(unit=by.unit, campaign=campaign, award_type=award_type,
                 adding=sum(1 for n in locked if n.dossier_id is None))  # fmt: skip
    now = at or timezone.now()
    deadline = campaign.nomination_deadline
    late_days = (
        max(1, (timezone.localdate(now) - timezone.localdate(deadline)).days) if deadline and now > deadline else None
    )
    dossier = Dossier.objects.create(
        campaign=campaign, unit=by.unit, award_type=award_type, number=nfc(number).strip(), date=date,
        signer=nfc(signer).strip(), signer_title=nfc(signer_title).strip(), council_members=council_members,
        council_present=council_present, votes_for=votes_for, submitted_at=now, submitted_by=by.user,
        late_days=late_days,
    )  # fmt: skip
    _file_store(by=by, uploaded_file=minutes, kind=NominationFileKind.MINUTES, unit=by.unit, dossier=dossier)
    for nomination in locked:
        nomination.dossier = dossier
        if nomination.step == Step.PREPARE:
            _advance(by=by, nomination=nomination, outcome=Outcome.HANDED, record=False, at=now)
        _advance(by=by, nomination=nomination, outcome=Outcome.SENT, at=now)
    audit_record(actor=by, action="dossier_submitted", obj=dossier, unit=by.unit,
                 detail={"nominations": [n.pk for n in locked], "late_days": late_days})  # fmt: skip
    announcements.nominations_moved(locked, by=by)
    return dossier


@transaction.atomic
def nomination_prepared(*, by: Actor, nomination: Nomination, at: dt.datetime | None = None) -> Nomination:
    """The officer hands a prepared nomination to the unit head."""
    nomination = _lock(nomination)
    if nomination.step != Step.PREPARE:
        raise _moved_on()
    if not may_act(by, nomination):
        raise PermissionDenied
    _advance(by=by, nomination=nomination, outcome=Outcome.HANDED, at=at)
    announcements.nominations_moved([nomination], by=by)
    return nomination


@transaction.atomic
def nomination_resubmit(*, by: Actor, nomination: Nomination, comment: str = "") -> Nomination:
    """The unit head sends a returned nomination back up, in its dossier, to the step that returned it."""
    nomination = _lock(nomination)
    if not is_nominating_head(by, nomination):
        raise PermissionDenied
    if not may_resubmit(by, nomination):
        raise _moved_on()
    _pin_evidence(nomination)
    problems = nomination_problems(nomination)
    if problems:
        raise ValidationError(problems, code="not_ready")
    if nomination.step == Step.PREPARE:
        _advance(by=by, nomination=nomination, outcome=Outcome.HANDED, record=False)
    _advance(by=by, nomination=nomination, outcome=Outcome.SENT, comment=comment)
    announcements.nominations_moved([nomination], by=by, comment=comment)
    return nomination


# Acting at a step -----------------------------------------------------------------------------------


@transaction.atomic
def nomination_act(
    *,
    by: Actor,
    nomination: Nomination,
    step: str,
    outcome: str,
    comment: str = "",
    internal_note: str = "",
    handoff: HandOff | None = None,
    announce: bool = True,
    at: dt.datetime | None = None,
) -> Nomination:
    """Approve, return (to the previous holder) or reject at `step`, the step the actor saw (`at`: when,
    for records entered after the fact; default now).

    `announce=False`: the caller moves many at once and sends one notification for them all."""
    nomination = _lock(nomination)
    awaiting = step == Step.AWAITING_DECISION
    if (
        nomination.step != step
        or step in UNIT_STEPS
        or nomination.status
        not in (
            (NominationStatus.AWAITING_DECISION,)
            if awaiting
            else (NominationStatus.IN_REVIEW, NominationStatus.RETURNED)
        )
    ):
        raise _moved_on()
    if not may_act(by, nomination):
        if may_take(by, nomination):  # the right person, but a colleague has taken the step
            raise ValidationError(
                _("%(name)s is handling this nomination: ask them, or take it over first.")
                % {"name": nomination.assignee.display_name},
                code="taken",
            )
        raise PermissionDenied
    comment = nfc(comment).strip()
    if outcome == Outcome.RETURNED and not comment:
        raise ValidationError({"comment": _("Say what is missing: a return needs a comment.")})
    if outcome == Outcome.REJECTED and not comment:
        raise ValidationError({"comment": _("Give the reason for the rejection.")})
    if awaiting:  # the deciding side returns it to the previous agency or refuses it; a decision awards it
        if outcome == Outcome.APPROVED:
            raise ValidationError(_("A nomination awaiting its decision is awarded by issuing the decision."),
                                  code="decide")  # fmt: skip
        if in_draft_decision(nomination):
            raise ValidationError(_("A draft decision lists this nomination: take it out of the draft first."),
                                  code="in_draft_decision")  # fmt: skip
    if outcome == Outcome.APPROVED:
        if nomination.is_blocked:  # recorded after it was sent: no step approves it while it holds
            raise ValidationError(block_problem(nomination), code="blocked")
        if (nomination.award_type.route, step) in HANDOFF_STEPS and handoff is None:
            raise ValidationError(
                _("This step sends the nomination on with your submission (tờ trình): use the form for it."),
                code="handoff_needed",
            )
        if step == Step.POLICE_APPRAISAL and not nomination.duplicate_override and nomination_duplicates(nomination):
            raise ValidationError(
                _("This nominee is proposed twice in this campaign. Reject one, or record why both may go on."),
                code="duplicate",
            )
        if step == Step.POLICE_APPRAISAL:
            achievement_check(nomination)
    elif outcome not in (Outcome.RETURNED, Outcome.REJECTED):
        raise ValueError(outcome)
    _advance(by=by, nomination=nomination, outcome=outcome, comment=comment, internal_note=nfc(internal_note),
             handoff=handoff, at=at)  # fmt: skip
    if announce:
        announcements.nominations_moved([nomination], by=by, comment=comment)
    return nomination


@transaction.atomic  # each act is a savepoint: a refused one rolls back alone; the notice commits with them
def nomination_act_many(
    *, by: Actor, nominations: Iterable[Nomination], step: str, outcome: str, comment: str = ""
) -> tuple[list[Nomination], dict[int, str]]:
    """Approve or return many at once with one comment; each on its own, so one refusal stops no other."""
    nominations = list(nominations)
    _lock_all(nominations)
    done, refused = [], {}
    for nomination in nominations:
        try:
            done.append(
                nomination_act(
                    by=by, nomination=nomination, step=step, outcome=outcome, comment=comment, announce=False
                )
            )
        except (ValidationError, PermissionDenied) as error:
            refused[nomination.pk] = "; ".join(getattr(error, "messages", [])) or _("You may not act on it.")
    if done:
        announcements.nominations_moved(done, by=by, comment=nfc(comment).strip())
    return done, refused


@transaction.atomic
def nomination_duplicate_allow(*, by: Actor, nomination: Nomination, reason: str) -> None:
    """The police reviewer, who sees both nominations, lets this one go on, saying why."""
    nomination = _lock(nomination)
    if not by.can(Cap.APPRAISE_POLICE) or nomination.step != Step.POLICE_APPRAISAL or not may_act(by, nomination):
        raise PermissionDenied
    reason = nfc(reason).strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    nomination.duplicate_override = reason
    nomination.save(update_fields=["duplicate_override"])
    audit_record(actor=by, action="nomination_duplicate_allowed", obj=nomination, unit=nomination.unit,
                 detail={"reason": reason, "others": [n.pk for n in nomination_duplicates(nomination)]})  # fmt: skip


@transaction.atomic
def handoff_send(
    *,
    by: Actor,
    nominations: Sequence[Nomination],
    number: str,
    date: dt.date,
    signer: str,
    signer_title: str = "",
    comment: str = "",
    step: str = "",
    at: dt.datetime | None = None,
) -> HandOff:
    """The sending agency's own tờ trình passing approved nominations of one tier to the next agency (or,
    on the Giấy khen route, the police's appraising office to its director). `step`: the step the sender
    saw, if known; a colleague who sent them on first wins and the sender is told so."""
    if not nominations:
        raise ValidationError({"nominations": _("Choose at least one nomination.")})
    if not nfc(number).strip() or not nfc(signer).strip():
        raise ValidationError({"number": _("Give the submission's number and its signer.")})
    _lock_all(nominations)
    first = _lock(nominations[0])
    if step and first.step != step:
        raise _moved_on()
    step = first.step
    if (first.award_type.route, step) not in HANDOFF_STEPS:
        raise ValidationError(_("Nominations at this step are approved without a submission."), code="no_handoff")
    route_steps = ROUTE_STEPS[first.award_type.route]
    to_unit = step_holder(first, route_steps[route_steps.index(step) + 1])
    handoff = HandOff.objects.create(
        campaign=first.campaign, award_type=first.award_type, from_unit=by.unit, to_unit=to_unit, step=step,
        number=nfc(number).strip(), date=date, signer=nfc(signer).strip(), signer_title=nfc(signer_title).strip(),
        created_by=by.user,
    )  # fmt: skip
    handoff.printed_superior = by.unit.header_superior() or ""  # refused, naming the unit, when it has none
    handoff.printed_place = by.unit.document_place()
    handoff.save(update_fields=["printed_superior", "printed_place"])
    handoff.cited_bases.set(bases_in_force(campaign=first.campaign, issuer_kind=by.unit.kind, day=date,
                                           competence=False))  # fmt: skip
    moved = []
    for nomination in nominations:
        if nomination.award_type_id != first.award_type_id or nomination.campaign_id != first.campaign_id:
            raise ValidationError(_("A submission covers one award of one campaign."), code="mixed")
        moved.append(
            nomination_act(
                by=by, nomination=nomination, step=step, outcome=Outcome.APPROVED, comment=comment, handoff=handoff,
                announce=False, at=at,
            )
        )  # fmt: skip
        handoff.nominations.add(nomination)
    audit_record(actor=by, action="handoff_sent", obj=handoff, detail={"nominations": [n.pk for n in nominations]})
    announcements.nominations_moved(moved, by=by)
    documents.documents_request(handoff=handoff)  # its tờ trình and list, ready to sign
    return handoff


@transaction.atomic
def nomination_withdraw(*, by: Actor, nomination: Nomination, reason: str) -> Nomination:
    """The nominating unit withdraws a nomination before a decision."""
    nomination = _lock(nomination)
    if not is_nominating_head(by, nomination):
        raise PermissionDenied
    if nomination.status in (NominationStatus.AWARDED, NominationStatus.REVOKED):
        raise ValidationError(
            _("This nomination has been decided: an award is undone only by a revocation decision of the body that "
              "issued it."),
            code="decided",
        )  # fmt: skip
    if in_draft_decision(nomination):
        raise ValidationError(
            _("A draft decision lists this nomination: ask the deciding body to take it out of the draft first."),
            code="in_draft_decision",
        )
    if not may_withdraw(by, nomination):
        raise _moved_on()
    reason = nfc(reason).strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    before, arrived_at, due = nomination.status, nomination.held_since, nomination.step_due
    engine.nomination_cancel(nomination=nomination)
    nomination.status = NominationStatus.WITHDRAWN
    nomination.held_since = timezone.now()
    nomination.save(update_fields=["status", "held_since"])
    _record(by=by, nomination=nomination, step=nomination.step, outcome=Outcome.WITHDRAWN, comment=reason,
            arrived_at=arrived_at, due=due)  # fmt: skip
    audit_record(actor=by, action="nomination_withdrawn", obj=nomination, unit=nomination.unit, from_state=before,
                 to_state=nomination.status, detail={"reason": reason})  # fmt: skip
    return nomination


# Moving on ------------------------------------------------------------------------------------------


def _record(
    *, by: Actor, nomination: Nomination, step: str, outcome: str, comment: str = "", internal_note: str = "",
    handoff: HandOff | None = None, at: dt.datetime | None = None, arrived_at: dt.datetime | None = None,
    due: dt.date | None = None,
):  # fmt: skip
    action = _action(by=by, nomination=nomination, step=step, outcome=outcome, comment=comment,
                     internal_note=internal_note, handoff=handoff, at=at, arrived_at=arrived_at, due=due)  # fmt: skip
    action.save(force_insert=True)
    took_days, late = action.took_days, action.late
    if took_days is not None and outcome in HANDLED_OUTCOMES and step not in UNIT_STEPS:
        _tally(campaign_id=nomination.campaign_id, unit_id=by.unit.pk, step=step, actor_id=by.user.pk,
               took_days=took_days, late=bool(late))  # fmt: skip
    return action


def _action(
    *, by: Actor, nomination: Nomination, step: str, outcome: str, comment: str = "", internal_note: str = "",
    handoff: HandOff | None = None, at: dt.datetime | None = None, arrived_at: dt.datetime | None = None,
    due: dt.date | None = None,
) -> NominationAction:  # fmt: skip
    """The step record `_record` writes, unsaved (a batch service writes many at once)."""
    at = at or timezone.now()
    took_days, late = step_took(arrived_at=arrived_at, at=at, due=due)
    return NominationAction(
        nomination=nomination, step=step, outcome=outcome, comment=comment, internal_note=internal_note,
        handoff=handoff, unit=by.unit, actor=by.user, on_behalf_of=by.on_behalf_of, at=at,
        arrived_at=arrived_at, due=due, took_days=took_days, late=late,
    )  # fmt: skip


def _tally(*, campaign_id: int, unit_id: int, step: str, actor_id: int, took_days: int, late: bool) -> None:
    """Add one handled step to its officer's tally (one UPDATE; the first of its kind INSERTs, and a
    colleague inserting the same row at the same moment makes this one update it instead)."""
    key = {"campaign_id": campaign_id, "unit_id": unit_id, "step": step, "actor_id": actor_id}
    bump = {"handled": F("handled") + 1, "late": F("late") + int(late), "days_total": F("days_total") + took_days,
            "worst": Greatest("worst", Value(took_days))}  # fmt: skip
    if LatenessTally.objects.filter(**key).update(**bump):
        return
    try:
        with transaction.atomic():
            LatenessTally.objects.create(**key, handled=1, late=int(late), days_total=took_days, worst=took_days)
    except IntegrityError:
        LatenessTally.objects.filter(**key).update(**bump)


def lateness_tally_rebuild() -> int:
    """The tallies summed again from the step records (after a bulk load such as seed_scale); returns rows."""
    done = (
        NominationAction.objects.filter(outcome__in=HANDLED_OUTCOMES, took_days__isnull=False, actor__isnull=False)
        .exclude(step__in=UNIT_STEPS)
        .values("nomination__campaign_id", "unit_id", "step", "actor_id")
        .annotate(n=Count("pk"), n_late=Count("pk", filter=Q(late=True)), total=Sum("took_days"), top=Max("took_days"))
        .order_by()
    )
    LatenessTally.objects.all().delete()
    rows = [
        LatenessTally(campaign_id=g["nomination__campaign_id"], unit_id=g["unit_id"], step=g["step"],
                      actor_id=g["actor_id"], handled=g["n"], late=g["n_late"], days_total=g["total"], worst=g["top"])
        for g in done
    ]  # fmt: skip
    LatenessTally.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def step_took(
    *, arrived_at: dt.datetime | None, at: dt.datetime, due: dt.date | None
) -> tuple[int | None, bool | None]:
    """(working days from arrival to `at`, done after the due day): what the lateness report sums."""
    if arrived_at is None:
        return None, None
    done = timezone.localdate(at)
    return working_days_between(timezone.localdate(arrived_at), done), due is not None and done > due


def _advance(
    *, by: Actor, nomination: Nomination, outcome: str, comment: str = "", internal_note: str = "", record: bool = True,
    handoff: HandOff | None = None, at: dt.datetime | None = None,
) -> None:  # fmt: skip
    step, before = nomination.step, nomination.status
    arrived_at, due = nomination.held_since, nomination.step_due
    flow_outcome = {Outcome.RETURNED: "returned", Outcome.REJECTED: "rejected"}.get(outcome, "approved")
    following = engine.nomination_step_done(nomination=nomination, step=step, outcome=flow_outcome)
    if outcome == Outcome.REJECTED:
        nomination.status = NominationStatus.REJECTED
    else:
        nomination.step = following
        nomination.holder = step_holder(nomination, following)
        if outcome == Outcome.RETURNED:
            nomination.status = NominationStatus.RETURNED
        elif following == Step.AWAITING_DECISION:
            nomination.status = NominationStatus.AWAITING_DECISION
        elif following in UNIT_STEPS:
            nomination.status = (
                NominationStatus.RETURNED if before == NominationStatus.RETURNED else NominationStatus.DRAFT
            )
        else:
            nomination.status = NominationStatus.IN_REVIEW
    nomination.held_since = at or timezone.now()
    nomination.updated_at = nomination.held_since
    nomination.assignee = None  # a new step is claimed afresh
    nomination.step_due = step_due(nomination, since=nomination.held_since)
    nomination.escalated_at = None  # lateness is per step
    nomination.save()
    if record:
        _record(by=by, nomination=nomination, step=step, outcome=outcome, comment=comment,
                internal_note=internal_note, handoff=handoff, at=at, arrived_at=arrived_at, due=due)  # fmt: skip
    audit_record(actor=by, action=f"nomination_{outcome}", obj=nomination, unit=nomination.unit, from_state=before,
                 to_state=nomination.status, detail={"step": step, "next": nomination.step})  # fmt: skip
