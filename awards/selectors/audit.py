"""Reading the audit trail: its rows keep ids and codes only (awards.audit), so a page shows each object's
current name, read in bulk when the page's rows are read: one query per object type on the page."""

from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps
from django.db import models
from django.db.models.query import ModelIterable, QuerySet

from ..models import AuditEvent

# What an object's name (str()) reads besides its own row.
RELATED = {
    "membership": ("user", "unit", "acting_for__user"),
    "report": ("unit", "campaign"),
    "decision": ("award_type",),
    "dossier": ("unit",),
    "handoff": ("from_unit", "to_unit"),
    "unitlineage": ("predecessor", "successor"),
    "outlineitem": (),
    "campaignawardtype": ("award_type",),
}


def subject_labels_attach(events: Iterable[AuditEvent]) -> None:
    """Give each row whose object still exists that object's name as it is now (`AuditEvent.subject_label`)."""
    events = list(events)
    wanted: dict[str, set[int]] = defaultdict(set)
    app = apps.get_app_config("awards")
    for event in events:
        if event.object_id.isdigit() and event.object_type in app.models:
            wanted[event.object_type].add(int(event.object_id))
    labels: dict[tuple[str, str], str] = {}
    for object_type, ids in wanted.items():
        model = app.models[object_type]
        if model.__str__ is models.Model.__str__:  # no name of its own: the row's label says more
            continue
        found = model._default_manager.select_related(*RELATED.get(object_type, ())).in_bulk(ids)
        labels.update(((object_type, str(pk)), str(obj)) for pk, obj in found.items())
    for event in events:
        label = labels.get((event.object_type, event.object_id))
        if label:
            event.current_label = label[:255]


class LabelledEvents(QuerySet):
    """Audit rows whose objects' current names are read in bulk as soon as the rows are."""

    def _fetch_all(self):
        fetching = self._result_cache is None
        super()._fetch_all()
        if fetching and self._iterable_class is ModelIterable:
            subject_labels_attach(self._result_cache)


def audit_events() -> QuerySet[AuditEvent]:
    """Every audit row with who did it and where, each showing its object's current name."""
    return LabelledEvents(model=AuditEvent).select_related("actor", "on_behalf_of", "unit")
