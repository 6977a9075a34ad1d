"""Several nodes, one system: two gunicorn nodes and two Celery workers on one PostgreSQL database, one Redis and one
file storage, in the production profile (DEBUG off, one SECRET_KEY, collected static files), with a real SMTP
server (tests/smtp_sink.py). A node is a gunicorn and a worker (docs/deployment.md, "A provincial deployment").

1. The police reviewer signs in on node A and takes a nomination there; the redirect is followed on node B, which
   shows it taken; the reviewer sends it on with the office's tờ trình through node B; node A shows it at the
   director's step, and the tờ trình a worker built downloads through node A, byte for byte what was stored.
2. The SMTP server holds the next e-mail at RCPT, so one worker is caught mid-job; that worker's node is then
   killed with `kill -9` (its gunicorn master and workers, its Celery worker and pool child) while the same
   reviewer sends nominations on one by one through it, at a moment one of its requests is inside a
   transaction. Every request it answered is committed; the one in flight is there whole or not at all (the
   hand-off, the step, the workflow task, the audit row, the documents, the notification); the reviewer's session
   goes on through the other node, which shows the same, and sends on again what did not commit.
3. Every job runs once to its end: the e-mail the dead worker held is run by the other worker once Redis' visibility
   timeout passes (shortened here to VISIBILITY seconds; 3600 in production), the periodic sweeps (what beat sends)
   find nothing left or send what the dead node committed without queueing; every generated document is built
   exactly once into one stored file, every e-mail arrives exactly once, and the queues end empty.
"""

import hashlib
import http.client
import io
import re
import threading
import time
import zipfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from django.db.models import F
from django.test import override_settings
from django.utils import timezone, translation
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from awards.models import (
    AuditEvent,
    DocumentStatus,
    EmailStatus,
    GeneratedDocument,
    HandOff,
    Nomination,
    NominationAction,
    NominationStatus,
    Notification,
    NotificationKind,
    Outcome,
    Step,
)
from awards.services.documents import STALE_AFTER
from tests.conftest import PASSWORD
from tests.nodes import (
    Browser,
    Page,
    WebNode,
    backends,
    collectstatic,
    kill_worker,
    node_environment,
    write_settings,
)
from tests.smtp_sink import SmtpSink
from tests.test_nominations import nominate, send
from tests.test_nominations import world as world  # noqa: F401 - the fixture
from tests.workers import Worker, run_job, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

NODES = ("a", "b")
STREAM = 12  # nominations the reviewer sends on one by one through the node that is killed (it dies before the end)
ANSWERED_BEFORE_KILL = 3
VISIBILITY = 15  # seconds before Redis hands a dead worker's job to another worker (CELERY_VISIBILITY_TIMEOUT)
GIVEN = ("An", "Bảo", "Cường", "Dung", "Đạt", "Giao", "Hạnh", "Khoa", "Lộc", "Mai", "Nga", "Phúc", "Quyên", "Sơn")
QUEUES = ("celery", "emails", "documents")
BUILT = re.compile(r"Task awards\.tasks\.build_document\[[0-9a-f-]+\] succeeded in [0-9.]+s: '(\w+)'")


def vi(label) -> str:
    with translation.override("vi"):
        return str(label)


# The installation ------------------------------------------------------------------------------------------


@dataclass
class Cluster:
    broker: str
    webs: dict[str, WebNode]
    workers: dict[str, Worker]

    def wait_ready(self) -> None:
        for web in self.webs.values():
            web.wait_ready()
        for worker in self.workers.values():
            worker.wait_ready(timeout=120)


@pytest.fixture
def media(tmp_path):
    """The test process writes to the storage the nodes read (the council minutes of the dossiers it builds)."""
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield tmp_path / "media"


@pytest.fixture
def sink():
    with SmtpSink() as running:
        yield running


@pytest.fixture
def cluster(transactional_db, redis_url, media, sink, tmp_path):
    """Two web nodes and two workers, started (not yet ready: the test builds its data meanwhile), stopped
    before the database is emptied."""
    write_settings(tmp_path)
    shared = {"broker": redis_url, "media": media}
    collectstatic(node_environment(tmp_path, name="tdkt-release", **shared))
    # the SMTP server (whose hold the sender outwaits) and Redis' visibility timeout: the same for every process
    services = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": sink.host,
                "EMAIL_PORT": str(sink.port), "EMAIL_TIMEOUT": "120", "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY)}  # fmt: skip
    started = Cluster(broker=redis_url, webs={}, workers={})
    try:
        for key in NODES:
            started.webs[key] = WebNode(
                f"web-{key}", environment=node_environment(tmp_path, name=f"tdkt-web-{key}", **shared, **services),
                log=tmp_path / f"web-{key}.log",
            )  # fmt: skip
            started.workers[key] = Worker(
                broker=redis_url, log=tmp_path / f"worker-{key}.log",
                env=node_environment(tmp_path, name=f"tdkt-worker-{key}", **shared, **services),
            )  # fmt: skip
        yield started
    finally:
        processes = [*started.webs.values(), *started.workers.values()]
        with ThreadPoolExecutor(max_workers=len(processes) or 1) as stopping:  # all at once: each waits for its own
            list(stopping.map(lambda process: process.stop(), processes))
        for process in processes:  # shown by pytest when the test fails
            print(process.tail(30))


# The data ----------------------------------------------------------------------------------------------------


def at_police_appraisal(org, campaign, tier, count: int) -> list[Nomination]:
    """`count` Giấy khen nominations of unit A, sent up in one dossier: waiting for the police reviewer."""
    nominations = [nominate(org, campaign, tier, name=f"Trần Thị {given}", id_number="") for given in GIVEN[:count]]
    send(org, campaign, tier, nominations)
    return nominations


def handoff_form(number: str) -> dict[str, str]:
    return {"number": number, "date": timezone.localdate().strftime("%d/%m/%Y"), "signer": "Đỗ Minh Khoa",
            "signer_title": "Trưởng phòng Tham mưu", "step": Step.POLICE_APPRAISAL}  # fmt: skip


def facts(nomination: Nomination) -> dict:
    """Everything one hand-off writes, as the database holds it now."""
    nomination = Nomination.objects.get(pk=nomination.pk)
    handoffs = list(HandOff.objects.filter(nominations=nomination))
    return {
        "step": nomination.step,
        "handoffs": len(handoffs),
        "approved": NominationAction.objects.filter(
            nomination=nomination, step=Step.POLICE_APPRAISAL, outcome=Outcome.APPROVED
        ).count(),
        "open tasks": sorted(
            task.flow_task.name
            for task in Task.objects.filter(process__nominationprocess__nomination=nomination).exclude(
                status__in=[STATUS.DONE, STATUS.CANCELED]
            )
        ),
        "audited": AuditEvent.objects.filter(
            action="handoff_sent", object_type="handoff", object_id__in=[str(h.pk) for h in handoffs]
        ).count(),
        "documents": GeneratedDocument.objects.filter(handoff__in=handoffs).count(),
        "told": Notification.objects.filter(
            kind=NotificationKind.TASK_ARRIVED, url=f"/nominations/{nomination.pk}/"
        ).count(),
    }


NOT_SENT = {"step": Step.POLICE_APPRAISAL, "handoffs": 0, "approved": 0, "open tasks": ["police_appraisal"],
            "audited": 0, "documents": 0, "told": 0}  # fmt: skip
SENT_ON = {"step": Step.DIRECTOR_APPROVAL, "handoffs": 1, "approved": 1, "open tasks": ["director_approval"],
           "audited": 1, "documents": 3, "told": 1}  # fmt: skip


def shown_status(page: Page) -> str:
    """The status line of a nomination's page, as the user reads it (status, and the step when it says more)."""
    found = re.search(r'data-testid="nomination-status">([^<]*)</span>(?: <span class="muted">([^<]*)</span>)?',
                      page.text)  # fmt: skip
    assert page.status == 200 and found, f"no nomination status on the page ({page.status}):\n{page.text[:2000]}"
    return " · ".join(part for part in found.groups() if part)


def at_step(step: str) -> str:
    return f"{vi(NominationStatus.IN_REVIEW.label)} · {vi(Step(step).label)}"


def sent_on(answer: Page) -> bool:
    """The hand-off view's success: back to the inbox (a refusal goes back to the nomination's page)."""
    return answer.status == 302 and answer.location == "/nominations/"


# The stream of requests to the node that dies ------------------------------------------------------------------


@dataclass
class Request:
    nomination: Nomination
    answer: Page | None = None
    error: str = ""


def send_on_one_by_one(browser: Browser, web: WebNode, nominations: list[Nomination], log: list[Request]) -> None:
    """What the reviewer does, one request after another, until the node stops answering."""
    for number, nomination in enumerate(nominations, start=300):
        request = Request(nomination)
        log.append(request)
        try:
            request.answer = browser.submit(web, f"/nominations/{nomination.pk}/handoff/",
                                            handoff_form(f"{number}/TTr-PV01"))  # fmt: skip
        except (OSError, http.client.HTTPException) as error:  # refused, reset, closed without an answer
            request.error = f"{type(error).__name__}: {error}"
            return


def kill_in_a_transaction(web: WebNode, worker: Worker, thread: threading.Thread) -> None:
    """`kill -9` of the whole node (web and worker) at a moment one of the web node's requests holds an open
    transaction in PostgreSQL."""
    deadline = time.monotonic() + 60
    while "idle in transaction" not in {state for _name, state in backends(f"tdkt-{web.name}")}:
        assert thread.is_alive(), "the requests ran out before one was caught inside a transaction"
        assert time.monotonic() < deadline, "no request of the node was seen inside a transaction within 60 s"
        time.sleep(0.002)
    web.kill()
    kill_worker(worker)


# Redis ---------------------------------------------------------------------------------------------------------


def broker_idle(broker: str) -> bool:
    """No job waiting in any queue, none held unacknowledged by a worker."""
    with redis.Redis.from_url(broker) as client:
        return not any(client.llen(queue) for queue in QUEUES) and not client.hlen("unacked")


def held_job(log: str) -> str:
    """The id of the e-mail job a worker received and never finished."""
    received = re.findall(r"Task awards\.tasks\.deliver_emails\[([0-9a-f-]+)\] received", log)
    unfinished = [job for job in received if f"{job}] succeeded" not in log]
    assert len(unfinished) == 1, f"expected one unfinished e-mail job in the dead worker's log, found {unfinished}"
    return unfinished[0]


# The test ------------------------------------------------------------------------------------------------------


def test_two_nodes_are_one_system_through_a_kill_9_of_one(cluster, sink, media, org, world):
    campaign, tiers = world
    first, primer, *stream = at_police_appraisal(org, campaign, tiers["director"], count=2 + STREAM)
    mails_before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    cluster.wait_ready()
    webs, workers, broker = cluster.webs, cluster.workers, cluster.broker

    # 1. Taken on node A, sent on through node B, its tờ trình downloaded through node A -------------------------
    a, b = webs["a"], webs["b"]
    police = Browser()
    police.login(a, "police", PASSWORD)
    page = police.open(a.url(f"/nominations/{first.pk}/"))
    assert 'data-testid="claim"' in page.text and shown_status(page) == at_step(Step.POLICE_APPRAISAL)
    taken = police.submit(a, f"/nominations/{first.pk}/claim/", {}, form_page=page)
    assert taken.status == 302 and taken.location == f"/nominations/{first.pk}/"
    page = police.open(b.url(taken.location))  # the redirect followed on the other node
    assert "Bạn đã nhận xử lý hồ sơ này." in page.text  # the message node A left, shown by node B
    assert f"Người xử lý: {org.users['police'].display_name}." in page.text
    assert 'data-testid="handoff-form"' in page.text
    answer = police.submit(b, f"/nominations/{first.pk}/handoff/", handoff_form("201/TTr-PV01"), form_page=page)
    assert sent_on(answer), answer.text[:2000]
    assert f"Đã chuyển “{first.name}” đến" in police.open(a.url(answer.location)).text
    page = police.open(a.url(f"/nominations/{first.pk}/"))
    assert shown_status(page) == at_step(Step.DIRECTOR_APPROVAL)
    assert facts(first) == SENT_ON
    link = re.search(r'href="(/handoffs/(\d+)/documents/handoff_docx/)"', page.text)
    assert link, "the timeline offers no tờ trình to download"
    handoff = HandOff.objects.get(pk=int(link.group(2)), nominations=first)
    wait_until(lambda: handoff.documents.filter(status=DocumentStatus.READY).count() == 3, timeout=90,
               what="the workers to build the hand-off's three files")  # fmt: skip
    docx = handoff.documents.get(kind="handoff_docx")
    download = police.open(a.url(link.group(1)))
    assert download.status == 200 and "attachment" in download.headers["Content-Disposition"]
    assert hashlib.sha256(download.body).hexdigest() == docx.sha256 and len(download.body) == docx.size
    assert download.body == (media / docx.path).read_bytes()
    with zipfile.ZipFile(io.BytesIO(download.body)) as document:
        text = re.sub(r"<[^>]+>", "", document.read("word/document.xml").decode())
    assert "201/TTr-PV01" in text and "Trần Thị An" in text
    wait_until(lambda: sink.count() == 1, timeout=60, what="the director's e-mail")

    # 2. One worker caught mid-job; its node killed while the reviewer sends nominations on through it -----------
    sink.behave("hang_once_then_normal", seconds=120)  # the next e-mail is held at RCPT by the SMTP server
    page = police.open(a.url(f"/nominations/{primer.pk}/"))
    assert sent_on(police.submit(a, f"/nominations/{primer.pk}/handoff/", handoff_form("202/TTr-PV01"), form_page=page))
    sink.wait_hanging(timeout=60)
    held_at = time.monotonic()

    def holder() -> str:
        holding = [name for name, state in backends(*(f"tdkt-worker-{k}" for k in NODES))
                   if state == "idle in transaction"]  # fmt: skip
        return holding[0].removeprefix("tdkt-worker-") if len(holding) == 1 else ""

    victim = wait_until(holder, timeout=30, what="the worker sending the held e-mail")
    survivor = next(key for key in NODES if key != victim)
    requests: list[Request] = []
    thread = threading.Thread(target=send_on_one_by_one, args=(police, webs[victim], stream, requests), daemon=True)
    thread.start()
    try:
        wait_until(lambda: sum(r.answer is not None for r in requests) >= ANSWERED_BEFORE_KILL or not thread.is_alive(),
                   timeout=120, what=f"{ANSWERED_BEFORE_KILL} requests answered by web-{victim}")  # fmt: skip
        kill_in_a_transaction(webs[victim], workers[victim], thread)
        killed_at = time.monotonic()
    finally:
        thread.join(timeout=60)
    assert killed_at - held_at < VISIBILITY - 3, "too slow: the held job would be handed out while still running"
    sink.release()
    wait_until(lambda: not backends(f"tdkt-web-{victim}", f"tdkt-worker-{victim}"), timeout=30,
               what="PostgreSQL to end the dead node's sessions (rolling back what they had not committed)")  # fmt: skip

    answered = [r for r in requests if r.answer is not None]
    [in_flight] = [r for r in requests if r.answer is None]  # the node stopped answering: the requests stopped
    assert len(answered) >= ANSWERED_BEFORE_KILL and requests[-1] is in_flight
    assert all(sent_on(r.answer) for r in answered), [(r.answer.status, r.answer.location) for r in answered]
    assert all(facts(n) == SENT_ON for n in [first, primer, *(r.nomination for r in answered)])  # all answered: there
    state = facts(in_flight.nomination)
    assert state in (SENT_ON, NOT_SENT), f"half a hand-off after the kill ({in_flight.error}): {state}"
    committed = state == SENT_ON
    untouched = [n for n in stream if n.pk not in {r.nomination.pk for r in requests}]
    assert untouched and all(facts(n) == NOT_SENT for n in untouched)

    # The session goes on through the other node, which shows the same; what did not commit is sent again.
    other = webs[survivor]
    for request in answered:
        page = police.open(other.url(f"/nominations/{request.nomination.pk}/"))
        assert shown_status(page) == at_step(Step.DIRECTOR_APPROVAL)
    page = police.open(other.url(f"/nominations/{in_flight.nomination.pk}/"))
    if committed:
        assert shown_status(page) == at_step(Step.DIRECTOR_APPROVAL) and 'data-testid="handoff-form"' not in page.text
    else:
        assert shown_status(page) == at_step(Step.POLICE_APPRAISAL)
        again = police.submit(other, f"/nominations/{in_flight.nomination.pk}/handoff/", handoff_form("299/TTr-PV01"),
                              form_page=page)  # fmt: skip
        assert sent_on(again) and facts(in_flight.nomination) == SENT_ON
    assert shown_status(police.open(other.url(f"/nominations/{untouched[0].pk}/"))) == at_step(Step.POLICE_APPRAISAL)

    # 3. Every job runs once to its end -----------------------------------------------------------------------
    held = Notification.objects.get(url=f"/nominations/{primer.pk}/", kind=NotificationKind.TASK_ARRIVED)
    wait_until(lambda: Notification.objects.filter(pk=held.pk, email_status=EmailStatus.SENT).exists(),
               timeout=VISIBILITY + 60, what="the other worker to run the e-mail job the dead one held",
               worker=workers[survivor])  # fmt: skip
    wait_until(lambda: broker_idle(broker), timeout=90, what="every queued job to be run", worker=workers[survivor])
    # What beat sends: the sweeps. Only a request that committed as its node died can have left jobs unqueued (the
    # node dies between the commit and the hand-over to Redis): time passes for those, as it would for the sweeps.
    GeneratedDocument.objects.filter(handoff__nominations=in_flight.nomination, status=DocumentStatus.QUEUED).update(
        requested_at=F("requested_at") - STALE_AFTER
    )
    Notification.objects.filter(
        url=f"/nominations/{in_flight.nomination.pk}/", email_status=EmailStatus.PENDING
    ).update(email_next_try_at=timezone.now())
    run_job(broker, "documents_sweep", workers[survivor])
    run_job(broker, "email_sweep", workers[survivor])
    wait_until(lambda: broker_idle(broker) and not GeneratedDocument.objects.exclude(status=DocumentStatus.READY)
               .exists() and not Notification.objects.filter(email_status=EmailStatus.PENDING).exists(),
               timeout=90, what="every document and e-mail", worker=workers[survivor])  # fmt: skip

    # Each document built once, into one stored file named by its checksum; no half-written file anywhere.
    documents = list(GeneratedDocument.objects.all())
    handed_on = Nomination.objects.filter(step=Step.DIRECTOR_APPROVAL).count()
    assert len(documents) == 3 * HandOff.objects.count() == 3 * handed_on
    logs = {key: worker.output() for key, worker in workers.items()}
    runs = Counter(BUILT.findall(logs["a"] + logs["b"]))
    assert runs == {"built": len(documents)}, runs
    stored = {str(path.relative_to(media)) for path in (media / "documents").rglob("*") if path.is_file()}
    assert stored == {d.path for d in documents}  # no duplicate, no leftover temporary (.incoming-*.part)
    for document in documents:
        data = (media / document.path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == document.sha256 and Path(document.path).stem == document.sha256

    # Each e-mail arrived once; the dead worker's job was run by the other worker, under the same id.
    mails = Notification.objects.filter(pk__gt=mails_before, recipient__email__gt="")
    assert set(mails.values_list("email_status", flat=True)) == {EmailStatus.SENT}
    assert set(mails.values_list("email_attempts", flat=True)) == {1}  # the killed attempt rolled back
    received = Counter(message.message_id for message in sink.messages)
    assert received == {mail.message_id: 1 for mail in mails}
    assert mails.count() == handed_on  # one per hand-off, to the director
    job = held_job(logs[victim])
    assert f"{job}] received" in logs[survivor] and re.search(rf"{job}\] succeeded .*'sent': 1", logs[survivor])

    # The director, signing in on the node that lived, finds every nomination sent on and no other.
    director = Browser()
    director.login(other, "director", PASSWORD)
    inbox = re.search(r'data-testid="inbox-table">.*?</table>', director.open(other.url("/nominations/")).text, re.S)
    assert inbox, "the director's inbox lists nothing"
    waiting = {int(pk) for pk in re.findall(r'href="/nominations/(\d+)/"', inbox.group(0))}
    assert waiting == set(Nomination.objects.filter(step=Step.DIRECTOR_APPROVAL).values_list("pk", flat=True))
