"""Nominee imports: the unit's drafters see their unit's imports (whoever of them uploaded), nobody else."""

from django.db.models import Q, QuerySet

from ..actor import Actor
from ..models import NominationImport, NominationImportRow
from ..permissions import Cap
from .org import deny


def imports_visible(*, actor: Actor) -> QuerySet[NominationImport]:
    if actor.membership is None or actor.unit is None or not actor.can(Cap.DRAFT_NOMINATION):
        return NominationImport.objects.none()
    return NominationImport.objects.filter(unit=actor.unit).select_related("campaign", "award_type", "user")


def import_get(*, actor: Actor, pk: int, ip: str | None = None) -> NominationImport:
    found = imports_visible(actor=actor).filter(pk=pk).first()
    if found is None:
        raise deny(actor=actor, what="nomination_import", object_id=pk, ip=ip)
    return found


def import_rows(nomination_import: NominationImport, *, problems_only: bool = False) -> QuerySet[NominationImportRow]:
    """The rows in the file's order; with `problems_only`, those with an error or a warning."""
    rows = nomination_import.rows.order_by("position").select_related("award_type", "nomination")
    if problems_only:
        rows = rows.filter(Q(valid=False) | ~Q(error="") | ~Q(warnings=[]))
    return rows
