"""Writes. Every change goes through a function here: validated, in a transaction, audited.

`awards.services` re-exports the organisation services; campaign and report services live in
their own modules (`awards.services.campaigns`, `awards.services.reports`).
"""

from .org import (  # noqa: F401
    ADMIN_GROUP,
    MEMBERSHIP_EDITABLE,
    UNIT_EDITABLE,
    admin_group_ensure,
    administrator_grant,
    lineage_record,
    membership_end,
    membership_grant,
    membership_grant_acting,
    membership_rules_check,
    membership_update,
    unit_close,
    unit_create,
    unit_move_check,
    unit_update,
    user_create,
    user_deactivate,
    user_sessions_end,
)
