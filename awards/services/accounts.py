"""Accounts changed by an administrator in /admin/ (a password set, a login lockout cleared): audited like any
other action, and a person whose password was set is told, in the app and by e-mail, once."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from ..actor import Actor
from ..audit import audit_record
from ..models import AuditEvent, NotificationKind, User
from .announcements import in_site_language
from .notifications import Message, notify


@in_site_language
def _tell_password_set(user: User, event: AuditEvent) -> None:
    when = formats.date_format(timezone.localtime(event.at), "d/m/Y H:i")
    notify([Message(
        recipient=user, kind=NotificationKind.ACCOUNT, key=f"password-set:{event.pk}",
        subject=_("An administrator set your password"),
        body=_("An administrator set a new password for your TĐKT account “%(username)s” on %(when)s. If you did "
               "not expect it, tell your administrator at once.") % {"username": user.get_username(), "when": when},
        url=reverse("password_change"),
    )])  # fmt: skip


def set_password_url(user: User) -> str:
    """The page where `user` chooses a password (Django's reset confirmation): it opens while the account's password
    is unchanged, for PASSWORD_RESET_TIMEOUT seconds; choosing a password closes it."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)})


@in_site_language
def account_invite(*, user: User, key: str = "") -> int:
    """Tell a new account's holder their user name and where to choose their password: one notification (its key
    is the account's), e-mailed once, after the transaction that created the account commits (`notify`). The
    password is never in a file or an e-mail; only the link to choose it."""
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    return notify([Message(
        recipient=user, kind=NotificationKind.ACCOUNT, key=key or f"account-created:{user.pk}",
        subject=_("Your TĐKT account: choose your password"),
        body=_("An administrator created your TĐKT account. Your user name is “%(username)s”. Open the link below "
               "to choose your password; it works once, for %(days)s days. If it has expired, ask your administrator "
               "to send it again.") % {"username": user.get_username(), "days": days},
        url=set_password_url(user),
    )])  # fmt: skip


@transaction.atomic
def account_invite_again(*, by: Actor | None, users: Iterable[User]) -> int:
    """An administrator sends the set-password e-mail again (its link expired): to the active accounts that have an
    e-mail address and no password yet; each sending audited."""
    sent = 0
    for user in users:
        if not user.is_active or not user.email or user.has_usable_password():
            continue
        event = audit_record(actor=by, action="set_password_link_sent", obj=user, unit=by.unit if by else None)
        sent += account_invite(user=user, key=f"account-invite:{user.pk}:{event.pk}")
    return sent


@transaction.atomic
def password_set_record(*, by: Actor | None, user: User) -> AuditEvent:
    """Record that an administrator set `user`'s password (or switched password sign-in off) and, when a
    password was set, tell the user: one notification, e-mailed after the commit (the key makes it one)."""
    usable = user.has_usable_password()
    event = audit_record(
        actor=by, action="password_set" if usable else "password_unset", obj=user, unit=by.unit if by else None
    )
    if usable:
        _tell_password_set(user, event)
    return event


@transaction.atomic
def lockouts_cleared(*, by: Actor | None, attempts: Iterable) -> int:
    """Record the login lockouts (axes' failed-attempt records) an administrator deleted: each unlocks the
    user name it counted for. The user's id is kept, not the name typed, nor the address it came from."""
    attempts = list(attempts)
    users = dict(
        User.objects.filter(username__in={a.username for a in attempts if a.username}).values_list("username", "pk")
    )
    for attempt in attempts:
        user_id = users.get(attempt.username)
        failures = attempt.failures_since_start
        audit_record(
            actor=by, action="lockout_cleared", unit=by.unit if by else None,
            object_type="user" if user_id else "accessattempt", object_id=str(user_id or attempt.pk),
            detail={"failures": failures, "locked": failures >= settings.AXES_FAILURE_LIMIT},
        )  # fmt: skip
    return len(attempts)
