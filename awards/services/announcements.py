"""What each change tells whom. Services call these inside their transaction; `notify` writes the rows.

Messages are composed in the site's language (Vietnamese) whoever acts, because they are stored and
mailed once for every recipient. Many nominations moved together (a dossier, a tờ trình, a bulk
approval) make one message per recipient unit, not one per nomination.
"""

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from functools import wraps

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ..actor import Actor
from ..models import (
    UNIT_STEPS,
    AwardStep,
    Nomination,
    NominationStatus,
    NotificationKind,
    Report,
    ReportVersion,
    Role,
    Step,
)
from ..permissions import Cap, report_review_caps, role_has
from .notifications import Message, notify, unit_members

UNIT_ROLES = (Role.UNIT_OFFICER, Role.UNIT_HEAD)
NAMES_LISTED = 20


def in_site_language(function):
    @wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper


def roles_with(cap: Cap) -> list[str]:
    return [role for role in Role.values if role_has(role, cap)]


def _others(users, by: Actor | None) -> list:
    return [u for u in users if by is None or u.pk != by.user.pk]


# Reports -------------------------------------------------------------------------------------------


@in_site_language
def report_submitted(*, report: Report, version: ReportVersion, by: Actor) -> None:
    roles = sorted({role for cap in report_review_caps(report) for role in roles_with(cap)})
    reviewers = unit_members([report.reviewer_id], roles).get(report.reviewer_id, [])
    params = {"unit": report.unit.name, "plan": report.campaign.plan_reference, "version": version.number}
    notify(
        Message(recipient=user, kind=NotificationKind.TASK_ARRIVED, key=f"report:{report.pk}:v{version.number}:sent",
                subject=_("Report to review: %(unit)s") % params,
                body=_("%(unit)s sent version %(version)s of its report under plan %(plan)s for your review.") % params,
                url=reverse("report_detail", args=[report.pk]), unit_id=report.unit_id)
        for user in _others(reviewers, by)
    )  # fmt: skip


@in_site_language
def report_reviewed(*, report: Report, version: ReportVersion, accepted: bool, by: Actor, note: str = "") -> None:
    members = unit_members([report.unit_id], UNIT_ROLES).get(report.unit_id, [])
    params = {"plan": report.campaign.plan_reference, "version": version.number, "reviewer": report.reviewer.name}
    if accepted:
        subject = _("Your report under plan %(plan)s was accepted") % params
        body = _("%(reviewer)s accepted version %(version)s of your unit's report.") % params
    else:
        subject = _("Your report under plan %(plan)s was returned for revision") % params
        body = _("%(reviewer)s returned version %(version)s of your unit's report: read the comments, revise it and send it again.") % params  # fmt: skip
    if note:
        body += "\n\n" + note
    notify(
        Message(recipient=user, kind=NotificationKind.REPORT_REVIEWED,
                key=f"report:{report.pk}:v{version.number}:{'accepted' if accepted else 'returned'}",
                subject=subject, body=body, url=reverse("report_detail", args=[report.pk]), unit_id=report.unit_id)
        for user in _others(members, by)
    )  # fmt: skip


# Nominations ---------------------------------------------------------------------------------------


def _event(nomination: Nomination) -> str | None:
    status = nomination.status
    if nomination.step == Step.SUBMIT and status in (NominationStatus.DRAFT, NominationStatus.RETURNED):
        return "arrived"  # with the unit head, to send (a revised file too: returns go back to the officer)
    if status == NominationStatus.RETURNED:
        return "returned"
    if status == NominationStatus.REJECTED:
        return "rejected"
    if status == NominationStatus.AWAITING_DECISION:
        return "approved"
    if status == NominationStatus.IN_REVIEW:
        return "arrived"
    return None  # withdrawn, or back in preparation


def _recipients(event: str, nomination: Nomination) -> list:
    """Who hears of it: the people now holding the step, or the nominating unit for its outcomes."""
    if event in ("rejected", "approved"):
        return unit_members([nomination.unit_id], UNIT_ROLES).get(nomination.unit_id, [])
    if nomination.step in UNIT_STEPS:
        roles = UNIT_ROLES if event == "returned" else (Role.UNIT_HEAD,)
    else:
        roles = list(
            AwardStep.objects.filter(award_type_id=nomination.award_type_id, step=nomination.step).values_list(
                "role", flat=True
            )
        )
    return unit_members([nomination.holder_id], roles).get(nomination.holder_id, [])


def _subject(event: str, group: Sequence[Nomination]) -> str:
    params = {"name": group[0].name, "award": group[0].award_type.name, "count": len(group)}
    if len(group) == 1:
        texts = {
            "arrived": _("To handle: %(name)s – %(award)s"),
            "returned": _("Returned for revision: %(name)s – %(award)s"),
            "rejected": _("Nomination rejected: %(name)s – %(award)s"),
            "approved": _("Nomination approved, awaiting the decision: %(name)s – %(award)s"),
        }
    else:
        texts = {
            "arrived": _("%(count)s nominations to handle – %(award)s"),
            "returned": _("%(count)s nominations returned for revision – %(award)s"),
            "rejected": _("%(count)s nominations rejected – %(award)s"),
            "approved": _("%(count)s nominations approved, awaiting the decision – %(award)s"),
        }
    return texts[event] % params


def _body(event: str, group: Sequence[Nomination], comment: str) -> str:
    first = group[0]
    params = {"unit": first.unit.name, "step": first.get_step_display(), "plan": first.campaign.plan_reference}
    intro = {
        "arrived": _("From %(unit)s, now at the step “%(step)s” (plan %(plan)s):"),
        "returned": _("Returned to the step “%(step)s” (plan %(plan)s), nominated by %(unit)s:"),
        "rejected": _("Rejected (plan %(plan)s):"),
        "approved": _("Approved at every step; the decision is next (plan %(plan)s):"),
    }[event] % params
    names = [f"– {n.name}" for n in group[:NAMES_LISTED]]
    if len(group) > NAMES_LISTED:
        names.append(_("… and %(count)s more.") % {"count": len(group) - NAMES_LISTED})
    parts = [intro, "\n".join(names)]
    if comment and event in ("returned", "rejected"):
        parts.append(_("Comment: %(comment)s") % {"comment": comment})
    return "\n\n".join(parts)


@in_site_language
def nominations_moved(nominations: Sequence[Nomination], *, by: Actor, comment: str = "") -> None:
    """Tell the new holders (or the nominating unit) where these nominations now stand."""
    groups: dict[tuple, list[Nomination]] = defaultdict(list)
    for nomination in nominations:
        event = _event(nomination)
        if event is None:
            continue
        where = nomination.unit_id if event in ("rejected", "approved") else nomination.holder_id
        groups[(event, where, nomination.step, nomination.award_type_id)].append(nomination)
    messages = []
    for (event, _where, _step, _award), group in groups.items():
        group.sort(key=lambda n: n.pk)
        stamp = ",".join(f"{n.pk}@{n.held_since.timestamp()}" for n in group)
        key = f"nominations:{event}:{hashlib.sha1(stamp.encode()).hexdigest()[:24]}"  # noqa: S324 — a key, not a secret
        kind = {
            "arrived": NotificationKind.TASK_ARRIVED,
            "returned": NotificationKind.RETURNED,
        }.get(event, NotificationKind.NOMINATION_DECIDED)
        if len(group) == 1:
            url = reverse("nomination_detail", args=[group[0].pk])
        elif event in ("rejected", "approved"):
            url = reverse("campaign_nominations", args=[group[0].campaign_id])
        else:
            url = reverse("nomination_inbox")
        subject, body = _subject(event, group), _body(event, group, comment)
        messages += [
            Message(recipient=user, kind=kind, key=key, subject=subject, body=body, url=url, unit_id=group[0].unit_id)
            for user in _others(_recipients(event, group[0]), by)
        ]
    notify(messages)


@in_site_language
def nomination_assigned(nomination: Nomination, *, to, by: Actor, key: str) -> None:
    """A colleague handed the step to `to`."""
    if to.pk == by.user.pk:
        return
    params = {"name": nomination.name, "award": nomination.award_type.name, "by": by.user.display_name,
              "step": nomination.get_step_display()}  # fmt: skip
    notify([
        Message(recipient=to, kind=NotificationKind.TASK_ARRIVED,
                key=key,
                subject=_("To handle: %(name)s – %(award)s") % params,
                body=_("%(by)s handed you the step “%(step)s”.") % params,
                url=reverse("nomination_detail", args=[nomination.pk]), unit_id=nomination.unit_id)
    ])  # fmt: skip
