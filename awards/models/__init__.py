"""TĐKT's data: the organisation (org), campaigns and their outlines, reports and their figures."""

from .calendar import DayKind, WorkdayChange
from .campaigns import (
    Campaign,
    CampaignLegalBasis,
    CampaignParticipantChange,
    ItemKind,
    LegalBasis,
    OutlineItem,
    ReportOutline,
)
from .decisions import (
    Decision,
    DecisionItem,
    DecisionKind,
    DecisionStatus,
    DocumentKind,
    DocumentStatus,
    GeneratedDocument,
    SigningAuthority,
    decision_reference,
)
from .nominations import (
    LIVE_STATUSES,
    OPEN_STATUSES,
    ROUTE_STEPS,
    UNIT_STEPS,
    AwardStep,
    AwardType,
    BlockReason,
    CampaignAwardType,
    Dossier,
    Gender,
    HandOff,
    Nomination,
    NominationAction,
    NominationFile,
    NominationFileKind,
    NominationQuota,
    NominationStatus,
    NomineeKind,
    Outcome,
    Route,
    Step,
)
from .notifications import EmailStatus, JobRun, Notification, NotificationKind, NotificationPreference
from .org import (
    ACTION_LABELS,
    AuditEvent,
    LineageKind,
    Membership,
    Role,
    Unit,
    UnitGroupObjectPermission,
    UnitKind,
    UnitLineage,
    UnitPlacement,
    UnitUserObjectPermission,
    User,
)
from .prizes import BaseSalary, PrizeRate
from .reports import (
    AnswerCase,
    AnswerCount,
    AnswerDocument,
    AnswerRatio,
    AnswerText,
    AnswerYear,
    AnswerYesNo,
    CaseRow,
    DocumentRow,
    Report,
    ReportAttachment,
    ReportStatus,
    ReportVersion,
    ReviewComment,
)

__all__ = [
    "ACTION_LABELS", "AnswerCase", "AnswerCount", "AnswerDocument", "AnswerRatio", "AnswerText", "AnswerYear",
    "AnswerYesNo", "CaseRow", "DocumentRow", "AuditEvent", "ReportAttachment", "Campaign", "CampaignLegalBasis", "CampaignParticipantChange", "ItemKind",
    "LegalBasis", "LineageKind", "Membership", "OutlineItem", "Report", "ReportOutline", "ReportStatus",
    "ReportVersion", "ReviewComment", "Role", "Unit", "UnitGroupObjectPermission", "UnitKind", "UnitLineage",
    "UnitPlacement", "UnitUserObjectPermission", "User",
    "LIVE_STATUSES", "OPEN_STATUSES", "ROUTE_STEPS", "UNIT_STEPS", "AwardStep", "AwardType", "BlockReason",
    "CampaignAwardType", "Dossier", "Gender", "HandOff", "Nomination", "NominationAction", "NominationFile",
    "NominationFileKind", "NominationQuota", "NominationStatus", "NomineeKind", "Outcome", "Route", "Step",
    "DayKind", "WorkdayChange",
    "EmailStatus", "JobRun", "Notification", "NotificationKind", "NotificationPreference",
    "BaseSalary", "PrizeRate",
    "Decision", "DecisionItem", "DecisionKind", "DecisionStatus", "DocumentKind", "DocumentStatus", "GeneratedDocument",
    "SigningAuthority", "decision_reference",
]  # fmt: skip
