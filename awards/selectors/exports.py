"""Exports: a user sees the ones they asked for under the membership they work under now, no other."""

from django.db.models import QuerySet

from ..actor import Actor
from ..models import Export


def exports_visible(*, actor: Actor) -> QuerySet[Export]:
    """The actor's own exports, newest first. Another membership's (another role, an acting one) stay out:
    their rows were chosen by that membership's scope."""
    if actor.membership is None or not actor.user.is_active:
        return Export.objects.none()
    return Export.objects.filter(user=actor.user, membership=actor.membership).select_related("campaign")
