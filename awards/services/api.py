"""Personal API tokens (made, used, revoked: each audited) and the stored responses of idempotent requests."""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.settings import knox_settings

from ..actor import Actor
from ..audit import audit_record
from ..models import ApiToken, IdempotencyKey, User
from ..text import nfc

TOKEN_DAYS_MAX = knox_settings.TOKEN_TTL.days  # 90: a system's token is renewed at least each quarter
TOKENS_PER_USER = 20  # live tokens at once: more is a sign of tokens made and forgotten


def token_expiry(*, membership, days: int, now: dt.datetime | None = None) -> dt.datetime:
    """`days` from now, but never past the last day of the membership the token acts under (an acting
    membership always has one)."""
    now = now or timezone.now()
    expiry = now + dt.timedelta(days=days)
    if membership.valid_to is not None:
        end = dt.datetime.combine(
            membership.valid_to + dt.timedelta(days=1), dt.time(), timezone.get_current_timezone()
        )
        expiry = min(expiry, end)
    return expiry


@transaction.atomic
def token_create(*, by: Actor, name: str, days: int, ip: str | None = None) -> tuple[ApiToken, str]:
    """A token acting as `by` works now (its membership); returns the row and the token, shown only once."""
    if by.membership is None or not by.user.is_active:
        raise PermissionDenied
    name = " ".join(nfc(name or "").split())
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Say which system will use the token.")]
    if not isinstance(days, int) or not 1 <= days <= TOKEN_DAYS_MAX:
        errors["days"] = [_("Choose between 1 and %(max)s days.") % {"max": TOKEN_DAYS_MAX}]
    live = ApiToken.objects.filter(user=by.user, expiry__gt=timezone.now()).count()
    if live >= TOKENS_PER_USER:
        errors.setdefault("name", []).append(
            _("You already have %(count)s tokens: revoke those no longer used first.") % {"count": live}
        )
    if errors:
        raise ValidationError(errors)
    expiry = token_expiry(membership=by.membership, days=days) - timezone.now()
    token, secret = ApiToken.objects.create(
        user=by.user, expiry=expiry, prefix=knox_settings.TOKEN_PREFIX, name=name, membership=by.membership
    )
    audit_record(actor=by, action="api_token_created", obj=token, ip=ip,
                 detail={"expires": token.expiry.isoformat(), "membership": by.membership.pk})  # fmt: skip
    return token, secret


@transaction.atomic
def token_revoke(*, by: Actor, token: ApiToken, ip: str | None = None) -> None:
    """Its owner, or an administrator in /admin/ (`by` then has no membership of the token's user)."""
    if token.user_id != by.user.pk and not by.user.has_perm("awards.delete_apitoken"):
        raise PermissionDenied
    audit_record(actor=by, action="api_token_revoked", object_type="apitoken", object_id=str(token.pk),
                 unit=token.membership.unit, ip=ip, detail={"owner": token.user_id})  # fmt: skip
    token.delete()


def token_used(*, token: ApiToken, actor: Actor, method: str, path: str, ip: str | None = None) -> None:
    """Every request a token authenticates: which token, what was asked (the address, never its query string,
    which may carry a searched name)."""
    audit_record(actor=actor, action="api_token_used", object_type="apitoken", object_id=str(token.pk), ip=ip,
                 detail={"method": method, "path": path[:200]})  # fmt: skip


# Idempotency ---------------------------------------------------------------------------------------------


class IdempotencyConflict(Exception):
    """The key was used for another request (422), or its first request is still running (409)."""

    def __init__(self, message: str, *, status: int, code: str):
        super().__init__(message)
        self.message, self.status, self.code = message, status, code


@dataclass(frozen=True)
class Claim:
    row: IdempotencyKey
    replay: bool  # True: the first request succeeded; answer with its stored response


def request_fingerprint(*, method: str, path: str, body: object) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256(f"{method}\n{path}\n{canonical}".encode()).hexdigest()


def idempotency_claim(*, user: User, key: str, fingerprint: str) -> Claim:
    """Claim the key for this request, committed at once so that every node sees it while the request runs."""
    horizon = timezone.now() - dt.timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)
    IdempotencyKey.objects.filter(user=user, created_at__lt=horizon).delete()  # the user's own, past their time
    try:
        with transaction.atomic():
            return Claim(IdempotencyKey.objects.create(user=user, key=key, fingerprint=fingerprint), replay=False)
    except IntegrityError:
        pass
    row = IdempotencyKey.objects.filter(user=user, key=key).first()
    if row is None:  # removed meanwhile (its request failed): this one may run
        return idempotency_claim(user=user, key=key, fingerprint=fingerprint)
    if row.fingerprint != fingerprint:
        raise IdempotencyConflict(
            _("This Idempotency-Key was already used for a different request. Use a new key for a new request."),
            status=422, code="idempotency_key_reused",
        )  # fmt: skip
    if row.status_code is None:
        raise IdempotencyConflict(
            _("A request with this Idempotency-Key is still being processed. Try again in a moment."),
            status=409, code="idempotency_in_progress",
        )  # fmt: skip
    return Claim(row, replay=True)


def idempotency_store(*, row: IdempotencyKey, status: int, body: object) -> None:
    row.status_code = status
    row.response = json.loads(json.dumps(body, cls=DjangoJSONEncoder))
    row.save(update_fields=["status_code", "response"])


def idempotency_release(*, row: IdempotencyKey) -> None:
    """The request failed: nothing was done, so the key is free for a corrected retry."""
    IdempotencyKey.objects.filter(pk=row.pk, status_code__isnull=True).delete()
