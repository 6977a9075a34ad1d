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
