"""A user's own personal API tokens (awards.models.ApiToken)."""

from django.db.models import QuerySet

from ..actor import Actor
from ..models import ApiToken, User
from .org import deny


def tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """A user's own tokens, newest first, with the membership each acts under."""
    return ApiToken.objects.filter(user=user).select_related("membership__unit").order_by("-created", "-pk")


def token_get(*, actor: Actor, pk: int, ip: str | None = None) -> ApiToken:
    """One of the actor's own tokens; anyone else's (or none) is refused and logged, like any object out of reach."""
    token = tokens_of(user=actor.user).filter(pk=pk).first()
    if token is None:
        raise deny(actor=actor, what="apitoken", object_id=pk, ip=ip)
    return token
