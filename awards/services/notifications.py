"""Notifications: written in the transaction of the change they announce, e-mailed after it commits.

`notify` writes one row per recipient, unique by (recipient, dedupe key): a job that runs twice finds
the rows and writes nothing. E-mail goes out from a Celery job (`awards.tasks.deliver_emails`) that
locks each row, sends, and marks it sent in one transaction per message; a failure leaves the row
pending with its error and a later attempt time (backing off), or failed when the server refused for
good. The sweeper (`email_sweep`) picks up what is due, so a job lost with the broker loses nothing.
"""

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from ..actor import Actor
from ..audit import audit_record
from ..jobs import send_jobs
from ..models import (
    EmailStatus,
    Membership,
    Notification,
    NotificationKind,
    NotificationPreference,
    User,
)
from ..selectors.notifications import failed_emails, notifications_visible

log = logging.getLogger(__name__)

BATCH = 50  # messages per delivery job (one SMTP connection each)
MAX_ATTEMPTS = 10  # transient failures before a message is given up as failed
FIRST_RETRY = dt.timedelta(minutes=1)  # then doubling, up to
LAST_RETRY = dt.timedelta(hours=1)
# A message written or handed out by the sweeper is left to its job this long before the sweeper hands it
# out again (a lost job, a broker down at commit).
SWEEP_GRACE = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Message:
    recipient: User
    kind: str
    key: str
    subject: str
    body: str = ""
    url: str = ""
    unit_id: int | None = None


# Who -------------------------------------------------------------------------------------------------


def unit_members(unit_ids: Iterable[int], roles: Iterable[str], *, day: dt.date | None = None) -> dict[int, list[User]]:
    """Active users holding one of `roles` in each unit today (acting members included), by unit id."""
    found: dict[int, list[User]] = {}
    memberships = (
        Membership.objects.valid_on(day or timezone.localdate())
        .filter(unit_id__in=list(unit_ids), role__in=list(roles), user__is_active=True)
        .select_related("user")
        .order_by("unit_id", "user_id")
    )
    for membership in memberships:
        users = found.setdefault(membership.unit_id, [])
        if membership.user not in users:
            users.append(membership.user)
    return found


# Writing ---------------------------------------------------------------------------------------------


def notify(messages: Iterable[Message]) -> int:
    """Write the messages not written before; e-mail the new ones after the transaction commits."""
    messages = list(messages)
    written, to_mail = 0, []
    for start in range(0, len(messages), 1000):
        count, pending = _write(messages[start : start + 1000])
        written += count
        to_mail += pending
    if to_mail:
        transaction.on_commit(lambda: email_enqueue(to_mail), robust=True)
    return written


def _write(messages: Sequence[Message]) -> tuple[int, list[int]]:
    """Write the new rows; return how many were written and the ids to e-mail."""
    existing = set(
        Notification.objects.filter(
            recipient_id__in={m.recipient.pk for m in messages}, dedupe_key__in={m.key for m in messages}
        ).values_list("recipient_id", "dedupe_key")
    )
    email_off = set(
        NotificationPreference.objects.filter(user_id__in={m.recipient.pk for m in messages}, email=False).values_list(
            "user_id", "kind"
        )
    )
    now, rows, seen = timezone.now(), [], set(existing)
    for m in messages:
        if (m.recipient.pk, m.key) in seen or not m.recipient.is_active:
            continue
        seen.add((m.recipient.pk, m.key))
        wants_email = bool(m.recipient.email) and (m.recipient.pk, m.kind) not in email_off
        rows.append(
            Notification(
                recipient=m.recipient, kind=m.kind, dedupe_key=m.key[:200], subject=" ".join(m.subject.split())[:255], body=m.body,
                url=m.url, unit_id=m.unit_id, created_at=now,
                email_status=EmailStatus.PENDING if wants_email else EmailStatus.NOT_SENT,
                email_next_try_at=now + SWEEP_GRACE if wants_email else None,
            )
        )  # fmt: skip
    try:
        with transaction.atomic():  # a savepoint: a concurrent writer of the same rows only costs a retry
            written = Notification.objects.bulk_create(rows)
    except IntegrityError:
        written = []
        for row in rows:
            try:
                with transaction.atomic():
                    row.save()
                written.append(row)
            except IntegrityError:
                continue  # someone else wrote it: it is theirs to send
    return len(written), [row.pk for row in written if row.email_status == EmailStatus.PENDING]


def email_enqueue(ids: Sequence[int]) -> None:
    """Hand the ids to delivery jobs; if the broker is down the sweeper sends them later."""
    from .. import tasks

    send_jobs(tasks.deliver_emails, [(list(ids[start : start + BATCH]),) for start in range(0, len(ids), BATCH)])


# Reading and marking ---------------------------------------------------------------------------------


def notification_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when `ids` is None)."""
    rows = notifications_visible(user).filter(read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


def preferences_of(user: User) -> dict[str, bool]:
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return {kind: chosen.get(kind, True) for kind in NotificationKind.values}


@transaction.atomic
def preferences_save(*, user: User, email: dict[str, bool]) -> None:
    for kind in NotificationKind.values:
        NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": bool(email.get(kind))})


# Sending ---------------------------------------------------------------------------------------------


def _absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url


def _email(notification: Notification) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):
        lines = [notification.body] if notification.body else []
        if notification.url:
            lines.append(translation.gettext("Open it in TĐKT: %(url)s") % {"url": _absolute(notification.url)})
        lines.append(
            translation.gettext("You can choose which notifications reach you by e-mail in TĐKT, under Notifications.")
        )
    return EmailMessage(
        subject=f"[TĐKT] {notification.subject}",
        body="\n\n".join(lines),
        to=[notification.recipient.email],
        headers={"Message-ID": notification.message_id, "Auto-Submitted": "auto-generated"},
    )


def _permanent(error: Exception) -> bool:
    """This message will never go: the server refused its recipient or its content for good (5xx).

    4xx answers and timeouts may pass; so may a 5xx about the server itself (the sender refused, a failed
    login, a bad greeting): that is a configuration to fix, not a reason to fail every e-mail in turn."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in error.recipients.values())
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code >= 500
    return False


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{address}: {code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
            for address, (code, msg) in error.recipients.items()
        )
    if isinstance(error, smtplib.SMTPResponseException):
        msg = error.smtp_error
        return f"{error.smtp_code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def retry_delay(attempts: int) -> dt.timedelta:
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LAST_RETRY)


def email_deliver(ids: Sequence[int]) -> dict[str, int]:
    """Send the pending e-mails among `ids`, each in its own transaction with its row locked.

    The row lock and the status check make a second job (a redelivery, the sweeper) skip what is being
    or has been sent. If the process dies mid-send, the transaction rolls back and the row stays pending.
    A transient failure (421, a timeout, a refused connection) stops the batch: the server is unwell,
    the rest wait for the sweeper instead of each waiting out the timeout. Anything else wrong with one
    message (a header Django refuses) fails that message alone.
    """
    counts = {"sent": 0, "failed": 0, "deferred": 0, "skipped": 0}
    connection = None
    try:
        for position, pk in enumerate(ids):
            with transaction.atomic():
                row = (
                    Notification.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("recipient")
                    .filter(pk=pk, email_status=EmailStatus.PENDING)
                    .first()
                )
                if row is None:
                    counts["skipped"] += 1
                    continue
                if not row.recipient.email or not row.recipient.is_active:  # changed since it was written
                    row.email_status, row.email_error, row.email_next_try_at = EmailStatus.NOT_SENT, "", None
                    row.save(update_fields=["email_status", "email_error", "email_next_try_at"])
                    continue
                try:
                    message = _email(row)
                    if connection is None:
                        connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
                        connection.open()
                    connection.send_messages([message])
                except (smtplib.SMTPException, OSError) as error:
                    _close(connection)
                    connection = None
                    transient = not _permanent(error)
                    _failed(row, error, transient=transient, counts=counts)
                    if transient:
                        counts["deferred"] += _hold_back(ids[position + 1 :], until=row.email_next_try_at)
                        break
                    continue
                except Exception as error:  # noqa: BLE001 — e.g. a header Django refuses: this message only
                    _failed(row, error, transient=False, counts=counts)
                    continue
                row.email_status, row.email_sent_at, row.email_next_try_at = EmailStatus.SENT, timezone.now(), None
                row.email_attempts += 1
                row.email_error = ""
                row.save(update_fields=[*RETRY_FIELDS, "email_sent_at"])
                counts["sent"] += 1
    finally:
        _close(connection)
    return counts


RETRY_FIELDS = ["email_status", "email_attempts", "email_error", "email_next_try_at"]


def _failed(row: Notification, error: Exception, *, transient: bool, counts: dict[str, int]) -> None:
    row.email_attempts += 1
    row.email_error = _describe(error)[:2000]
    if not transient or row.email_attempts >= MAX_ATTEMPTS:
        row.email_status, row.email_next_try_at = EmailStatus.FAILED, None
        counts["failed"] += 1
    else:
        row.email_next_try_at = timezone.now() + retry_delay(row.email_attempts)
        counts["deferred"] += 1
    row.save(update_fields=RETRY_FIELDS)
    log.warning("e-mail for notification %s not sent: %s", row.pk, row.email_error)


def _hold_back(ids: Sequence[int], *, until: dt.datetime) -> int:
    """The server is unwell: the rest of the batch waits as long as the message just tried, or the sweeper
    would hand it out again every minute, each job waiting out the timeout once more. Rows another job is
    sending are left alone, and no row's next attempt moves earlier."""
    free = list(
        Notification.objects.select_for_update(skip_locked=True)
        .filter(pk__in=list(ids), email_status=EmailStatus.PENDING, email_next_try_at__lt=until)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    Notification.objects.filter(pk__in=free).update(email_next_try_at=until)
    return len(ids)


def _close(connection) -> None:
    if connection is not None:
        try:
            connection.close()
        except Exception:  # noqa: BLE001 — a dead connection may fail to close; it is dropped either way
            log.debug("closing the SMTP connection failed", exc_info=True)


@transaction.atomic
def email_claim_due(*, now: dt.datetime | None = None, limit: int = 5000) -> list[int]:
    """Pending e-mails whose (next) attempt is due, claimed for the sweeper to hand out: their next
    attempt moves on by a lease, so the next sweep does not hand them out again while they wait in the
    queue (a delivery job sends whatever is pending, whatever its time)."""
    now = now or timezone.now()
    ids = list(
        Notification.objects.select_for_update(skip_locked=True)
        .filter(email_status=EmailStatus.PENDING, email_next_try_at__lte=now)
        .order_by("email_next_try_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    Notification.objects.filter(pk__in=ids).update(email_next_try_at=now + SWEEP_GRACE)
    return ids


@transaction.atomic
def email_retry(*, by: Actor, ids: Iterable[int] | None = None) -> int:
    """An administrator sends failed e-mails again (all failed ones when `ids` is None)."""
    rows = failed_emails(actor=by).select_for_update(of=("self",))
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    picked = list(rows.values_list("pk", flat=True))
    if not picked:
        return 0
    Notification.objects.filter(pk__in=picked).update(
        email_status=EmailStatus.PENDING, email_attempts=0, email_next_try_at=timezone.now() + SWEEP_GRACE
    )
    audit_record(actor=by, action="email_retried", object_type="notification", detail={"notifications": picked})
    transaction.on_commit(lambda: email_enqueue(picked), robust=True)
    return len(picked)
