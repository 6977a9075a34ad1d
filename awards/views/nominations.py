"""Nomination pages: a campaign's nominations, the nomination form and page, dossiers, the work inbox.
Thin: every read goes through awards.selectors.nominations, every write through the services."""

import html
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import permissions as perms
from ..forms.nominations import (
    AchievementForm,
    ActForm,
    BlockForm,
    DossierForm,
    HandOffForm,
    NominationFileForm,
    NominationForm,
)
from ..identity import mask_id_number
from ..models import (
    AWAITING_RETURNS_TO,
    Dossier,
    ExportKind,
    NominationFileKind,
    NominationStatus,
    NomineeKind,
    Outcome,
    Step,
    User,
)
from ..models.nominations import NO_STEP_LIMIT, OPEN_STATUSES
from ..permissions import Cap
from ..selectors import award_history
from ..selectors import decisions as decision_selectors
from ..selectors import nominations as sel
from ..selectors import reports as report_selectors
from ..selectors.org import deny, units_visible
from ..services import documents
from ..services import nominations as svc
from ..text import is_id
from ..uploads import attach_upload_refusal, download_response, limit_uploads, max_bytes_for
from .exports import export_response
from .http import client_ip, file_response, form_errors_as_messages
from .paging import page_of

LIST_PAGE = INBOX_PAGE = 100  # rows per page of the campaign's list and of the inbox
HELD_STATUSES = (*OPEN_STATUSES, NominationStatus.AWAITING_DECISION)  # Nomination.is_held


def _nomination(request: HttpRequest, pk: int):
    return sel.nomination_get(actor=request.actor, pk=pk, ip=client_ip(request))


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_GET
def campaign_nominations(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = report_selectors.campaign_get(actor=request.actor, pk=pk, ip=client_ip(request))
    tiers = list(campaign.award_types.order_by("position"))
    filters = sel.ListFilters.from_params(request.GET)
    nominations = sel.campaign_nominations(actor=request.actor, campaign=campaign, filters=filters)
    status, tier, unit, q = filters.status, filters.tier, filters.unit, request.GET.get("q", "")
    # the filter offers the units the actor may see, nothing else (one unit: no filter to offer)
    units = list(units_visible(actor=request.actor).values_list("pk", "name"))
    page = page_of(nominations, size=LIST_PAGE, number=request.GET.get("page"),
                   params=request.GET)  # fmt: skip
    rows = [{"n": n, "id_masked": mask_id_number(n.id_number)} for n in page]
    return render(request, "awards/nominations.html", {
        "campaign": campaign, "rows": rows, "page": page, "tiers": tiers, "statuses": NominationStatus.choices,
        "status": status, "tier": tier, "q": q,
        "unit_options": _options(units, unit) if len(units) > 1 else "",
        "can_draft": request.actor.can(Cap.DRAFT_NOMINATION), "can_send": request.actor.can(Cap.SUBMIT_NOMINATION),
        "export_query": urlencode(filters.as_params()), "can_export": request.actor.can(Cap.VIEW_NOMINATIONS),
        "deadline_passed": bool(campaign.nomination_deadline and timezone.now() > campaign.nomination_deadline),
    })  # fmt: skip


@require_GET
def nominations_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The list as filtered, in the nominee import's columns: in the request up to a page, else a background
    export (awards.services.exports)."""
    campaign = report_selectors.campaign_get(actor=request.actor, pk=pk, ip=client_ip(request))
    if not request.actor.can(Cap.VIEW_NOMINATIONS):
        raise deny(actor=request.actor, what="nominations_export", object_id=pk, ip=client_ip(request))
    params = sel.ListFilters.from_params(request.GET).as_params()
    return export_response(request, kind=ExportKind.NOMINATIONS_XLSX, campaign=campaign, params=params)


def _form_units(request: HttpRequest):
    """The units a collective may belong to: those in the actor's scope that exist today."""
    return units_visible(actor=request.actor).valid_on(timezone.localdate())


@require_http_methods(["GET", "POST"])
def nomination_new(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = report_selectors.campaign_get(actor=request.actor, pk=pk, ip=client_ip(request))
    if not request.actor.can(Cap.DRAFT_NOMINATION):
        raise deny(actor=request.actor, what="nomination_new", object_id=pk, ip=client_ip(request))
    tiers = list(campaign.award_types.order_by("position"))
    form = NominationForm(request.POST or None, award_types=tiers, units=_form_units(request),
                          initial={"kind": NomineeKind.INDIVIDUAL, "parent_unit": request.actor.unit})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        tier = next(t for t in tiers if t.pk == form.cleaned_data["award_type"])
        try:
            nomination = svc.nomination_create(by=request.actor, campaign=campaign, award_type=tier,
                                               kind=form.cleaned_data["kind"], **form.nominee_fields())  # fmt: skip
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Nomination saved."))
            for warning in svc.nomination_warnings(nomination, by=request.actor):
                messages.warning(request, warning)
            return redirect("nomination_detail", pk=nomination.pk)
    return render(request, "awards/nomination_form.html", {"form": form, "campaign": campaign})


@require_http_methods(["GET", "POST"])
def nomination_edit(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination(request, pk)
    if not perms.may_edit(request.actor, nomination):
        raise PermissionDenied
    initial = {f: getattr(nomination, f) for f in svc.NOMINEE_FIELDS}
    form = NominationForm(request.POST or None, units=_form_units(request), editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            svc.nomination_update(by=request.actor, nomination=nomination, **form.nominee_fields())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Nomination saved."))
            for warning in svc.nomination_warnings(nomination, by=request.actor):
                messages.warning(request, warning)
            return redirect("nomination_detail", pk=nomination.pk)
    # The form shows the stored citizen ID and date of birth: a full view, logged like the page's.
    sel.personal_data_view(actor=request.actor, nomination=nomination, ip=client_ip(request))
    return render(request, "awards/nomination_form.html",
                  {"form": form, "campaign": nomination.campaign, "nomination": nomination})  # fmt: skip


@require_GET
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination(request, pk)
    actor = request.actor
    awaiting = perms.may_act_awaiting(actor, nomination)
    can_act = awaiting or nomination.step not in svc.UNIT_STEPS and nomination.status in (
        NominationStatus.IN_REVIEW, NominationStatus.RETURNED
    ) and perms.may_act(actor, nomination)  # fmt: skip
    needs_handoff = can_act and (nomination.award_type.route, nomination.step) in svc.HANDOFF_STEPS
    evidence_readable = report_selectors.report_readable(actor=actor, report_id=nomination.evidence_report_id)
    # What stands between the nomination and its sending, for the unit that prepares and sends it.
    unit_side = nomination.step in svc.UNIT_STEPS and nomination.status in (
        NominationStatus.DRAFT,
        NominationStatus.RETURNED,
    )
    checklist = sel.send_checklist(actor=actor, nomination=nomination) if unit_side and (
        perms.may_edit(actor, nomination) or perms.may_send(actor, nomination) or perms.may_resubmit(actor, nomination)
    ) else []  # fmt: skip
    files = list(nomination.files.all())
    removable = perms.removable_files(actor, nomination, files)
    return render(request, "awards/nomination_detail.html", {
        "n": nomination,
        "personal": sel.personal_data_view(actor=actor, nomination=nomination, ip=client_ip(request)),
        "id_masked": mask_id_number(nomination.id_number),
        "timeline": sel.nomination_timeline(actor=actor, nomination=nomination),
        "route": sel.nomination_route(nomination=nomination),
        "evidence_sheet": _evidence_sheet(nomination) if evidence_readable else [],
        "evidence_readable": evidence_readable,
        "checklist": checklist,
        "blocking": sum(1 for c in checklist if c.state == "blocks"),
        "outdated": svc.evidence_is_outdated(nomination),
        "can_edit": perms.may_edit(actor, nomination),
        "can_prepare": nomination.step == Step.PREPARE and perms.may_edit(actor, nomination),
        "can_resubmit": perms.may_resubmit(actor, nomination),
        "can_withdraw": perms.may_withdraw(actor, nomination),
        "can_act": can_act,
        "can_take": perms.may_take(actor, nomination),
        "colleagues": sel.step_colleagues(nomination=nomination) if perms.may_take(actor, nomination) else [],
        "needs_handoff": needs_handoff,
        "can_send": perms.may_send(actor, nomination),
        "last_return": sel.open_return(nomination=nomination),
        "duplicates": svc.nomination_duplicates(nomination) if can_act and nomination.step == Step.POLICE_APPRAISAL else [],
        "act_form": ActForm(initial={"step": nomination.step}, awaiting=awaiting, handoff=needs_handoff),
        "awaiting": awaiting,
        "in_draft_decision": awaiting and perms.in_draft_decision(nomination),
        "returns_to": Step(AWAITING_RETURNS_TO[nomination.award_type.route]).label if awaiting else "",
        "achievement_form": AchievementForm(initial={"achievement": nomination.achievement}),
        "past_awards": award_history.nominee_history(actor=actor, nomination=nomination),
        "award": decision_selectors.nomination_award(nomination=nomination)
        if nomination.status in (NominationStatus.AWARDED, NominationStatus.REVOKED) else None,
        "files": [(f, f.pk in removable) for f in files],
        "file_form": NominationFileForm(),
        "block_form": BlockForm(initial={"reason": nomination.block_reason, "until": nomination.block_until,
                                         "note": nomination.block_note}),
        "can_block": perms.may_block(actor, nomination),
        "can_lift_block": perms.may_lift_block(actor, nomination),
        "block_note_shown": perms.may_read_block_note(actor, nomination),
        "handoff_form": HandOffForm(initial={"date": timezone.localdate(), "step": nomination.step}),
        "agency_view": actor.can(Cap.VIEW_PROVINCE),  # hand-offs' tờ trình are the agencies' papers
    })  # fmt: skip


def _evidence_sheet(nomination) -> list[dict]:
    """The pinned report's answered questions, shown beside the nomination to those who may read it."""
    version = nomination.evidence_version
    if version is None:
        return []
    rows = report_selectors.report_sheet(report=version.report, version=version)
    return [row for row in rows if row["item"].kind == "section" or row["answer"] not in (None, "", [], {})]


def _post_service(request: HttpRequest, pk: int, call, success) -> HttpResponse:
    """Run a service on the nomination and say what happened: `success` is the message, or a function of the
    nomination the service returns (to name where it went)."""
    nomination = _nomination(request, pk)
    try:
        done = call(nomination)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, success(done) if callable(success) else success)
    return redirect("nomination_detail", pk=nomination.pk)


def _moved(nomination) -> str:
    """A full sentence after a step: whose the file is now and at which step."""
    params = {"name": nomination.name, "holder": nomination.holder.name if nomination.holder_id else "",
              "step": nomination.get_step_display()}  # fmt: skip
    if nomination.status == NominationStatus.RETURNED:
        return _("“%(name)s” returned to %(holder)s for revision, with your comment.") % params
    if nomination.status == NominationStatus.REJECTED:
        return _("“%(name)s” is not proposed; %(unit)s is told the reason.") % {**params, "unit": nomination.unit.name}
    if nomination.status == NominationStatus.AWAITING_DECISION:
        return _("“%(name)s” approved: it awaits the decision of %(holder)s.") % params
    return _("“%(name)s” approved: it is now with %(holder)s (%(step)s).") % params


@require_POST
def nomination_prepared(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_service(request, pk, lambda n: svc.nomination_prepared(by=request.actor, nomination=n),
                         lambda n: _("“%(name)s” handed to the unit head, who sends it with the dossier.") % {"name": n.name})  # fmt: skip


@require_POST
def nomination_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_service(request, pk, lambda n: svc.nomination_resubmit(
        by=request.actor, nomination=n, comment=request.POST.get("comment", "")),
        lambda n: _("“%(name)s” sent back up to %(holder)s.") % {"name": n.name, "holder": n.holder.name})  # fmt: skip


@require_POST
def nomination_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_service(request, pk, lambda n: svc.nomination_withdraw(
        by=request.actor, nomination=n, reason=request.POST.get("reason", "")),
        lambda n: _("The nomination of “%(name)s” is withdrawn.") % {"name": n.name})  # fmt: skip


@require_POST
def nomination_claim(request: HttpRequest, pk: int) -> HttpResponse:
    """One click: take the step and open the nomination."""
    return _post_service(request, pk, lambda n: svc.nomination_claim(by=request.actor, nomination=n),
                         _("You are handling this nomination."))  # fmt: skip


@require_POST
def nomination_assign(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination(request, pk)
    if not perms.may_take(request.actor, nomination):
        raise deny(actor=request.actor, what="nomination_assign", object_id=pk, ip=client_ip(request))
    colleague = sel.step_colleagues(nomination=nomination).filter(pk=_int(request.POST.get("to"))).first()
    if colleague is None:
        messages.error(request, _("Choose a colleague who holds the role for this step."))
        return redirect("nomination_detail", pk=nomination.pk)
    return _post_service(request, pk, lambda n: svc.nomination_claim(by=request.actor, nomination=n, to=colleague),
                         _("Handed to %(name)s.") % {"name": colleague.display_name})  # fmt: skip


@require_POST
def nomination_allow_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    _agency_nomination(request, pk)
    return _post_service(request, pk, lambda n: svc.nomination_duplicate_allow(
        by=request.actor, nomination=n, reason=request.POST.get("reason", "")), _("Reason recorded."))  # fmt: skip


def _agency_nomination(request: HttpRequest, pk: int):
    """A nomination the actor may see and whose route has a step for the actor's role and unit."""
    nomination = _nomination(request, pk)
    if not perms.acts_on_route(request.actor, nomination):
        raise deny(actor=request.actor, what="nomination_step", object_id=pk, ip=client_ip(request))
    return nomination


@require_POST
def nomination_act(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _agency_nomination(request, pk)
    form = ActForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve, return or reject."))
        return redirect("nomination_detail", pk=nomination.pk)
    data = form.cleaned_data
    try:
        done = svc.nomination_act(by=request.actor, nomination=nomination, step=data["step"], outcome=data["outcome"],
                                  comment=data["comment"], internal_note=data["internal_note"])  # fmt: skip
    except ValidationError as error:
        _errors(request, error)
        return redirect("nomination_detail", pk=nomination.pk)
    messages.success(request, _moved(done))
    return redirect("nomination_inbox")


@require_POST
def nomination_handoff(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve one nomination at a hand-off step with the sender's tờ trình (the inbox does it for many)."""
    nomination = _agency_nomination(request, pk)
    form = HandOffForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect("nomination_detail", pk=nomination.pk)
    try:
        handoff = svc.handoff_send(by=request.actor, nominations=[nomination], **form.cleaned_data)
    except ValidationError as error:
        _errors(request, error)
        return redirect("nomination_detail", pk=nomination.pk)
    messages.success(request, _("“%(name)s” sent on to %(to)s with your submission %(number)s.")
                     % {"name": nomination.name, "to": handoff.to_unit.name, "number": handoff.number})  # fmt: skip
    return redirect("nomination_inbox")


@limit_uploads(max_bytes=max_bytes_for("supporting"))
@require_POST
def nomination_file_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """The achievement report as a file, or a supporting file, while the nomination is with the unit."""
    nomination = _nomination(request, pk)
    if not perms.may_edit(request.actor, nomination):
        raise PermissionDenied
    form = NominationFileForm(request.POST, request.FILES)
    if not attach_upload_refusal(request=request, form=form, field="file") and form.is_valid():
        try:
            stored = svc.nomination_file_add(by=request.actor, nomination=nomination,
                                             uploaded_file=form.cleaned_data["file"], kind=form.cleaned_data["kind"])  # fmt: skip
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("“%(name)s” attached.") % {"name": stored.original_name})
            return redirect("nomination_detail", pk=nomination.pk)
    form_errors_as_messages(request, form)
    return redirect("nomination_detail", pk=nomination.pk)


@require_http_methods(["GET", "POST"])
def nomination_file_remove(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    """Remove a file not yet sent: GET asks to confirm (naming the file), POST removes it."""
    nomination = _nomination(request, pk)
    if not perms.may_edit(request.actor, nomination):
        raise deny(actor=request.actor, what="nomination_file_remove", object_id=file_pk, ip=client_ip(request))
    if request.method == "POST":
        try:
            name = svc.nomination_file_remove(by=request.actor, nomination=nomination, file_pk=file_pk)
        except PermissionDenied:
            messages.error(request, _("This file was sent with the nomination: it stays in the file."))
        else:
            messages.success(request, _("“%(name)s” removed.") % {"name": name} if name
                             else _("The file had already been removed."))  # fmt: skip
        return redirect("nomination_detail", pk=nomination.pk)
    stored = nomination.files.filter(pk=file_pk).first()
    if stored is None or not perms.may_remove_file(request.actor, nomination, stored):
        raise deny(actor=request.actor, what="nomination_file_remove", object_id=file_pk, ip=client_ip(request))
    return render(request, "awards/nomination_file_remove.html", {"n": nomination, "file": stored})


def _stored_file_download(request: HttpRequest, files, file_pk: int, what: str) -> HttpResponse:
    stored = files.filter(pk=file_pk).first()
    if stored is None:
        raise deny(actor=request.actor, what=what, object_id=file_pk, ip=client_ip(request))
    return download_response(relative_path=stored.stored_path, download_name=stored.original_name,
                             content_type=stored.content_type)  # fmt: skip


@require_GET
def nomination_file_download(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    return _stored_file_download(request, _nomination(request, pk).files, file_pk, "nomination_file")


@require_POST
def nomination_achievement(request: HttpRequest, pk: int) -> HttpResponse:
    """The agency holding the nomination edits its achievement line before the decision."""
    nomination = _agency_nomination(request, pk)
    form = AchievementForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect("nomination_detail", pk=nomination.pk)
    return _post_service(request, pk, lambda n: svc.nomination_achievement_edit(
        by=request.actor, nomination=n, achievement=form.cleaned_data["achievement"]), _("Achievement line saved."))  # fmt: skip


@require_POST
def nomination_block(request: HttpRequest, pk: int) -> HttpResponse:
    """Record (or clear) a discipline review, investigation or complaint, with the date it lifts."""
    nomination = _nomination(request, pk)
    form = BlockForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect("nomination_detail", pk=nomination.pk)
    done = _("Block recorded.") if form.cleaned_data["reason"] else _("Block lifted.")
    return _post_service(request, pk, lambda n: svc.nomination_block(by=request.actor, nomination=n, **form.cleaned_data),
                         done)  # fmt: skip


# Dossiers ---------------------------------------------------------------------------------------


@limit_uploads(max_bytes=max_bytes_for("scan"))
@require_http_methods(["GET", "POST"])
def dossier_new(request: HttpRequest, pk: int, award_type_pk: int) -> HttpResponse:
    campaign = report_selectors.campaign_get(actor=request.actor, pk=pk, ip=client_ip(request))
    tier = campaign.award_types.filter(pk=award_type_pk).first()
    if tier is None or not request.actor.can(Cap.SUBMIT_NOMINATION) or request.actor.unit is None:
        raise deny(actor=request.actor, what="dossier_new", object_id=award_type_pk, ip=client_ip(request))
    candidates = sel.dossier_candidates(actor=request.actor, campaign=campaign, award_type=tier)
    # From a nomination's page ("?nomination=<id>"): that one ticked; from the list: every one ready to send.
    one = _int(request.GET.get("nomination"))
    ticked = [n.pk for n in candidates if one is None or n.pk == one]
    form = DossierForm(request.POST or None, request.FILES or None, candidates=candidates,
                       initial={"date": timezone.localdate(), "nominations": ticked})  # fmt: skip
    refused = request.method == "POST" and attach_upload_refusal(request=request, form=form, field="minutes")
    # The minutes of an earlier refused send, kept (a new file chosen replaces them).
    held = (
        svc.minutes_held(by=request.actor, token=request.POST.get("minutes_held", ""))
        if request.method == "POST"
        else None
    )
    if request.method == "POST" and not refused and form.is_valid():
        data = dict(form.cleaned_data)
        wanted = set(data.pop("nominations"))
        chosen = [n for n in candidates if n.pk in wanted]
        data["minutes"] = data["minutes"] or held
        try:
            dossier = svc.dossier_submit(by=request.actor, campaign=campaign, award_type=tier,
                                         nominations=chosen, **data)  # fmt: skip
        except ValidationError as error:
            NominationForm.add_service_errors(form, error)
        else:
            messages.success(request, ngettext(
                "Dossier %(number)s sent to %(to)s with %(count)s nomination.",
                "Dossier %(number)s sent to %(to)s with %(count)s nominations.", len(chosen),
            ) % {"number": dossier.number, "to": _receiver(request, dossier), "count": len(chosen)})  # fmt: skip
            return redirect("dossier_detail", pk=dossier.pk)
    if request.method == "POST" and request.FILES.get("minutes") and "minutes" not in form.errors:
        try:  # the send was refused for another reason: nothing uploaded is lost
            held = svc.minutes_hold(by=request.actor, uploaded_file=request.FILES["minutes"])
        except ValidationError as error:
            form.add_error("minutes", error)
    return render(request, "awards/dossier_form.html", {"form": form, "campaign": campaign, "tier": tier,
                                                         "held": held})  # fmt: skip


def _receiver(request: HttpRequest, dossier: Dossier) -> str:
    """Who a sent dossier's nominations are now with (the first step's unit), for the confirmation message."""
    sent = sel.nominations_visible(actor=request.actor).filter(dossier=dossier, holder__isnull=False)
    holders = set(sent.values_list("holder__name", flat=True))
    return ", ".join(sorted(holders)) or _("the reviewing agency")


def _dossier(request: HttpRequest, pk: int) -> Dossier:
    return sel.dossier_get(actor=request.actor, pk=pk, ip=client_ip(request))


@require_GET
def dossier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _dossier(request, pk)
    nominations = sel.nominations_visible(actor=request.actor).filter(dossier=dossier).order_by("sort_key")
    return render(request, "awards/dossier_detail.html", {"dossier": dossier, "nominations": nominations,
                                                           "minutes": dossier.files.filter(kind=NominationFileKind.MINUTES)})  # fmt: skip


@require_GET
def dossier_minutes(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    return _stored_file_download(request, _dossier(request, pk).files, file_pk, "dossier_file")


@require_GET
def dossier_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's tờ trình with its list, as DOCX, ready to sign."""
    dossier = _dossier(request, pk)
    try:
        data = documents.dossier_docx(dossier)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("dossier_detail", pk=dossier.pk)
    return file_response(data, name=f"to-trinh-{dossier.pk}.docx")


# The work inbox -------------------------------------------------------------------------------


def _int(value: str | None) -> int | None:
    return int(value) if value and is_id(value) else None


@require_http_methods(["GET", "POST"])
def nomination_inbox(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    if request.method == "POST":
        return _inbox_bulk(request)
    filters = _inbox_filters(request.GET)
    page = page_of(sel.inbox_rows(actor=actor, filters=filters), size=INBOX_PAGE, number=request.GET.get("page"),
                   params=request.GET)  # fmt: skip
    choices = sel.inbox_filter_choices(actor=actor, campaign=filters.campaign)
    rows = _inbox_rows(page)
    return render(request, "awards/inbox.html", {
        **choices, "rows": rows, "rows_html": _inbox_rows_html(rows), "page": page, "filters": filters,
        # a province's thousand units: the options built here, not by a thousand template lookups
        "unit_options": _options(choices["unit_choices"], filters.unit),
        "district_options": _options(choices["district_choices"], filters.district),
        "statuses": NominationStatus.choices,
        "handoff_form": HandOffForm(initial={"date": timezone.localdate()}, use_required_attribute=False),
    })  # fmt: skip


def _inbox_filters(params) -> sel.InboxFilters:
    return sel.InboxFilters(
        campaign=_int(params.get("campaign")), award_type=_int(params.get("tier")),
        unit=_int(params.get("unit")), district=_int(params.get("district")),
        status=params.get("status", "") if params.get("status") in NominationStatus.values else "",
        mine=params.get("mine") == "1", q=params.get("q", ""),
    )  # fmt: skip


@dataclass(slots=True)
class InboxRow:
    """One line of the inbox, the values it prints: read and formatted once per page rather than through model
    properties, choices, filters and an include per row (a hundred rows cost thousands of template lookups)."""

    pk: int
    name: str
    url: str
    unit: str  # the nominating unit's name
    award: str
    status: str  # the status value: the badge's class
    status_label: str
    step_label: str  # the step's name where it says more than the status ("" otherwise)
    handoff: bool  # sent on with a submission (tờ trình) from this step
    since: str  # the day it reached the holder, formatted as dates are (dd/mm/yyyy)
    due: str  # the step's last day when it has a time limit (dd/mm/yyyy), else ""
    late: bool
    handled_by: str  # the officer who took it, "" while nobody has
    claim_url: str


_PK = 987654321  # a stand-in id, replaced in the reversed address by each row's


def _inbox_rows(page) -> list[InboxRow]:
    """The page's rows (`sel.inbox_rows` values) as the inbox prints them: labels looked up and dates formatted
    once per page, links from one reversed address, each officer's name built once."""
    statuses = {value: str(label) for value, label in NominationStatus.choices}
    steps = {value: str(label) for value, label in Step.choices}
    date_format = get_format("SHORT_DATE_FORMAT")
    dates: dict = {}

    def day(value) -> str:
        if value not in dates:
            dates[value] = dateformat.format(value, date_format)
        return dates[value]

    detail = reverse("nomination_detail", args=[_PK]).replace(str(_PK), "{}")
    claim = reverse("nomination_claim", args=[_PK]).replace(str(_PK), "{}")
    here = timezone.get_current_timezone()  # what the date filter converts to
    today = timezone.localdate()
    officers: dict = {}
    rows = []
    for n in page:
        status, step, due = n["status"], n["step"], n["step_due"]
        held = status in HELD_STATUSES
        if n["assignee_id"] is None:
            handled_by = ""
        elif n["assignee_id"] in officers:
            handled_by = officers[n["assignee_id"]]
        else:
            handled_by = officers[n["assignee_id"]] = User(
                full_name=n["assignee__full_name"], first_name=n["assignee__first_name"],
                last_name=n["assignee__last_name"], username=n["assignee__username"],
            ).display_name  # fmt: skip
        rows.append(InboxRow(
            pk=n["pk"], name=n["name"], url=detail.format(n["pk"]), unit=n["unit__name"], award=n["award_type__name"],
            status=status, status_label=statuses.get(status, status),
            step_label=steps.get(step, step) if held and steps.get(step, step) != statuses.get(status, status) else "",
            handoff=(n["award_type__route"], step) in svc.HANDOFF_STEPS,
            since=day(n["held_since"].astimezone(here).date()),
            due=day(due) if due else "",
            late=bool(due and status not in NO_STEP_LIMIT and today > due),
            handled_by=handled_by, claim_url=claim.format(n["pk"]),
        ))  # fmt: skip
    return rows


def _inbox_rows_html(rows: list[InboxRow]) -> SafeString:
    """The table's rows as the inbox template printed them (byte for byte: tests/test_inbox_rows.py), built
    here with html.escape (what Django's autoescape does) in a fraction of the template's time."""
    e = html.escape
    label = {key: e(str(text)) for key, text in (
        ("name", _("Name")), ("unit", _("Nominating unit")), ("award", _("Award")), ("step", _("Step")),
        ("since", _("Since")), ("handler", _("Handled by")), ("handoff", _("(sent on with a submission)")),
        ("late", _("late")), ("claim", _("Take and open")),
    )}  # fmt: skip
    due_text = _("due %(due)s")
    out = []
    for r in rows:
        name = e(r.name)
        step = f' <span class="muted">{e(r.step_label)}</span>' if r.step_label else ""
        handoff = f' <small class="muted">{label["handoff"]}</small>' if r.handoff else ""
        due = ""
        if r.due:
            late = f' <span class="badge badge--late">{label["late"]}</span>' if r.late else ""
            due = f"<br><small>{due_text % {'due': e(r.due)}}</small>{late}"
        handled_by = e(r.handled_by) if r.handled_by else (
            f'<button class="btn" type="submit" formaction="{e(r.claim_url)}" data-testid="claim">{label["claim"]}</button>'
        )  # fmt: skip
        out.append(
            "<tr>\n"
            f'      <td><input type="checkbox" name="selected" value="{r.pk}" aria-label="{name}"></td>\n'
            f'      <td data-label="{label["name"]}"><a href="{e(r.url)}">{name}</a></td>\n'
            f'      <td data-label="{label["unit"]}">{e(r.unit)}</td>\n'
            f'      <td data-label="{label["award"]}">{e(r.award)}</td>\n'
            f'      <td data-label="{label["step"]}"><span class="badge badge--{e(r.status)}" '
            f'data-testid="nomination-status">{e(r.status_label)}</span>{step}\n{handoff}</td>\n'
            f'      <td data-label="{label["since"]}">{e(r.since)}{due}</td>\n'
            f'      <td data-label="{label["handler"]}">{handled_by}</td>\n'
            "    </tr>"
        )
    return SafeString("".join(out))


def _options(choices, selected: int | None) -> SafeString:
    """ "<option value="7" selected>Ủy ban nhân dân …</option>…" for (pk, name, …) rows, names escaped as
    Django escapes (html.escape): a province's thousand units cost a millisecond, not format_html's ten."""
    return SafeString(
        "".join(
            f'<option value="{int(pk)}"{" selected" if pk == selected else ""}>{html.escape(str(name))}</option>'
            for pk, name, *_ in choices
        )
    )


BULK_MAX = 500  # nominations acted on by one request: a larger filtered selection is done in several goes
BULK_ACTIONS = {"approve": gettext_lazy("Approve"), "return": gettext_lazy("Return for revision"),
                "handoff": gettext_lazy("Send on with your submission")}  # fmt: skip


def _inbox_bulk(request: HttpRequest) -> HttpResponse:
    """Approve or return the ticked nominations, or every one the inbox's filter matches, with one comment, or
    send them on with one tờ trình. A filtered selection is confirmed first, on a page naming its count."""
    actor = request.actor
    back = reverse("nomination_inbox") + ("?" + request.GET.urlencode() if request.GET else "")
    if request.POST.get("scope") == "filter":
        matching = sel.nomination_inbox(actor=actor, filters=_inbox_filters(request.GET))
        total = matching.count()
        action = request.POST.get("action", "")
        if not total or action not in BULK_ACTIONS:
            messages.error(
                request, _("No nomination matches the filter.") if not total else _("Choose approve or return.")
            )
            return redirect(back)
        if action == "return" and not request.POST.get("comment", "").strip():  # asked before, not once per file
            messages.error(request, _("Say what is missing: a return needs a comment."))
            return redirect(back)
        if request.POST.get("confirm_count") != str(total):  # not confirmed, or the count changed meanwhile
            return render(request, "awards/inbox_confirm.html", {
                "total": total, "doing": min(total, BULK_MAX), "bulk_max": BULK_MAX, "action": BULK_ACTIONS[action],
                "comment": request.POST.get("comment", "").strip(),
                "back": back, "fields": [(k, v) for k, values in request.POST.lists() for v in values
                                         if k not in ("csrfmiddlewaretoken", "confirm_count", "selected")],
            })  # fmt: skip
        chosen = list(matching[:BULK_MAX])
    else:
        chosen_ids = {int(v) for v in request.POST.getlist("selected") if is_id(v)}
        chosen = list(sel.nomination_inbox(actor=actor).filter(pk__in=chosen_ids))
    if not chosen:
        messages.error(request, _("Choose at least one nomination."))
        return redirect(back)
    if any(n.step in svc.UNIT_STEPS for n in chosen):
        messages.error(
            request,
            _("Your unit's nominations go up in a dossier: open the campaign's nominations and send a dossier."),
        )
        return redirect(back)
    action = request.POST.get("action")
    if action == "handoff":
        form = HandOffForm(request.POST)
        if not form.is_valid():
            form_errors_as_messages(request, form)
            return redirect(back)
        try:
            handoff = svc.handoff_send(by=actor, nominations=chosen, **form.cleaned_data)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, ngettext(
                "%(count)s nomination sent on to %(to)s with your submission %(number)s.",
                "%(count)s nominations sent on to %(to)s with your submission %(number)s.", len(chosen),
            ) % {"count": len(chosen), "to": handoff.to_unit.name, "number": handoff.number})  # fmt: skip
        return redirect(back)
    outcome = {"approve": Outcome.APPROVED, "return": Outcome.RETURNED}.get(action or "")
    if outcome is None:
        messages.error(request, _("Choose approve or return."))
        return redirect(back)
    done, refused = [], {}
    for step in sorted({n.step for n in chosen}):
        batch = [n for n in chosen if n.step == step]
        ok, failed = svc.nomination_act_many(by=actor, nominations=batch, step=step, outcome=outcome,
                                             comment=request.POST.get("comment", ""))  # fmt: skip
        done += ok
        refused.update(failed)
    if done and outcome == Outcome.APPROVED:
        messages.success(request, ngettext("You approved %(count)s nomination.", "You approved %(count)s nominations.",
                                           len(done)) % {"count": len(done)})  # fmt: skip
    elif done:
        messages.success(request, ngettext(
            "You returned %(count)s nomination for revision, with your comment.",
            "You returned %(count)s nominations for revision, with your comment.", len(done),
        ) % {"count": len(done)})  # fmt: skip
    names = {n.pk: n.name for n in chosen}
    for pk, reason in refused.items():
        messages.error(request, f"{names[pk]}: {reason}")
    return redirect(back)
