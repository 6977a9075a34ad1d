"""What the REST API keeps: personal API tokens (stored hashed, bound to one membership) and the responses
of requests sent with an Idempotency-Key, so a retried POST never acts twice on any node (docs/api.md)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS

from .org import Membership


class ApiToken(AbstractAuthToken):
    """A personal token for a system. django-rest-knox keeps only its SHA-512 digest and its first characters
    (`token_key`, to find the row); the token itself is shown once, when it is made. It acts under the
    membership its owner was working under then, and stops working when that membership does, when it
    expires, or when its owner or an administrator revokes it (the row is deleted; the audit trail keeps it)."""

    # knox makes the digest the primary key; a plain id keeps it out of addresses, forms and the audit trail.
    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100, help_text=_("Which system uses it, e.g. “Document office”."))
    membership = models.ForeignKey(
        Membership, verbose_name=_("acts as"), on_delete=models.CASCADE, related_name="api_tokens"
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_key}…)"

    def is_expired(self, now=None) -> bool:
        return self.expiry is not None and self.expiry <= (now or timezone.now())


class IdempotencyKey(models.Model):
    """One POST sent with an Idempotency-Key: the fingerprint of its method, address and body, and, once it
    succeeded, the response it got. The same key again replays that response; with another body it is refused.
    A row without a response is a request still running (or one that failed, whose row is removed)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
