"""The home page: the actor's unit, what it covers, the latest activity and the work waiting."""

from ..actor import Actor
from ..models import Unit
from .decisions import decisions_waiting
from .nominations import nominations_waiting
from .org import audit_events_visible, today, unit_scope
from .reports import work_waiting

SUB_UNITS = 12  # shown on the home page; the unit list has the rest


def home_summary(*, actor: Actor) -> dict:
    """What the home page shows: the actor's unit, what it covers, and the latest activity."""
    unit = actor.unit
    units_seen = unit_scope(actor=actor)
    summary: dict = {"unit": unit, "scope_count": len(units_seen)}
    if unit is not None:
        # the first twelve, and a thirteenth to know whether "See all" is needed: not every child of a province
        summary["sub_units"] = list(
            Unit.objects.filter(units_seen.q("pk"), parent=unit).valid_on(today()).in_display_order()[: SUB_UNITS + 1]
        )
    # What was done; the (many) views of personal data stay in the activity log, shown there on request.
    summary["recent_events"] = audit_events_visible(actor=actor).exclude(
        action__in=("access_denied", "personal_data_viewed")
    )[:10]
    summary["work"] = work_waiting(actor=actor)
    summary["nominations_waiting"] = nominations_waiting(actor=actor)
    summary["decisions_waiting"] = decisions_waiting(actor=actor)
    return summary


def work_count(*, actor: Actor) -> tuple[int, bool]:
    """How many things wait for the actor, read from what the home page's "My work" lists (the same selectors, so
    the notifications page and the home page never disagree): reports, nominations, decisions to take and drafts
    to issue. (count, more): `more` when a group passed its cap and the count is a lower bound."""
    nominations = nominations_waiting(actor=actor)
    decisions = decisions_waiting(actor=actor)
    count = len(work_waiting(actor=actor)) + sum(g["count"] for g in nominations)
    count += sum(g["count"] + g["drafts"] for g in decisions)
    more = any(g.get("more") for g in (*nominations, *decisions))
    return count, more
