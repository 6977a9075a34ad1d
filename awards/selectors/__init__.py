"""Reads. The scoping functions here decide what an actor may see; every view goes through them.

`unit_scope` is the one rule (`unit_scope_ids` gives it as ids); `scope()` applies it to any queryset of rows
carrying a unit.
"""

from .home import home_summary  # noqa: F401
from .org import (  # noqa: F401
    UnitScope,
    actor_for,
    audit_events_visible,
    deny,
    memberships_valid,
    scope,
    today,
    unit_descendant_ids,
    unit_detail,
    unit_get,
    unit_scope,
    unit_scope_ids,
    units_granted_ids,
    units_visible,
)
