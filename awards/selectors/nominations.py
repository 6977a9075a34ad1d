"""Nomination visibility, the work inbox and personal data. Every nomination page reads through here."""

import datetime as dt
import logging
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from django.core.cache import cache
from django.db.models import F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..actor import Actor
from ..audit import audit_record
from ..calendar import deadline_words
from ..identity import name_key
from ..models import (
    AwardStep,
    AwardType,
    Campaign,
    Dossier,
    Membership,
    Nomination,
    NominationAction,
    NominationFileKind,
    NominationStatus,
    Outcome,
    Step,
    Unit,
    User,
    parent_on,
)
from ..permissions import (
    Cap,
    block_problem,
    evidence_expected,
    is_blocked_on,
    may_see_personal_data,
    quota_of,
    quota_used,
)
from ..text import nfc
from .org import deny, unit_scope
from .reports import report_readable

CLOSED = (NominationStatus.REJECTED, NominationStatus.WITHDRAWN)
log = logging.getLogger(__name__)


def award_types_on_route(actor: Actor) -> QuerySet:
    """The tiers whose route has a step held by the actor's unit (the police, Home Affairs, ...)."""
    return AwardStep.objects.filter(unit=actor.unit).values("award_type")


def nominations_visible(*, actor: Actor) -> QuerySet[Nomination]:
    """A unit sees its own nominations (a district also its communes'); an agency on a tier's route sees
    that tier's nominations once they have been sent up; a unit holding one sees it."""
    if not actor.can(Cap.VIEW_NOMINATIONS) or actor.unit is None:
        return Nomination.objects.none()
    if actor.can(Cap.VIEW_PROVINCE):
        # Agencies: their own unit's, and the tiers they act on once sent up — never other units' drafts.
        seen = Q(unit=actor.unit) | Q(dossier__isnull=False, award_type__in=award_types_on_route(actor))
        seen |= Q(holder=actor.unit)
    else:
        # A unit holds only its own nominations unless it acts on a route (the Ministry's liaison holds what
        # awaits the Ministry): without that OR the list is one indexed filter on the scope's units.
        seen = unit_scope(actor=actor).q("unit")
        if AwardStep.objects.filter(unit=actor.unit).exists():
            seen |= Q(holder=actor.unit)
    return Nomination.objects.filter(seen).select_related(
        "campaign", "unit", "award_type", "holder", "parent_unit", "dossier"
    )


@dataclass(frozen=True)
class ListFilters:
    """The filters of a campaign's list of nominations (its page and its export read the same rows)."""

    status: str = ""
    tier: int | None = None
    unit: int | None = None
    q: str = ""

    @classmethod
    def from_params(cls, params) -> "ListFilters":
        def number(name: str) -> int | None:
            value = str(params.get(name) or "")
            return int(value) if value.isdigit() and len(value) < 12 else None

        status = str(params.get("status") or "")
        return cls(status=status if status in NominationStatus.values else "", tier=number("tier"),
                   unit=number("unit"), q=str(params.get("q") or "")[:100])  # fmt: skip

    def as_params(self) -> dict:
        return {k: v for k, v in (("status", self.status), ("tier", self.tier), ("unit", self.unit), ("q", self.q))
                if v not in ("", None)}  # fmt: skip


def campaign_nominations(*, actor: Actor, campaign: Campaign, filters: ListFilters) -> QuerySet[Nomination]:
    """The campaign's nominations the actor may see (nominations_visible), narrowed by the list's filters, in the
    list's order."""
    nominations = nominations_visible(actor=actor).filter(campaign=campaign)
    if filters.status:
        nominations = nominations.filter(status=filters.status)
    if filters.tier:
        nominations = nominations.filter(award_type_id=filters.tier)
    if filters.unit:
        nominations = nominations.filter(unit_id=filters.unit)
    return nomination_search(nominations, filters.q).order_by("sort_key", "pk")


def personal_data_ids(*, actor: Actor, nominations: list[Nomination]) -> set[int]:
    """Of `nominations`, those whose citizen ID and date of birth the actor may see: `may_see_personal_data` for a
    list, in three queries instead of two per nomination (a test compares both on every nomination)."""
    if actor.unit is None or not nominations:
        return set()
    own = actor.can(Cap.DRAFT_NOMINATION) or actor.can(Cap.SUBMIT_NOMINATION)
    seen = {n.pk for n in nominations if n.unit_id == actor.unit.pk and own}
    others = [n for n in nominations if n.unit_id != actor.unit.pk]
    if not others:
        return seen
    steps: dict[int, set[str]] = {}
    for award_type, step in AwardStep.objects.filter(
        award_type_id__in={n.award_type_id for n in others}, unit=actor.unit, role=actor.role
    ).values_list("award_type_id", "step"):
        steps.setdefault(award_type, set()).add(step)
    candidates = [n for n in others if n.award_type_id in steps]
    at_agency = (NominationStatus.IN_REVIEW, NominationStatus.RETURNED, NominationStatus.AWAITING_DECISION)
    for n in candidates:
        if n.holder_id == actor.unit.pk and n.step in steps[n.award_type_id] and n.status in at_agency:
            seen.add(n.pk)
    rest = [n for n in candidates if n.pk not in seen]
    if rest:
        acted = NominationAction.objects.filter(nomination__in=rest, unit=actor.unit).values_list(
            "nomination_id", "step", "nomination__award_type_id"
        )
        seen |= {pk for pk, step, award_type in acted if step in steps.get(award_type, ())}
    return seen


def nomination_get(*, actor: Actor, pk: int, ip: str | None = None) -> Nomination:
    nomination = nominations_visible(actor=actor).filter(pk=pk).first()
    if nomination is None:
        raise deny(actor=actor, what="nomination", object_id=pk, ip=ip)
    return nomination


def dossier_get(*, actor: Actor, pk: int, ip: str | None = None) -> Dossier:
    """A dossier of the actor's unit, or one carrying a nomination the actor may see; else 403 (logged)."""
    dossier = None
    if actor.can(Cap.VIEW_NOMINATIONS):
        dossier = (
            Dossier.objects.filter(pk=pk)
            .filter(Q(unit=actor.unit) | Q(nominations__in=nominations_visible(actor=actor)))
            .select_related("campaign", "unit", "award_type")
            .distinct()
            .first()
        )
    if dossier is None:
        raise deny(actor=actor, what="dossier", object_id=pk, ip=ip)
    return dossier


def dossier_candidates(*, actor: Actor, campaign, award_type) -> list[Nomination]:
    """What the unit head may put in a dossier: the unit's nominations the officer has handed over."""
    return list(
        nominations_visible(actor=actor).filter(
            campaign=campaign, award_type=award_type, unit=actor.unit, step=Step.SUBMIT,
            status=NominationStatus.DRAFT,  # returned ones go back up alone, in their own dossier
        )
    )  # fmt: skip


def personal_data_view(*, actor: Actor, nomination: Nomination, ip: str | None = None) -> bool:
    """Whether to show the CCCD, date of birth and block; each showing is logged."""
    if not nomination.is_individual and not nomination.block_reason:
        return False
    if not may_see_personal_data(actor, nomination):
        return False
    audit_record(actor=actor, action="personal_data_viewed", obj=nomination, unit=nomination.unit, ip=ip)
    return True


@dataclass
class InboxFilters:
    campaign: int | None = None
    award_type: int | None = None
    unit: int | None = None
    district: int | None = None
    status: str = ""
    mine: bool = False  # only the steps claimed by me (or by the person I stand in for)
    q: str = ""  # a name (diacritics optional) or a citizen ID: `nomination_search`


_pairs_read: WeakKeyDictionary = WeakKeyDictionary()  # actor (one request's) → its pairs


def _my_pairs(actor: Actor) -> set[tuple[int, str]]:
    """(tier, step) pairs whose rule names the actor's role here; the unit's own steps for its members. Read
    once per actor: the inbox page asks for its rows and for its filters."""
    if actor in _pairs_read:
        return set(_pairs_read[actor])
    rules = AwardStep.objects.filter(role=actor.role).filter(Q(unit=actor.unit) | Q(unit__isnull=True))
    pairs = set(rules.values_list("award_type_id", "step"))
    if actor.can(Cap.DRAFT_NOMINATION):
        pairs |= {
            (a, Step.PREPARE)
            for a in AwardStep.objects.filter(step=Step.PREPARE).values_list("award_type_id", flat=True)
        }
    _pairs_read[actor] = frozenset(pairs)
    return pairs


def _my_steps(actor: Actor) -> Q:
    wanted = Q(pk__in=[])
    for award_type_id, step in _my_pairs(actor):
        wanted |= Q(award_type_id=award_type_id, step=step)
    return wanted


def nomination_inbox(*, actor: Actor, filters: InboxFilters | None = None) -> QuerySet[Nomination]:
    """The nominations waiting for the actor: held by their unit at a step their role acts on.

    One indexed query over (holder, step, status) whatever the number of tasks or of the user's
    guardian rows — not viewflow's `user_queue` (docs/architecture.md, fact 5).
    """
    if actor.unit is None or actor.role is None:
        return Nomination.objects.none()
    filters = filters or InboxFilters()
    inbox = (
        Nomination.objects.filter(holder=actor.unit)
        .filter(_my_steps(actor))
        .exclude(status__in=CLOSED)
        .exclude(step=Step.AWAITING_DECISION)  # the decisions issue acts there, through a decision
        .select_related("campaign", "unit", "unit__parent", "award_type", "dossier", "assignee")
    )
    if filters.campaign:
        inbox = inbox.filter(campaign_id=filters.campaign)
    if filters.award_type:
        inbox = inbox.filter(award_type_id=filters.award_type)
    if filters.unit:
        inbox = inbox.filter(unit_id=filters.unit)
    if filters.district:  # the district itself, or a unit placed under it on its campaign's reference date
        parent_then = parent_on(unit=OuterRef("unit_id"), day=OuterRef("campaign__reference_date"),
                                current=F("unit__parent_id"))  # fmt: skip
        inbox = inbox.alias(parent_then=parent_then).filter(
            Q(unit_id=filters.district) | Q(parent_then=filters.district)
        )
    if filters.status:
        inbox = inbox.filter(status=filters.status)
    if filters.mine:
        mine = [actor.user.pk] + ([actor.on_behalf_of.pk] if actor.on_behalf_of else [])
        inbox = inbox.filter(assignee_id__in=mine)
    inbox = nomination_search(inbox, filters.q)
    return inbox.order_by("sort_key", "pk")  # the stored Vietnamese key: given name first for people


INBOX_ROW_FIELDS = (
    "pk", "name", "status", "step", "held_since", "step_due", "unit__name", "award_type__name", "award_type__route",
    "assignee_id", "assignee__full_name", "assignee__first_name", "assignee__last_name", "assignee__username",
)  # fmt: skip


class InboxRows:
    """The inbox as its page reads it (`views.paging.page_of`): counted on the inbox itself, which joins nothing,
    and each row of the page read as the dict of INBOX_ROW_FIELDS its line prints (three joins), in the inbox's
    order. A values queryset alone would be counted with its joins: a quarter more for the capped count."""

    def __init__(self, inbox: QuerySet[Nomination]):
        self.inbox = inbox

    def order_by(self, *fields) -> QuerySet[Nomination]:
        return self.inbox.order_by(*fields)

    def __getitem__(self, index):
        return self.inbox.values(*INBOX_ROW_FIELDS)[index]


def inbox_rows(*, actor: Actor, filters: InboxFilters | None = None) -> InboxRows:
    """`nomination_inbox` as the inbox page lists it: only what each line prints."""
    return InboxRows(nomination_inbox(actor=actor, filters=filters))


def step_colleagues(*, nomination: Nomination) -> QuerySet[User]:
    """The people who hold the role of the nomination's current step in the holding unit today."""
    rule = AwardStep.objects.filter(award_type_id=nomination.award_type_id, step=nomination.step).first()
    if rule is None:
        return User.objects.none()
    members = Membership.objects.valid_on(timezone.localdate()).filter(unit_id=nomination.holder_id, role=rule.role)
    return User.objects.filter(is_active=True, pk__in=members.values("user")).order_by("sort_key")


def nomination_route(*, nomination: Nomination) -> list[dict]:
    """The tier's route as its diagram: each step, who acts there, its time limit, and where this one is."""
    rules = {r.step: r for r in AwardStep.objects.filter(award_type_id=nomination.award_type_id).select_related("unit")}
    steps = list(nomination.award_type.steps)
    here = steps.index(nomination.step) if nomination.step in steps else -1
    stopped = nomination.status in CLOSED
    route = []
    for index, step in enumerate(steps):
        rule = rules.get(step)
        state = "done" if index < here else ("current" if index == here else "todo")
        if state == "current" and stopped:
            state = "stopped"
        route.append({
            "label": Step(step).label, "state": state, "role": rule.get_role_display() if rule else "",
            "unit": (rule.unit or nomination.unit).name if rule else "", "days": rule.time_limit_days if rule else None,
        })  # fmt: skip
    return route


INBOX_CHOICES_SECONDS = 60  # how stale the inbox's list of units may be (a shared cache on several nodes)


def inbox_filter_choices(*, actor: Actor, campaign: int | None = None) -> dict:
    """What the inbox can be filtered by. The campaigns, tiers and districts come from small tables; the
    nominating units present in the inbox are one DISTINCT over it, kept in the cache for a minute per
    holding unit and role (Redis on several nodes), so a page costs no scan of the whole inbox. The districts
    are the intermediate level of the campaign filtered on (`Campaign.intermediate_level`), else of any of the
    actor's campaigns: none for campaigns on the two-tier structure, and then no district filter."""
    if actor.unit is None or actor.role is None:
        return {"campaign_choices": [], "tier_choices": [], "unit_choices": [], "district_choices": []}
    tiers = {award_type_id for award_type_id, _step in _my_pairs(actor)}
    key = f"inbox-units:{actor.unit.pk}:{actor.role}:{int(actor.can(Cap.DRAFT_NOMINATION))}"
    try:
        units = cache.get(key)
    except Exception:  # the cache (Redis) is down: the page still answers, at the cost of the DISTINCT
        log.warning("cache unavailable for the inbox's units", exc_info=True)
        units = None
    if units is None:
        inbox = nomination_inbox(actor=actor).order_by()
        units = list(inbox.values_list("unit_id", "unit__name", "unit__sort_key").distinct().order_by("unit__sort_key"))
        try:
            cache.set(key, units, INBOX_CHOICES_SECONDS)
        except Exception:
            log.warning("cache unavailable for the inbox's units", exc_info=True)
    campaigns = list(
        Campaign.objects.filter(award_types__in=tiers).distinct()
        .values_list("pk", "plan_number", "plan_symbol", "reference_date").order_by("pk")
    )  # fmt: skip
    days = {day for pk, _number, _symbol, day in campaigns if campaign in (None, pk)}
    levels = Q(pk__in=[])
    for day in sorted(days):
        levels |= Q(pk__in=Unit.objects.intermediate_on(day).values("pk"))
    return {
        "campaign_choices": [(pk, number, symbol) for pk, number, symbol, _day in campaigns],
        "tier_choices": list(
            AwardType.objects.filter(pk__in=tiers).values_list("pk", "name").order_by("position", "pk")
        ),
        "unit_choices": units,
        "district_choices": list(  # only districts the actor may see (a commune's officer: none)
            Unit.objects.filter(unit_scope(actor=actor).q("pk")).filter(levels)
            .values_list("pk", "name", "sort_key").order_by("sort_key")
        ) if days else [],
    }  # fmt: skip


def nomination_timeline(*, actor: Actor, nomination: Nomination) -> list[dict]:
    """Every past step with its outcome and comment; internal notes only for the agencies, not the unit."""
    internal = actor.unit is not None and actor.unit.pk != nomination.unit_id
    rows = []
    for action in nomination.actions.select_related("unit", "actor", "on_behalf_of", "handoff__to_unit"):
        rows.append({"action": action, "internal_note": action.internal_note if internal else ""})
    return rows


WAITING_CAP = 1000  # counted exactly up to here, then shown as "1.000+"


def nominations_waiting(*, actor: Actor) -> list[dict]:
    """The home page's share of the inbox (the same `nomination_inbox`, so the two never disagree): per campaign,
    tier and step, how many wait, how many are past their step's due day and the earliest due day. One query per
    (tier, step) the actor acts on, each reading at most WAITING_CAP + 1 index entries: it does not grow with
    the data."""
    if actor.unit is None or actor.role is None:
        return []
    today = timezone.localdate()
    inbox = nomination_inbox(actor=actor).order_by()
    groups: dict[tuple, dict] = {}
    for award_type_id, step in sorted(_my_pairs(actor)):
        if step == Step.AWAITING_DECISION:
            continue
        rows = inbox.filter(award_type_id=award_type_id, step=step).values_list(
            "campaign_id",
            "campaign__plan_number",
            "campaign__plan_symbol",
            "award_type__name",
            "step_due",
            "pk",
            "name",
            "status",
            "held_since",
        )[: WAITING_CAP + 1]
        rows = list(rows)
        for campaign_id, plan_number, plan_symbol, tier, due, pk, name, status, since in rows:
            group = groups.setdefault((campaign_id, award_type_id, step), {
                "campaign_id": campaign_id, "plan": f"{plan_number}/{plan_symbol}", "award_type_id": award_type_id,
                "award_type": tier, "step": step, "step_label": Step(step).label, "count": 0, "late": 0,
                "due": None, "items": [],
            })  # fmt: skip
            group["count"] += 1
            group["more"] = len(rows) > WAITING_CAP  # past the cap, each campaign's share is a lower bound
            if due is not None:
                group["late"] += due < today
                group["due"] = min(group["due"] or due, due)
            group["items"].append(WaitingItem(pk=pk, name=name, returned=status == NominationStatus.RETURNED,
                                              due=due, late=due is not None and due < today, since=since))  # fmt: skip
    for group in groups.values():
        group["count"] = min(group["count"], WAITING_CAP)
        # The first few to open, one click each: returned files first, then by due day, then the longest waiting.
        group["items"] = sorted(group["items"], key=lambda i: (not i.returned, i.due or dt.date.max, i.since))[
            :WAITING_ITEMS
        ]
    return sorted(groups.values(), key=lambda g: (g["due"] or dt.date.max, g["plan"], g["award_type"]))


WAITING_ITEMS = 3  # nominations named under each of the home page's groups


@dataclass(frozen=True)
class WaitingItem:
    pk: int
    name: str
    returned: bool
    due: dt.date | None
    late: bool
    since: dt.datetime


def open_return(*, nomination: Nomination) -> NominationAction | None:
    """The return a returned nomination is still answering (its comment says what to fix), shown at the top of
    its page until it is sent on again; None when it is not returned."""
    if nomination.status != NominationStatus.RETURNED:
        return None
    return (
        nomination.actions.filter(outcome=Outcome.RETURNED)
        .select_related("unit", "actor")
        .order_by("-at", "-pk")
        .first()
    )


def nomination_search(nominations: QuerySet[Nomination], q: str) -> QuerySet[Nomination]:
    """Narrow a list the actor may see to a citizen ID (9 or 12 digits, spaces ignored) or a name typed with or
    without diacritics, in any case, whole or in part ("nguyen thi anh", "thị ánh" find "Nguyễn Thị Ánh"): the
    stored `name_key`, which PostgreSQL searches through a trigram index (migration 0028)."""
    q = nfc(q or "").strip()[:100]
    digits = q.replace(" ", "")
    if digits.isdigit() and len(digits) in (9, 12):
        return nominations.filter(id_number=digits)
    key = name_key(q)
    return nominations.filter(name_key__contains=key) if key else nominations


@dataclass(frozen=True)
class CheckItem:
    """One line of a nomination's "before sending" checklist. `state`: "ok", "blocks" (sending is refused
    until it is done) or "warn" (it may be sent, but the reviewer will ask)."""

    state: str
    text: str
    link: str = ""
    link_text: str = ""


def send_checklist(*, actor: Actor, nomination: Nomination) -> list[CheckItem]:
    """What stands between a nomination still with its unit and its sending, from the moment it is created:
    the same rules the services apply when the head sends (awards.permissions), read without changing anything."""
    today = timezone.localdate()
    items: list[CheckItem] = []
    cites, report, version = evidence_expected(nomination)
    if cites:
        items.append(CheckItem("ok", _("Evidence: the provincial consolidation.")))
    elif report is None:
        items.append(CheckItem("blocks", _("No report of this campaign covers the nominee's unit yet: the unit "
                                           "must send its report and have it accepted first.")))  # fmt: skip
    else:
        link = reverse("report_detail", args=[report.pk]) if report_readable(actor=actor, report_id=report.pk) else ""
        if version is None:
            items.append(CheckItem("blocks", _("The report of %(unit)s, which covers the nominee, has not been "
                                               "accepted yet (%(status)s).")
                                   % {"unit": report.unit.name, "status": report.get_status_display()},
                                   link, _("Open the report")))  # fmt: skip
        else:
            items.append(CheckItem("ok", _("The report of %(unit)s has been accepted (version %(v)s).")
                                   % {"unit": report.unit.name, "v": version.number}, link, _("Open the report")))  # fmt: skip
    if is_blocked_on(nomination, today):
        items.append(CheckItem("blocks", block_problem(nomination)))
    else:
        items.append(CheckItem("ok", _("No discipline review, investigation or complaint is recorded.")))
    has_report = (
        bool(nomination.achievement_text) or nomination.files.filter(kind=NominationFileKind.ACHIEVEMENT).exists()
    )
    if has_report:
        items.append(CheckItem("ok", _("The achievement report is in the file.")))
    else:
        items.append(CheckItem("warn", _("Attach the nominee's achievement report (báo cáo thành tích): the "
                                         "dossier must include it, or the reviewer returns the file."),
                               "#files", _("Attach it")))  # fmt: skip
    if nomination.dossier_id is not None:  # returned after sending: it goes back up in its dossier, already counted
        return items
    quota = quota_of(unit=nomination.unit, campaign=nomination.campaign, award_type=nomination.award_type)
    if quota is not None:
        used = quota_used(unit=nomination.unit, campaign=nomination.campaign, award_type=nomination.award_type)
        params = {"used": used, "limit": quota.limit, "award": nomination.award_type.name}
        if used >= quota.limit:
            items.append(CheckItem("blocks", _("Your unit has already sent %(used)s of its %(limit)s places for "
                                               "%(award)s in this campaign: no more can be sent.") % params))  # fmt: skip
        else:
            items.append(CheckItem("ok", _("Places for %(award)s: %(used)s of %(limit)s used.") % params))
    deadline = nomination.campaign.nomination_deadline
    if deadline:
        words = deadline_words(deadline)
        if timezone.now() > deadline:
            items.append(CheckItem("warn", _("The nomination deadline (%(deadline)s) has passed: a dossier sent "
                                             "now is marked late.") % {"deadline": words}))  # fmt: skip
        else:
            items.append(CheckItem("ok", _("Nomination deadline: %(deadline)s.") % {"deadline": words}))
    return items
