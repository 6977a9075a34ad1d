"""Roles and what each may do (capabilities), and which unit kinds may hold which roles.

Roles are data on memberships (unit-scoped). Model-wide Django permissions are never given to a
unit-scoped role: viewflow and guardian accept them for *any* object (docs/architecture.md, facts 3–4).
"""

from enum import StrEnum

from ..models import Role, UnitKind


class Cap(StrEnum):
    """What a role may do. Later issues add capabilities here, never in views."""

    VIEW_OWN_UNIT = "view_own_unit"
    VIEW_SUBORDINATE_COMMUNES = "view_subordinate_communes"  # a district committee sees its communes
    VIEW_PROVINCE = "view_province"  # reviewers and leaders see the units under the province
    DRAFT_REPORT = "draft_report"
    SUBMIT_REPORT = "submit_report"
    DRAFT_NOMINATION = "draft_nomination"
    SUBMIT_NOMINATION = "submit_nomination"
    REVIEW_REPORT = "review_report"  # the campaign's reviewing unit (provincial police)
    # A district committee reviews its communes' reports; so does the body a campaign names for commune-level
    # reports (permissions/reports.py, report_review_caps).
    REVIEW_COMMUNE_REPORT = "review_commune_report"
    REOPEN_REPORT = "reopen_report"
    CONSOLIDATE = "consolidate"
    APPRAISE_POLICE = "appraise_police"
    APPROVE_POLICE_DIRECTOR = "approve_police_director"
    APPRAISE_HOME_AFFAIRS = "appraise_home_affairs"
    APPROVE_PROVINCIAL_LEADER = "approve_provincial_leader"
    RECORD_MINISTRY_OUTCOME = "record_ministry_outcome"
    MANAGE_UNITS = "manage_units"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"
    VIEW_REPORTS = "view_reports"  # read reports in scope (not the administrator: it manages, it does not read)
    VIEW_NOMINATIONS = "view_nominations"  # the unit's own; agencies the tiers they act on
    VIEW_LATENESS = "view_lateness"  # an agency's processing times (its own steps)
    VIEW_ALL_LATENESS = "view_all_lateness"  # the provincial leader: every agency's
    VIEW_OPERATIONS = "view_operations"  # the administrator: the health page and failed e-mails


_PROVINCE_SIDE = {Cap.VIEW_OWN_UNIT, Cap.VIEW_PROVINCE, Cap.VIEW_REPORTS, Cap.VIEW_NOMINATIONS, Cap.VIEW_LATENESS}
_UNIT_SIDE = {
    Cap.VIEW_OWN_UNIT,
    Cap.VIEW_SUBORDINATE_COMMUNES,
    Cap.VIEW_AUDIT,
    Cap.VIEW_REPORTS,
    Cap.VIEW_NOMINATIONS,
    Cap.REVIEW_COMMUNE_REPORT,
}

ROLE_CAPABILITIES: dict[str, frozenset[Cap]] = {
    Role.UNIT_OFFICER: frozenset(_UNIT_SIDE | {Cap.DRAFT_REPORT, Cap.DRAFT_NOMINATION}),
    Role.UNIT_HEAD: frozenset(
        _UNIT_SIDE | {Cap.DRAFT_REPORT, Cap.SUBMIT_REPORT, Cap.DRAFT_NOMINATION, Cap.SUBMIT_NOMINATION}
    ),
    Role.POLICE_REVIEWER: frozenset(
        _PROVINCE_SIDE | {Cap.REVIEW_REPORT, Cap.REOPEN_REPORT, Cap.CONSOLIDATE, Cap.APPRAISE_POLICE, Cap.VIEW_AUDIT}
    ),
    Role.POLICE_DIRECTOR: frozenset(_PROVINCE_SIDE | {Cap.APPROVE_POLICE_DIRECTOR, Cap.CONSOLIDATE, Cap.VIEW_AUDIT}),
    Role.HOME_AFFAIRS_REVIEWER: frozenset(_PROVINCE_SIDE | {Cap.APPRAISE_HOME_AFFAIRS}),
    Role.PROVINCIAL_LEADER: frozenset(_PROVINCE_SIDE | {Cap.APPROVE_PROVINCIAL_LEADER, Cap.VIEW_ALL_LATENESS}),
    Role.MINISTRY_LIAISON: frozenset({Cap.VIEW_OWN_UNIT, Cap.VIEW_NOMINATIONS, Cap.RECORD_MINISTRY_OUTCOME}),
    # The administrator manages units and users; it never approves anything, nor reads reports.
    Role.ADMINISTRATOR: frozenset({Cap.MANAGE_UNITS, Cap.MANAGE_USERS, Cap.VIEW_PROVINCE, Cap.VIEW_OPERATIONS}),
}

# Which unit kinds may hold which roles (a police director outside the police is a data error).
ROLE_UNIT_KINDS: dict[str, frozenset[str] | None] = {
    Role.UNIT_OFFICER: None,  # any unit
    Role.UNIT_HEAD: None,
    Role.POLICE_REVIEWER: frozenset({UnitKind.PROVINCIAL_POLICE}),
    Role.POLICE_DIRECTOR: frozenset({UnitKind.PROVINCIAL_POLICE}),
    Role.HOME_AFFAIRS_REVIEWER: frozenset({UnitKind.HOME_AFFAIRS}),
    Role.PROVINCIAL_LEADER: frozenset({UnitKind.PROVINCIAL_COMMITTEE}),
    Role.MINISTRY_LIAISON: frozenset({UnitKind.MINISTRY}),
    Role.ADMINISTRATOR: None,
}


# Who leads a unit: its head, the police director, the provincial leader.
LEADER_ROLES = (Role.UNIT_HEAD, Role.POLICE_DIRECTOR, Role.PROVINCIAL_LEADER)


def capabilities(role: str | None) -> frozenset[Cap]:
    return ROLE_CAPABILITIES.get(role, frozenset()) if role else frozenset()


def role_has(role: str | None, cap: Cap) -> bool:
    return cap in capabilities(role)


def role_allowed_in_unit_kind(role: str, kind: str) -> bool:
    kinds = ROLE_UNIT_KINDS.get(role)
    return kinds is None or kind in kinds


# What an administrator's import or export of each kind needs (awards/services/admin_imports.py).
IMPORT_CAPS = {"units": Cap.MANAGE_UNITS, "accounts": Cap.MANAGE_USERS}


def may_import(actor, kind: str) -> bool:
    """Units need MANAGE_UNITS, accounts and their memberships MANAGE_USERS: the administrator's."""
    cap = IMPORT_CAPS.get(kind)
    return cap is not None and actor.membership is not None and actor.can(cap)
