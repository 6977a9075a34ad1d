"""Who may do what, in one place: roles and their capabilities (`roles`), and the object-level rules
for reports, nominations and decisions, as pure functions of the actor and the object. Views ask them to
offer an action, selectors to scope, services to refuse; nobody else decides.

Roles are data on memberships (unit-scoped). Model-wide Django permissions are never given to a
unit-scoped role: viewflow and guardian accept them for *any* object (docs/architecture.md, facts 3–4).
"""

from .decisions import (  # noqa: F401
    decider_rule,
    is_amendable,
    may_change,
    may_decide,
    may_record,
    may_take_decisions,
)
from .nominations import (  # noqa: F401
    acts_on_route,
    block_problem,
    evidence_expected,
    evidence_for,
    in_draft_decision,
    is_blocked_on,
    is_nominating_drafter,
    is_nominating_head,
    may_act,
    may_act_awaiting,
    may_block,
    may_edit,
    may_lift_block,
    may_read_block_note,
    may_remove_file,
    may_resubmit,
    may_see_personal_data,
    may_send,
    may_take,
    may_withdraw,
    nomination_problems,
    nominee_unit,
    quota_of,
    quota_used,
    removable_files,
    step_rule,
)
from .reports import (  # noqa: F401
    attachment_removable,
    may_edit_report,
    may_reopen_report,
    may_review_report,
    may_submit_report,
    report_review_caps,
    report_reviewer_id,
)
from .roles import (  # noqa: F401
    IMPORT_CAPS,
    LEADER_ROLES,
    ROLE_CAPABILITIES,
    ROLE_UNIT_KINDS,
    Cap,
    capabilities,
    may_import,
    role_allowed_in_unit_kind,
    role_has,
)
