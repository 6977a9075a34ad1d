"""The audit writer: one append-only row per change or refused access (who, under which membership, on
whose behalf, what, from which state to which). Below both selectors and services, so a read may record
a refused access without importing the writes."""

from django.conf import settings
from django.utils import translation

from .actor import Actor
from .models import AuditEvent, Unit


def audit_record(
    *,
    actor: Actor | None,
    action: str,
    obj: object | None = None,
    unit: Unit | None = None,
    object_type: str = "",
    object_id: str = "",
    from_state: str = "",
    to_state: str = "",
    detail: dict | None = None,
    ip: str | None = None,
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or str(obj.pk)
        with translation.override(settings.LANGUAGE_CODE):  # the trail reads the same for everyone
            object_repr = str(obj)[:255]
    else:
        object_repr = ""
    return AuditEvent.objects.create(
        actor=actor.user if actor else None,
        on_behalf_of=actor.on_behalf_of if actor else None,
        membership=actor.membership if actor else None,
        unit=unit if unit is not None else (actor.unit if actor else None),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        from_state=from_state,
        to_state=to_state,
        detail=detail or {},
        ip_address=ip,
    )
