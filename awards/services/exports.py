"""Exports: a campaign's awardees or consolidated figures as a workbook, for the actor who asks.

Up to `INLINE_ROWS` rows (the lists' page size) the file is built in the request. A larger one is an
`Export` job built in the background (`awards.tasks.build_export`, queue "documents") under the
membership it was asked with: the worker rebuilds that actor and reads through the same selectors, so
the file holds exactly what the pages show them, and nothing if the membership ended meanwhile. The
files are stored by checksum like the decisions' (`documents.store_bytes`) and swept away, rows and
files, after `KEEP` (they carry personal data).
"""

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from ..actor import Actor
from ..audit import audit_record
from ..documents import exports as builders
from ..models import Campaign, DocumentStatus, Export, ExportKind
from ..selectors import consolidation
from ..selectors import decisions as decision_selectors
from ..selectors import nominations as nomination_selectors
from ..selectors import reports as report_selectors
from ..selectors.org import actor_for
from .documents import STALE_AFTER, enqueue_after_commit, store_bytes
from .imports import COLUMNS, GENDER_CHOICES, KIND_CHOICES

log = logging.getLogger(__name__)

INLINE_ROWS = 100  # more rows than a list's page: built in the background
KEEP = dt.timedelta(days=7)
EXPORT_DIR = "exports"  # in the default storage


def file_name(kind: str, campaign: Campaign) -> str:
    reference = campaign.plan_reference.replace("/", "-")
    if kind == ExportKind.AWARDEES_XLSX:
        return f"Khen thưởng - {reference}.xlsx"
    if kind == ExportKind.NOMINATIONS_XLSX:
        return f"Danh sách đề nghị - {reference}.xlsx"
    return f"Tổng hợp số liệu - {reference}.xlsx"


def _consolidation_scope(actor: Actor, campaign: Campaign):
    scope = consolidation.consolidation_units(actor=actor, campaign=campaign)
    if scope is None:
        raise PermissionDenied
    return scope


def _nominations(actor: Actor, campaign: Campaign, params: dict | None):
    filters = nomination_selectors.ListFilters.from_params(params or {})
    return nomination_selectors.campaign_nominations(actor=actor, campaign=campaign, filters=filters)


def export_rows(*, actor: Actor, kind: str, campaign: Campaign, params: dict | None = None) -> int:
    """How many rows the file would hold (a count, not the rows); PermissionDenied when the actor may not
    have it at all."""
    if kind == ExportKind.NOMINATIONS_XLSX:
        return _nominations(actor, campaign, params).count()
    if kind == ExportKind.AWARDEES_XLSX:
        return decision_selectors.awardees_visible(actor=actor, campaign=campaign).count()
    units, _scope_unit = _consolidation_scope(actor, campaign)
    return units.count()


def export_bytes(*, actor: Actor, kind: str, campaign: Campaign, progress=None, params: dict | None = None) -> bytes:
    """The workbook as the actor may see it today; `progress(per_cent)` is told when the rows are read."""
    day = timezone.localdate()
    if kind == ExportKind.NOMINATIONS_XLSX:
        return _nominations_bytes(actor=actor, campaign=campaign, params=params, progress=progress)
    if kind == ExportKind.AWARDEES_XLSX:
        items = list(decision_selectors.awardees_visible(actor=actor, campaign=campaign))
        if progress:
            progress(50)
        return builders.awardees_xlsx(campaign=campaign, items=items, day=day)
    units, scope_unit = _consolidation_scope(actor, campaign)
    result = consolidation.consolidation_build(campaign=campaign, units=units, scope_unit=scope_unit)
    if progress:
        progress(50)
    return builders.consolidation_xlsx(result=result, day=day)


def _nominations_bytes(*, actor: Actor, campaign: Campaign, params: dict | None, progress=None) -> bytes:
    """The list in the nominee import's columns (awards.services.imports.COLUMNS): the unit's officer who imports
    it again finds the same rows (each already proposed). The citizen ID and date of birth only where the actor may
    see them (the nomination's page's rule); the export is audited with the nominations whose personal data it
    carries, as the page audits each showing."""
    items = list(_nominations(actor, campaign, params).select_related("parent_unit"))
    personal = nomination_selectors.personal_data_ids(actor=actor, nominations=items)
    if progress:
        progress(50)
    kinds = {value: label for label, value in KIND_CHOICES.items()}
    genders = {value: label for label, value in GENDER_CHOICES.items()}
    audit_record(actor=actor, action="nominations_exported", unit=actor.unit, object_type="campaign",
                 object_id=str(campaign.pk), detail={"rows": len(items), **params_detail(params),
                                                     "personal_data": sorted(personal)})  # fmt: skip
    rows = (
        [kinds.get(n.kind, ""), n.name, genders.get(n.gender, ""), n.birth_date if n.pk in personal else None,
         n.id_number if n.pk in personal else "", n.position, n.workplace,
         n.parent_unit.name if n.parent_unit_id else "", n.women_percent, n.achievement, n.achievement_text,
         n.award_type.name]
        for n in items
    )  # fmt: skip
    headers = [(c.title, c.required, "date" if c.key == "birth_date" else "text") for c in COLUMNS]
    return builders.import_shaped_xlsx(sheet="Danh sách", headers=headers, rows=rows, day=timezone.localdate(),
                                       author=actor.unit.name if actor.unit else "")  # fmt: skip


def params_detail(params: dict | None) -> dict:
    return {"filters": dict(params)} if params else {}


@transaction.atomic
def export_request(*, by: Actor, kind: str, campaign: Campaign, rows: int, params: dict | None = None) -> Export:
    """A background export for the actor; the same one still being built when asked twice (a double click,
    a reload), a new one otherwise (the data may have changed since the last)."""
    pending = (
        Export.objects.select_for_update()
        .filter(user=by.user, membership=by.membership, kind=kind, campaign=campaign, params=params or {},
                status__in=[DocumentStatus.QUEUED, DocumentStatus.RUNNING],
                requested_at__gte=timezone.now() - STALE_AFTER)
        .first()
    )  # fmt: skip
    if pending is not None:
        return pending
    export = Export.objects.create(user=by.user, membership=by.membership, kind=kind, campaign=campaign,
                                   name=file_name(kind, campaign), rows=rows, params=params or {})  # fmt: skip
    _enqueue([export.pk])
    return export


def _enqueue(ids: list[int]) -> None:
    from ..tasks import build_export

    enqueue_after_commit(build_export, ids)


def _set(pk: int, **fields) -> None:
    Export.objects.filter(pk=pk).exclude(status=DocumentStatus.READY).update(**fields)


def export_build(export_id: int) -> str:
    """Build one export under the membership it was asked with; a no-op when its file is there."""
    export = Export.objects.select_related("user", "campaign").filter(pk=export_id).first()
    if export is None:
        return "gone"  # swept away
    if export.status == DocumentStatus.READY and default_storage.exists(export.path):
        return "ready"
    _set(export.pk, status=DocumentStatus.RUNNING, progress=10)
    actor = actor_for(user=export.user, membership_id=export.membership_id)
    try:
        if actor.membership is None or actor.membership.pk != export.membership_id:
            raise PermissionDenied("the membership it was asked with has ended")
        campaign = report_selectors.campaign_get(actor=actor, pk=export.campaign_id)
        data = export_bytes(actor=actor, kind=export.kind, campaign=campaign, params=export.params,
                            progress=lambda p: _set(export.pk, progress=p))  # fmt: skip
        _set(export.pk, progress=90)
        path, digest = store_bytes(data, "xlsx", directory=EXPORT_DIR)
    except Exception as error:
        if not isinstance(error, PermissionDenied):
            log.exception("export %s failed", export_id)
        _set(export.pk, status=DocumentStatus.FAILED, progress=0, error=f"{type(error).__name__}: {error}"[:2000])
        return "failed"
    Export.objects.filter(pk=export.pk).update(
        status=DocumentStatus.READY, progress=100, path=path, sha256=digest, size=len(data), error="",
        built_at=timezone.now(),
    )  # fmt: skip
    return "built"


def exports_sweep() -> dict:
    """Delete the exports older than KEEP with their files (unless another row holds the same bytes), and
    send again the builds whose job was lost."""
    now = timezone.now()
    old = Export.objects.filter(requested_at__lt=now - KEEP)
    paths = set(old.exclude(path="").values_list("path", flat=True))
    deleted, _by_model = old.delete()
    for path in paths - set(Export.objects.filter(path__in=paths).values_list("path", flat=True)):
        default_storage.delete(path)
    stale = Export.objects.filter(status__in=[DocumentStatus.QUEUED, DocumentStatus.RUNNING],
                                  requested_at__lt=now - STALE_AFTER)  # fmt: skip
    ids = list(stale.values_list("pk", flat=True))
    Export.objects.filter(pk__in=ids).update(status=DocumentStatus.QUEUED, requested_at=now)
    with transaction.atomic():
        _enqueue(ids)
    return {"deleted": deleted, "enqueued": len(ids)}
