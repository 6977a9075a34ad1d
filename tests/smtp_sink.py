"""A local SMTP server for tests and benchmarks: counts what it accepts, and misbehaves on demand.

It runs aiosmtpd in a thread on a free port of 127.0.0.1, so any process (a Celery worker included) can
send to it; Django's in-memory outbox only sees the test process's own mail. A message counts once the
server answers 250 to its DATA, as a real mail server would.

    with SmtpSink() as sink:
        sink.behave("refuse_421")             # 421 to MAIL FROM: nothing accepted, the sender should retry
        sink.behave("reject_rcpt_550", address="x@example")  # a bounce for that address, others accepted
        sink.behave("hang", seconds=10)       # RCPT answered only after 10 s (or `release()`): client times out
        sink.behave("hang_once_then_normal", seconds=30)  # the first RCPT hangs, the rest go through
        sink.wait_hanging(timeout=30)         # a client is being held at RCPT
        sink.release()                        # let held RCPTs go on
        sink.behave("normal")
        sink.count(), sink.count("x@example"), sink.messages
"""

import asyncio
import socket
import threading
import time
from dataclasses import dataclass
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller

BEHAVIOURS = ("normal", "refuse_421", "reject_rcpt_550", "hang", "hang_once_then_normal")


@dataclass(frozen=True)
class Received:
    recipients: tuple[str, ...]
    sender: str
    subject: str
    message_id: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Handler:
    def __init__(self, sink: "SmtpSink"):
        self.sink = sink

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802 - aiosmtpd's hook name
        if self.sink.behaviour == "refuse_421":
            self.sink._note("refused")
            return "421 4.3.2 Service not available, try again later"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        sink = self.sink
        if sink.behaviour == "reject_rcpt_550" and address.lower() in sink.rejected:
            sink._note("bounced")
            return f"550 5.1.1 <{address}>: Recipient address rejected: no such mailbox"
        if sink.behaviour in ("hang", "hang_once_then_normal"):
            release, until = sink._release, time.monotonic() + sink.hang_seconds
            if sink.behaviour == "hang_once_then_normal":
                sink.behaviour = "normal"
            sink._note("held")
            sink.hanging.set()
            while not release.is_set() and time.monotonic() < until:
                await asyncio.sleep(0.05)  # the client may have given up (or died) meanwhile
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.sink._accept(
            Received(
                recipients=tuple(a.lower() for a in envelope.rcpt_tos),
                sender=envelope.mail_from or "",
                subject=str(message.get("Subject", "")).strip(),  # the folded header starts with a space
                message_id=str(message.get("Message-ID", "")),
            )
        )
        return "250 2.0.0 Message accepted for delivery"


class SmtpSink:
    def __init__(self, *, host: str = "127.0.0.1", port: int | None = None):
        self.host = host
        self.port = port or free_port()
        self.behaviour = "normal"
        self.rejected: set[str] = set()
        self.hang_seconds = 10.0
        self.hanging = threading.Event()  # set when a client is (or was) held at RCPT
        self._release = threading.Event()
        self._lock = threading.Lock()
        self._messages: list[Received] = []
        self._events: dict[str, int] = {}
        self._controller = Controller(_Handler(self), hostname=host, port=self.port, ready_timeout=10)

    # Lifecycle -------------------------------------------------------------------------------------

    def start(self) -> "SmtpSink":
        self._controller.start()
        return self

    def stop(self) -> None:
        self._release.set()
        self._controller.stop()

    def __enter__(self) -> "SmtpSink":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # Behaviour -------------------------------------------------------------------------------------

    def behave(self, behaviour: str, *, address: str = "", seconds: float = 10.0) -> None:
        """Switch behaviour; clients held at RCPT by an earlier behaviour are let go."""
        if behaviour not in BEHAVIOURS:
            raise ValueError(f"unknown behaviour {behaviour!r}; choose one of {BEHAVIOURS}")
        if behaviour == "reject_rcpt_550" and not address:
            raise ValueError("reject_rcpt_550 needs the address to bounce")
        self.release()
        self._release = threading.Event()
        self.hanging.clear()
        self.hang_seconds = seconds
        self.rejected = {address.lower()} if address else set()
        self.behaviour = behaviour

    def release(self) -> None:
        """Let any client held at RCPT go on (it gets its 250, if it is still there to read it)."""
        self._release.set()

    def wait_hanging(self, timeout: float) -> None:
        if not self.hanging.wait(timeout):
            raise AssertionError(f"no client reached RCPT on the SMTP sink within {timeout:.0f} s")

    # What it saw -----------------------------------------------------------------------------------

    def _accept(self, received: Received) -> None:
        with self._lock:
            self._messages.append(received)

    def _note(self, event: str) -> None:
        with self._lock:
            self._events[event] = self._events.get(event, 0) + 1

    @property
    def messages(self) -> list[Received]:
        with self._lock:
            return list(self._messages)

    def events(self, event: str) -> int:
        """How many times the sink refused (`refused`), bounced (`bounced`) or held (`held`) a client."""
        with self._lock:
            return self._events.get(event, 0)

    def count(self, address: str | None = None) -> int:
        """Messages accepted, all or those to `address`."""
        messages = self.messages
        if address is None:
            return len(messages)
        return sum(1 for m in messages if address.lower() in m.recipients)

    def recipients(self) -> list[str]:
        """Every accepted recipient address, once per message it was in."""
        return [address for m in self.messages for address in m.recipients]

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()
            self._events.clear()
