"""Decision pages: a campaign's decisions and counts, drafting, issuing, recording the Ministry's decision,
revoking, the generated files and a unit's own awardees. Thin: reads through awards.selectors.decisions,
writes through awards.services.decisions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import permissions as perms
from ..forms.decisions import (
    DecisionCorrectForm,
    DecisionDraftForm,
    DecisionIssueForm,
    DecisionRecordForm,
    DecisionRevokeForm,
)
from ..forms.nominations import NominationForm
from ..models import AwardType, Decision, DecisionKind, DecisionStatus, DocumentKind, DocumentStatus, ExportKind, Route
from ..selectors import decisions as sel
from ..selectors import reports as report_selectors
from ..selectors.org import deny
from ..services import decisions as svc
from ..services import documents as docs
from ..text import is_id
from ..uploads import (
    CONTENT_TYPE_BY_EXTENSION,
    UploadKind,
    ascii_download_name,
    attach_upload_refusal,
    attachment_response,
    download_response,
    limit_uploads,
)
from .exports import export_response
from .http import client_ip, form_errors_as_messages

add_service_errors = NominationForm.add_service_errors


def _campaign(request: HttpRequest, pk: int):
    return report_selectors.campaign_get(actor=request.actor, pk=pk, ip=client_ip(request))


def _decision(request: HttpRequest, pk: int) -> Decision:
    return sel.decision_get(actor=request.actor, pk=pk, ip=client_ip(request))


def _tier(request: HttpRequest, campaign, award_type_pk: int) -> AwardType:
    tier = campaign.award_types.filter(pk=award_type_pk).first()
    if tier is None or not perms.may_take_decisions(request.actor, tier):
        raise deny(actor=request.actor, what="decision_new", object_id=award_type_pk, ip=client_ip(request))
    return tier


@require_GET
def decision_list(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    actor = request.actor
    decisions = (
        sel.decisions_visible(actor=actor)
        .filter(campaign=campaign)
        .order_by("award_type__position", "status", "-date", "-number", "-pk")
    )
    tiers = []
    for tier in campaign.award_types.order_by("position"):
        if perms.may_take_decisions(actor, tier):
            waiting = sel.decision_candidates(campaign=campaign, award_type=tier).count()
            tiers.append({"tier": tier, "waiting": waiting, "records": tier.route == Route.MINISTRY})
    return render(request, "awards/decisions.html", {
        "campaign": campaign, "decisions": decisions, "tiers": tiers,
        "counts": sel.decision_counts(actor=actor, campaign=campaign),
        "awardees": sel.awardees_visible(actor=actor, campaign=campaign),
    })  # fmt: skip


@require_GET
def awardees_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The actor's own unit's awardees in the campaign, as a workbook (in the background when over a page)."""
    return export_response(request, kind=ExportKind.AWARDEES_XLSX, campaign=_campaign(request, pk))


@limit_uploads(kind=UploadKind.SCAN)
@require_http_methods(["GET", "POST"])
def decision_new(request: HttpRequest, pk: int, award_type_pk: int) -> HttpResponse:
    """Draft a decision from nominations awaiting one; for the Ministry's tier, record its decision."""
    campaign = _campaign(request, pk)
    tier = _tier(request, campaign, award_type_pk)
    candidates = list(sel.decision_candidates(campaign=campaign, award_type=tier))
    records = tier.route == Route.MINISTRY
    # A draft starts with everything that awaits a decision; the Ministry's list is ticked from its decision.
    # Blocked ones stay listed with their block but unticked (the service would refuse them).
    initial = {"nominations": [] if records else [n.pk for n in candidates if not n.is_blocked],
               "date": timezone.localdate()}  # fmt: skip
    form_class = DecisionRecordForm if records else DecisionDraftForm
    extra = {} if records else {"issuer_kind": _issuer_kind(tier)}
    form = form_class(request.POST or None, request.FILES or None, candidates=candidates, initial=initial, **extra)
    refused = records and request.method == "POST" and attach_upload_refusal(request=request, form=form, field="scan")
    if request.method == "POST" and not refused and form.is_valid():
        wanted = set(form.cleaned_data["nominations"])
        chosen = [n for n in candidates if n.pk in wanted]
        try:
            if records:
                data = {k: v for k, v in form.cleaned_data.items() if k not in ("nominations", "refused")}
                refused = set(form.cleaned_data["refused"])
                decision = svc.decision_record(by=request.actor, campaign=campaign, award_type=tier, nominations=chosen,
                                               refused=[n for n in candidates if n.pk in refused], **data)  # fmt: skip
            else:
                decision = svc.decision_draft(by=request.actor, campaign=campaign, award_type=tier,
                                              nominations=chosen, **form.decision_fields())  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Decision saved: %(count)s awardees.") % {"count": len(chosen)})
            if records and form.cleaned_data["refused"]:
                messages.info(request, _("Recorded as refused by the Ministry: %(count)s.")
                              % {"count": len(form.cleaned_data["refused"])})  # fmt: skip
            return redirect("decision_detail", pk=decision.pk)
    return render(request, "awards/decision_form.html", {
        "form": form, "campaign": campaign, "tier": tier, "records": records, "has_candidates": bool(candidates),
    })  # fmt: skip


def _issuer_kind(tier) -> str:
    rule = perms.decider_rule(tier)
    return rule.unit.kind if rule is not None and rule.unit is not None else ""


@require_GET
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    actor = request.actor
    whole = sel.sees_whole_decision(actor, decision)
    items = list(sel.decision_items_visible(actor=actor, decision=decision))
    deciding = perms.may_change(actor, decision)
    draft = decision.status == DecisionStatus.DRAFT
    issue_form = None
    if deciding and draft:
        year = timezone.localdate().year
        issue_form = DecisionIssueForm(initial={"date": timezone.localdate(), "number": svc.decision_next_number(
            issuer_id=decision.issuer_id, symbol=decision.symbol, year=year)})  # fmt: skip
    documents = list(sel.decision_documents_visible(actor=actor, decision=decision))
    return render(request, "awards/decision_detail.html", {
        "decision": decision, "items": items, "whole": whole, "deciding": deciding, "draft": draft,
        "issue_form": issue_form, "documents": documents,
        "building": any(d.status in (DocumentStatus.QUEUED, DocumentStatus.RUNNING) for d in documents),
        "total": sum(i.prize_amount or 0 for i in items),
        "can_amend": deciding and perms.is_amendable(decision),
        "followed_by": sel.decisions_visible(actor=actor).filter(refers_to=decision) if whole else [],
    })  # fmt: skip


def _amendable(request: HttpRequest, pk: int) -> Decision | None:
    """An issued award decision of the actor's body (None, with the reason shown, for any other)."""
    decision = _decided_here(request, pk)
    if not perms.is_amendable(decision):
        messages.error(request, _("Only an issued award decision can be revoked or corrected."))
        return None
    return decision


def _decided_here(request: HttpRequest, pk: int) -> Decision:
    decision = _decision(request, pk)
    if not perms.may_change(request.actor, decision):
        raise deny(actor=request.actor, what="decision_change", object_id=pk, ip=client_ip(request))
    return decision


@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft: its fields, awardees taken out or added."""
    decision = _decided_here(request, pk)
    if decision.status != DecisionStatus.DRAFT:
        messages.error(request, _("This decision has been issued: it can only be corrected by a new decision."))
        return redirect("decision_detail", pk=decision.pk)
    candidates = list(sel.decision_candidates(campaign=decision.campaign, award_type=decision.award_type))
    if decision.kind != DecisionKind.AWARD:
        candidates = []
    items = list(sel.decision_items_visible(actor=request.actor, decision=decision))
    initial = {f: getattr(decision, f) for f in svc.DRAFT_FIELDS}
    # Show the order the list follows now, so that reordering is moving lines.
    units = sel.decision_unit_order(decision, [i.nomination.unit for i in items])
    initial["unit_order"] = decision.unit_order or "\n".join(u.name for u in units)
    form = DecisionDraftForm(request.POST or None, candidates=candidates, editing=True, initial=initial,
                             issuer_kind=decision.issuer.kind)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        remove = [int(v) for v in request.POST.getlist("remove") if is_id(v)]
        wanted = set(form.cleaned_data["nominations"])
        try:
            svc.decision_update(by=request.actor, decision=decision, remove=remove,
                                add=[n for n in candidates if n.pk in wanted], **form.decision_fields())  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Draft saved. Its documents are being generated again."))
            return redirect("decision_detail", pk=decision.pk)
    return render(request, "awards/decision_edit.html", {"form": form, "decision": decision, "items": items})


@require_POST
def decision_discard(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decided_here(request, pk)
    campaign_pk = decision.campaign_id
    try:
        svc.decision_discard(by=request.actor, decision=decision)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("decision_detail", pk=pk)
    messages.success(request, _("Draft discarded: its nominations await a decision again."))
    return redirect("decision_list", pk=campaign_pk)


@limit_uploads(kind=UploadKind.SCAN)
@require_POST
def decision_issue(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decided_here(request, pk)
    form = DecisionIssueForm(request.POST, request.FILES)
    refused = attach_upload_refusal(request=request, form=form, field="scan")
    if not refused and form.is_valid():
        try:
            svc.decision_issue(by=request.actor, decision=decision, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            decision.refresh_from_db()
            messages.success(request, _("Decision %(reference)s issued.") % {"reference": decision.reference})
            return redirect("decision_detail", pk=decision.pk)
    form_errors_as_messages(request, form)
    return redirect("decision_detail", pk=decision.pk)


@require_http_methods(["GET", "POST"])
def decision_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft a decision revoking some of this decision's awards."""
    decision = _amendable(request, pk)
    if decision is None:
        return redirect("decision_detail", pk=pk)
    items = [i for i in sel.decision_items_visible(actor=request.actor, decision=decision) if i.revoked_by_id is None]
    form = DecisionRevokeForm(request.POST or None, items=items,
                              initial={"signer": decision.signer, "signer_title": decision.signer_title,
                                       "authority": decision.authority})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        wanted = set(data.pop("items"))
        try:
            revocation = svc.decision_revoke(by=request.actor, decision=decision,
                                             items=[i for i in items if i.pk in wanted], **data)  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Revoking decision drafted: check it, then issue it with its signed scan."))
            return redirect("decision_detail", pk=revocation.pk)
    return render(request, "awards/decision_revoke.html", {"form": form, "decision": decision})


@require_http_methods(["GET", "POST"])
def decision_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft a decision correcting the name, position or unit this decision printed for some awardees."""
    decision = _amendable(request, pk)
    if decision is None:
        return redirect("decision_detail", pk=pk)
    items = [i for i in sel.decision_items_visible(actor=request.actor, decision=decision) if i.revoked_by_id is None]
    rows = []
    for item in items:
        now = item.nomination.printed_details  # as it stands, after any earlier correction
        posted = [request.POST.get(f"{f}-{item.pk}", v) for f, v in zip(("name", "position", "unit"), now, strict=True)]
        rows.append({"item": item, "now": now, "values": posted if request.method == "POST" else now})
    form = DecisionCorrectForm(request.POST or None, initial={
        "signer": decision.signer, "signer_title": decision.signer_title, "authority": decision.authority})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        corrections = {row["item"].pk: tuple(row["values"]) for row in rows if tuple(row["values"]) != row["now"]}
        try:
            correction = svc.decision_correct(by=request.actor, decision=decision, corrections=corrections,
                                              **form.cleaned_data)  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Correcting decision drafted: check it, then issue it with its signed scan."))
            return redirect("decision_detail", pk=correction.pk)
    return render(request, "awards/decision_correct.html", {"form": form, "decision": decision, "rows": rows})


@require_http_methods(["GET", "POST"])
def decision_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: each file's progress, for the page's progress bars. POST: generate again what failed or changed."""
    if request.method == "POST":
        docs.documents_request(decision=_decided_here(request, pk))
        return redirect("decision_detail", pk=pk)
    decision = _decision(request, pk)
    documents = sel.decision_documents_visible(actor=request.actor, decision=decision)
    return JsonResponse({"documents": [
        {"kind": d.kind, "status": d.status, "progress": d.progress} for d in documents
    ]})  # fmt: skip


def _file_stem(decision: Decision) -> str:
    """ "01-QD-CAT-2026" for an issued decision, "du-thao-12" for a draft: safe in any file system."""
    if not decision.number:
        return f"du-thao-{decision.pk}"
    reference = ascii_download_name(decision.reference).replace("/", "-")
    return f"{reference}-{decision.year}"


_PREFIXES = {
    DocumentKind.DECISION_DOCX: "QD", DocumentKind.DECISION_PDF: "QD", DocumentKind.LIST_DOCX: "DS",
    DocumentKind.LIST_PDF: "DS", DocumentKind.LIST_XLSX: "DS", DocumentKind.CERTIFICATES_PDF: "Bang-in",
}  # fmt: skip


def _file_name(decision: Decision, kind: str) -> str:
    return f"{_PREFIXES.get(kind, 'QD')}-{_file_stem(decision)}"


@require_GET
def decision_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    decision = _decision(request, pk)
    document = sel.decision_documents_visible(actor=request.actor, decision=decision).filter(kind=kind).first()
    if document is None:
        raise deny(actor=request.actor, what="decision_document", object_id=pk, ip=client_ip(request))
    return _stored(request, document, _file_name(decision, kind)) or redirect("decision_detail", pk=pk)


def _stored(request: HttpRequest, document, name: str) -> HttpResponse | None:
    """The generated file as an attachment; None (with a message) while it is still being generated."""
    try:
        handle = docs.document_open(document)  # streamed from the default storage
    except FileNotFoundError:
        messages.info(request, _("This file is still being generated: try again in a moment."))
        return None
    extension = docs.EXTENSIONS[document.kind]
    return attachment_response(handle, download_name=name, extension=extension,
                               content_type=CONTENT_TYPE_BY_EXTENSION[extension])  # fmt: skip


@require_GET
def decision_scan(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    if not sel.decision_scan_visible(request.actor, decision):
        raise deny(actor=request.actor, what="decision_scan", object_id=pk, ip=client_ip(request))
    extension = decision.scan_name.rsplit(".", 1)[-1].lower() if "." in decision.scan_name else "pdf"
    return download_response(relative_path=decision.scan_path, download_name=f"QD-{_file_stem(decision)}-ban-ky.{extension}",
                             content_type=decision.scan_content_type)  # fmt: skip


@require_GET
def handoff_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A hand-off's tờ trình and list, for those who see its nominations."""
    handoff = sel.handoff_get(actor=request.actor, pk=pk, ip=client_ip(request))
    if kind not in docs.HANDOFF_KINDS:
        raise deny(actor=request.actor, what="handoff_document", object_id=pk, ip=client_ip(request))
    document = handoff.documents.filter(kind=kind).first()
    if document is None:  # a hand-off sent before its letters were generated: generate them now
        docs.documents_request(handoff=handoff)
        document = handoff.documents.filter(kind=kind).first()
    if document is None:
        raise deny(actor=request.actor, what="handoff_document", object_id=pk, ip=client_ip(request))
    name = f"Tờ trình {handoff.number.replace('/', '-')}"
    return _stored(request, document, name) or redirect("nomination_inbox")
