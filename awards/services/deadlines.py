"""The periodic scans behind reminders (hourly) and escalation (every 15 minutes), sent by beat or run
by the embedded loop on `make run` (settings.PERIODIC_JOBS); each is idempotent — the dedupe keys and `Nomination.escalated_at` make a second
run in the same day write nothing.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ..audit import audit_record
from ..calendar import deadline_words
from ..models import (
    UNIT_STEPS,
    AwardStep,
    Campaign,
    Dossier,
    Nomination,
    NominationStatus,
    NotificationKind,
    Report,
    Role,
    Unit,
)
from ..permissions import LEADER_ROLES
from .announcements import in_site_language
from .notifications import Message, notify, unit_members

# Daily reminders stop this many days after a deadline: by then the campaign has moved on.
OVERDUE_REMINDER_DAYS = 30


def reminder_label(days_left: int, thresholds: list[int]) -> str | None:
    """Which reminder is due `days_left` days before a deadline: the nearest threshold not yet passed, so
    a day the scan missed is made up for the next day, never twice; daily once the deadline has passed."""
    if days_left < 0:
        return None
    candidates = [t for t in thresholds if t >= days_left]
    return f"before-{min(candidates)}" if candidates else None


def _deadlines(campaign: Campaign) -> Iterable[tuple[str, dt.datetime]]:
    yield "report", campaign.report_deadline
    if campaign.nomination_deadline:
        yield "nominations", campaign.nomination_deadline


def _late_units(campaign: Campaign, which: str, *, overdue: bool) -> list[Unit]:
    """Participants that have not submitted: no report sent yet; for nominations, no dossier sent before
    the deadline, and after it, those still holding drafts they have not sent."""
    participants = campaign.participants()
    if which == "report":
        sent = Report.objects.filter(campaign=campaign, first_submitted_at__isnull=False).values("unit_id")
        return list(participants.exclude(pk__in=sent).order_by("pk"))
    if overdue:
        drafting = Nomination.objects.filter(campaign=campaign, status=NominationStatus.DRAFT).values("unit_id")
        return list(participants.filter(pk__in=drafting).order_by("pk"))
    sent = Dossier.objects.filter(campaign=campaign, submitted_at__isnull=False).values("unit_id")
    return list(participants.exclude(pk__in=sent).order_by("pk"))


@in_site_language
def campaign_reminders(*, today: dt.date | None = None) -> dict[str, int]:
    """Remind every participating unit that has not submitted: before each deadline on the campaign's
    reminder days, then daily while it is overdue, with the unit head copied once it is overdue."""
    today = today or timezone.localdate()
    counts = {"campaigns": 0, "units": 0, "written": 0, "units_without_recipients": 0}
    horizon = Q(report_deadline__date__gte=today - dt.timedelta(days=OVERDUE_REMINDER_DAYS + 1)) | Q(
        nomination_deadline__date__gte=today - dt.timedelta(days=OVERDUE_REMINDER_DAYS + 1)
    )
    for campaign in Campaign.objects.filter(horizon).order_by("pk"):
        for which, deadline in _deadlines(campaign):
            day = timezone.localdate(deadline)
            days_left = (day - today).days
            if days_left < -OVERDUE_REMINDER_DAYS or campaign.plan_date > today:
                continue
            overdue = days_left < 0
            label = f"overdue-{today.isoformat()}" if overdue else reminder_label(days_left, campaign.reminder_day_list)
            if label is None:
                continue
            units = _late_units(campaign, which, overdue=overdue)
            if not units:
                continue
            counts["campaigns"] += 1
            counts["units"] += len(units)
            roles = (Role.UNIT_OFFICER, Role.UNIT_HEAD)
            people = unit_members([u.pk for u in units], roles)
            heads = unit_members([u.pk for u in units], (Role.UNIT_HEAD,)) if not overdue else {}
            messages = []
            for unit in units:
                recipients = people.get(unit.pk, [])
                if not overdue:  # before the deadline: the officers (the head only where there is no officer)
                    officers = [u for u in recipients if u not in heads.get(unit.pk, [])]
                    recipients = officers or recipients
                if not recipients:
                    counts["units_without_recipients"] += 1
                    continue
                subject, body, url = _reminder_text(campaign, which, unit, deadline, days_left)
                # The deadline's day is in the key: a deadline moved later gets its reminders again.
                key = f"deadline:{campaign.pk}:{which}:{day.isoformat()}:{unit.pk}:{label}"
                messages += [
                    Message(recipient=user, kind=NotificationKind.DEADLINE, key=key, subject=subject, body=body,
                            url=url, unit_id=unit.pk)
                    for user in recipients
                ]  # fmt: skip
            with transaction.atomic():
                counts["written"] += notify(messages)
    return counts


def _reminder_text(
    campaign: Campaign, which: str, unit: Unit, deadline: dt.datetime, days_left: int
) -> tuple[str, str, str]:
    # The deadline as the plans write it: "trước ngày 30/06/2024" at midnight, else its time and day.
    params = {"plan": campaign.plan_reference, "date": deadline_words(deadline), "unit": unit.name,
              "days": days_left, "late": -days_left}  # fmt: skip
    if which == "report":
        url = reverse("campaign_detail", args=[campaign.pk])
        if days_left < 0:
            subject = _("Report overdue by %(late)s days: plan %(plan)s") % params
            body = _("%(unit)s has not sent its report under plan %(plan)s; it was due %(date)s. Send it as soon as you can.") % params  # fmt: skip
        else:
            subject = _("Report due in %(days)s days: plan %(plan)s") % params
            body = _("%(unit)s has not yet sent its report under plan %(plan)s, due %(date)s.") % params
    else:
        url = reverse("campaign_nominations", args=[campaign.pk])
        if days_left < 0:
            subject = _("Nomination deadline passed %(late)s days ago: plan %(plan)s") % params
            body = _("%(unit)s still holds nominations under plan %(plan)s that it has not sent; they were due %(date)s.") % params  # fmt: skip
        else:
            subject = _("Nominations due in %(days)s days: plan %(plan)s") % params
            body = _("Nominations under plan %(plan)s are due %(date)s. If %(unit)s proposes anyone, send its dossier before then.") % params  # fmt: skip
    return subject, body, url


@in_site_language
def escalate_late_steps(*, today: dt.date | None = None) -> int:
    """Tell the leader of the holding agency, once per step, about each nomination held past its limit."""
    today = today or timezone.localdate()
    late = (
        Nomination.objects.filter(
            step_due__lt=today, escalated_at__isnull=True,
            status__in=(NominationStatus.IN_REVIEW, NominationStatus.RETURNED),
        )
        .exclude(step__in=UNIT_STEPS)
        .order_by("pk")
        .values_list("pk", flat=True)
    )  # fmt: skip
    escalated = 0
    for pk in list(late):
        with transaction.atomic():
            nomination = (
                Nomination.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("holder", "award_type", "unit", "assignee", "campaign")
                .filter(pk=pk, escalated_at__isnull=True, step_due__lt=today)
                .first()
            )
            if nomination is None:
                continue
            nomination.escalated_at = timezone.now()
            nomination.save(update_fields=["escalated_at"])
            leaders = unit_members([nomination.holder_id], LEADER_ROLES).get(nomination.holder_id, [])
            handlers = [nomination.assignee] if nomination.assignee else _step_handlers(nomination)
            params = {"name": nomination.name, "award": nomination.award_type.name, "step": nomination.get_step_display(),
                      "holder": nomination.holder.name, "due": formats.date_format(nomination.step_due, "d/m/Y"),
                      "unit": nomination.unit.name}  # fmt: skip
            subject = _("Late: %(name)s – %(award)s") % params
            body = _("The step “%(step)s” at %(holder)s was due on %(due)s and is not done. Nominated by %(unit)s.") % params  # fmt: skip
            if not leaders:
                body += "\n\n" + _("No leader of this agency is registered in TĐKT: only its handlers are told.")
            key = f"late:{nomination.pk}:{nomination.step}:{nomination.held_since.timestamp()}"
            notify(
                Message(recipient=user, kind=NotificationKind.STEP_LATE, key=key, subject=subject, body=body,
                        url=reverse("nomination_detail", args=[nomination.pk]), unit_id=nomination.unit_id)
                for user in {u.pk: u for u in [*leaders, *handlers]}.values()
            )  # fmt: skip
            audit_record(actor=None, action="nomination_escalated", obj=nomination, unit=nomination.unit,
                         detail={"step": nomination.step, "due": nomination.step_due.isoformat(),
                                 "leaders": [u.pk for u in leaders]})  # fmt: skip
            escalated += 1
    return escalated


def _step_handlers(nomination: Nomination) -> list:
    roles = AwardStep.objects.filter(award_type_id=nomination.award_type_id, step=nomination.step).values_list(
        "role", flat=True
    )
    return unit_members([nomination.holder_id], list(roles)).get(nomination.holder_id, [])
