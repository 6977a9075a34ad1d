"""Deadline day (issue 14, benchmark (b)): 250 signed-in users, some uploading 5–25 MB scans over slow uplinks.

A Locust file; `bench/deadline.sh` serves the data (gunicorn alone, or behind nginx with request buffering:
bench/nginx-deadline.conf) and runs it:

    .venv/bin/locust -f bench/deadline.py --headless --only-summary --host http://127.0.0.1:8088

Two phases in one run, the second measured against the first:

1. **floor**: `DEADLINE_USERS - DEADLINE_UPLOADERS` page users (`PageUser`: bench/locustfile.py's OfficeUser,
   the same personas and page mix) arrive over one mean think time and open a page every `DEADLINE_THINK`
   seconds; their page times after the ramp, with no upload running, are the floor.
2. **deadline**: `DEADLINE_UPLOADERS` unit officers start (`UploaderUser`: spawned with the others, idle until
   now). Each opens its home page, finds its draft report and attaches the signed scan as a PDF of 5–25 MB
   (the report's attachment form, kind "scan", capped at 25 MB by awards/uploads.py), sending the multipart
   body at 1–4 Mbit/s (a phone's uplink: a raw HTTP client sending 16 KiB at a time on a schedule), then
   opens the report page and checks that the file is listed; it waits 5–15 s and sends the next one. The
   page users' times in this phase, once the uploads are under way (after DEADLINE_SETTLE), are compared
   with the floor.

Each account signs in once and its users share the session (see `signed_in`). At the end it prints, for each
phase, the page users' requests, req/s, p50/p95/p99/max and errors, the CPU used (the box's busy share,
the cores of gunicorn, nginx and Locust), the ratio of the deadline phase's p95 (and p50) to the floor's, the uploads (completed, failed,
unfinished when the run ended, duration, the wait after the last byte: what the user waits for the server,
the number in flight) and a timeline every 10 s. A JSON copy goes to `DEADLINE_JSON`. Nothing asserts a time.

Environment: DEADLINE_USERS (250), DEADLINE_UPLOADERS (25), DEADLINE_THINK ("10-30": seconds between a page
user's pages; "1-3" is OfficeUser's own, a stress test: 225 users then ask ~100 pages a second of 2 cores),
DEADLINE_RAMP / DEADLINE_FLOOR / DEADLINE_LOAD (30 / 40 / 105 s: the phases), DEADLINE_SETTLE (15 s),
DEADLINE_MBIT ("1-4"), DEADLINE_MB ("5-25"), DEADLINE_UPLOADER_ACCOUNTS (the demo's officers with a draft
report: canbo.tinnghia, canbo.ldld, canbo.sgddt), DEADLINE_SERVER_PIDS (whose CPU to report: gunicorn's
and nginx's master processes), DEADLINE_LABEL, DEADLINE_JSON.
"""

import copy
import http.client
import itertools
import json
import os
import random
import re
import time
from collections import defaultdict
from http.cookiejar import Cookie
from pathlib import Path
from urllib.parse import urlsplit

import locustfile as office  # bench/locustfile.py: Locust puts the locustfile's directory on sys.path
from gevent.lock import Semaphore
from locust import HttpUser, LoadTestShape, between, events, task

MB = 1024 * 1024


def _range(name: str, default: str) -> tuple[float, float]:
    low, _sep, high = os.environ.get(name, default).partition("-")
    return float(low), float(high or low)


USERS = int(os.environ.get("DEADLINE_USERS", "250"))
UPLOADERS = int(os.environ.get("DEADLINE_UPLOADERS", "25"))
THINK = _range("DEADLINE_THINK", "10-30")
RAMP = float(os.environ.get("DEADLINE_RAMP", "30"))
FLOOR = float(os.environ.get("DEADLINE_FLOOR", "40"))
LOAD = float(os.environ.get("DEADLINE_LOAD", "105"))
SETTLE = float(os.environ.get("DEADLINE_SETTLE", "15"))
MBIT = _range("DEADLINE_MBIT", "1-4")
SIZE_MB = _range("DEADLINE_MB", "5-25")
ACCOUNTS = os.environ.get("DEADLINE_UPLOADER_ACCOUNTS", "canbo.tinnghia,canbo.ldld,canbo.sgddt").split(",")
CHUNK = 16 * 1024
# Whose CPU to report, "name=pid" (bench/deadline.sh: "gunicorn=<master> nginx=<master>"), with their children.
SERVERS = dict(item.split("=", 1) for item in os.environ.get("DEADLINE_SERVER_PIDS", "").split())
_TICKS = os.sysconf("SC_CLK_TCK")

# The page users' requests (OfficeUser's tasks); sign-in and the uploaders' own pages are left out.
PAGES = {
    "/",
    "/nominations/",
    "/campaigns/[id]/nominations/",
    "/nominations/[id]/",
    "/lateness/",
    "/activity/",
    "/units/",
    "/notifications/",
}
REPORT = re.compile(r'href="/reports/(\d+)/"')

# What the summary reads: every page request (completion time, ms, failed?), every upload, uploads in flight.
page_log: list[tuple[float, float, bool]] = []
upload_log: list[dict] = []
in_flight: dict[int, dict] = {}
in_flight_samples: list[tuple[float, int]] = []
cpu_samples: list[tuple[float, float, float, dict[str, float]]] = []  # time, box busy & total jiffies, CPU s
clock = {"start": None}
_ids = itertools.count(1)
_accounts = itertools.cycle(ACCOUNTS)
# One random payload, sliced for every scan (content is not what costs: parsing, hashing, copying are).
_NOISE = os.urandom(int(SIZE_MB[1] * MB))


def scan_pdf(size: int) -> list[bytes | memoryview]:
    """A one-page PDF of exactly `size` bytes that awards/uploads.py accepts (parses, not encrypted, has a
    page): the page's content stream carries the bulk, as a scanned page's image does."""
    head = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    objects = [
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n",
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n",
    ]

    def tail(offsets: list[int], xref_at: int) -> bytes:
        rows = "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
        return (
            f"xref\n0 5\n0000000000 65535 f \n{rows}trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n"
        ).encode()

    fixed = len(head) + sum(map(len, objects))
    stream_open = b"4 0 obj\n<< /Length %d >>\nstream\n"
    stream_close = b"\nendstream\nendobj\n"
    # Solve for the payload length: the sizes of the numbers printed depend on it, so iterate twice.
    payload = size - fixed - 200
    for _ in range(3):
        opening = stream_open % payload
        xref_at = fixed + len(opening) + payload + len(stream_close)
        offsets, at = [], len(head)
        for obj in objects:
            offsets.append(at)
            at += len(obj)
        offsets.append(at)
        total = xref_at + len(tail(offsets, xref_at))
        payload += size - total
    opening = stream_open % payload
    xref_at = fixed + len(opening) + payload + len(stream_close)
    return [head, *objects, opening, memoryview(_NOISE)[:payload], stream_close, tail(offsets, xref_at)]


_sessions: dict[str, list[Cookie]] = {}
_signing_in: dict[str, Semaphore] = defaultdict(Semaphore)


def signed_in(client, username: str) -> None:
    """Sign in once per account and share its session (cookies) with every user of that account: 250 sign-ins
    (PBKDF2, 0.26 s of CPU each) would take a minute of both cores, and people sign in over the day, not
    all at once. The server's cost of a page is the same for a shared session (it is read per request)."""
    with _signing_in[username]:
        if username not in _sessions:
            office.sign_in(client, username)
            _sessions[username] = list(client.cookies)
            return
    for cookie in _sessions[username]:
        client.cookies.set_cookie(copy.copy(cookie))


class PageUser(office.OfficeUser):
    """OfficeUser's personas and page mix, with a shared sign-in and the think time of this profile."""

    wait_time = between(*THINK)

    def on_start(self) -> None:  # OfficeUser.on_start, with signed_in() for sign_in()
        # Arrive over one mean think time, not all in the same second: the floor is then a steady state.
        time.sleep(random.uniform(0, sum(THINK) / 2))
        names, weights = zip(*office.PERSONAS, strict=True)
        self.username = random.choices(names, weights)[0]
        signed_in(self.client, self.username)
        home = self.client.get("/campaigns/", name="/campaigns/").text
        self.campaigns = office.CAMPAIGN.findall(home) or []
        self.nominations: list[str] = []


class UploaderUser(HttpUser):
    """A unit officer attaching the signed scan of the report on deadline day, over a slow uplink."""

    fixed_count = UPLOADERS
    wait_time = between(5, 15)

    def on_start(self) -> None:
        # Spawned with the page users (fixed_count users come first), idle until the deadline phase starts.
        time.sleep(max(0.0, clock["start"] + RAMP + FLOOR - time.time()) if clock["start"] else 0.0)
        self.username = next(_accounts)
        signed_in(self.client, self.username)
        home = self.client.get("/", name="uploader: home").text
        self.reports = sorted(set(REPORT.findall(home)))
        self.report = None
        for pk in self.reports:  # the report whose page offers the attachment form (a draft)
            if 'data-testid="attachment-form"' in self.client.get(f"/reports/{pk}/", name="uploader: report").text:
                self.report = pk
                break
        if self.report is None:
            raise RuntimeError(f"{self.username} has no draft report to attach a scan to")

    @task
    def upload_scan(self) -> None:
        size = int(random.uniform(*SIZE_MB) * MB)
        rate = random.uniform(*MBIT) * 1e6 / 8  # bytes per second
        ident = next(_ids)
        name = f"scan-{ident:05d}-{size // 1000}k.pdf"
        record = {"id": ident, "user": self.username, "size": size, "mbit": rate * 8 / 1e6, "sent": 0}
        record["started"] = time.time()
        in_flight[ident] = record
        error = None
        try:
            status = self._post(name, size, rate, record)
        except (OSError, http.client.HTTPException) as problem:  # reset, refused, broken pipe, no answer
            error = f"{type(problem).__name__}: {problem}"
        else:
            if status != 302:
                error = f"status {status}"
        # Not in a `finally`: an upload still sending when the run stops (its greenlet killed) stays in
        # in_flight, to be reported as unfinished.
        in_flight.pop(ident, None)
        record["done"] = time.time()
        if not error:
            text = self.client.get(f"/reports/{self.report}/", name="uploader: report after upload").text
            if f">{name}<" not in text:
                error = "the scan is not listed on the report"
        record["error"] = error
        upload_log.append(record)
        events.request.fire(
            request_type="POST",
            name="upload: scan (throttled)",
            response_time=(record["done"] - record["started"]) * 1000,
            response_length=size,
            exception=RuntimeError(error) if error else None,
            context={},
        )

    def _post(self, name: str, size: int, rate: float, record: dict) -> int:
        target = urlsplit(self.host)
        token = self.client.cookies.get("csrftoken", "")
        boundary = f"----deadline{random.getrandbits(64):016x}"
        fields = "".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
            for key, value in (("csrfmiddlewaretoken", token), ("kind", "scan"))
        )
        opening = (
            f"{fields}--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        parts = [opening, *scan_pdf(size), f"\r\n--{boundary}--\r\n".encode()]
        length = sum(len(part) for part in parts)
        cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.client.cookies)
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=600)
        try:
            connection.putrequest("POST", f"/reports/{self.report}/attachments/", skip_accept_encoding=True)
            for header, value in (
                ("Content-Type", f"multipart/form-data; boundary={boundary}"),
                ("Content-Length", str(length)),
                ("Cookie", cookies),
                ("Referer", f"{self.host}/reports/{self.report}/"),
                ("User-Agent", "deadline-uploader"),
            ):
                connection.putheader(header, value)
            connection.endheaders()
            # The uplink: CHUNK bytes every CHUNK / rate seconds, on a fixed schedule (a token bucket).
            due = time.monotonic()
            for part in parts:
                view = memoryview(part)
                for at in range(0, len(view), CHUNK):
                    piece = view[at : at + CHUNK]
                    connection.send(piece)
                    record["sent"] += len(piece)
                    due += len(piece) / rate
                    pause = due - time.monotonic()
                    if pause > 0:
                        time.sleep(pause)  # gevent's: other users run meanwhile
            record["last_byte"] = time.time()
            response = connection.getresponse()
            record["answered"] = time.time()
            response.read()
            return response.status
        finally:
            connection.close()


class DeadlineShape(LoadTestShape):
    """Every user from the start (the uploaders idle until the deadline phase); stops after the deadline phase."""

    use_common_options = False

    def tick(self):
        now = self.get_run_time()
        if clock["start"] is None:
            clock["start"] = time.time() - now
        in_flight_samples.append((time.time(), len(in_flight)))
        used = {name: _tree_cpu(int(pid)) for name, pid in SERVERS.items()} | {"locust": time.process_time()}
        cpu_samples.append((time.time(), *_cpu_times(), used))
        return (USERS, 25) if now < RAMP + FLOOR + LOAD else None


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, **_kwargs) -> None:
    if name in PAGES:
        page_log.append((time.time(), response_time, exception is not None))


def _cpu_times() -> tuple[float, float]:
    """The box's CPU time (all processes: gunicorn, PostgreSQL, nginx, Locust and anyone else's): busy, total."""
    try:
        fields = [float(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0.0, 0.0
    idle = fields[3] + fields[4]  # idle, iowait
    return sum(fields) - idle, sum(fields)


def _tree_cpu(pid: int) -> float:
    """CPU seconds of a process and its children, the exited ones included (gunicorn's replaced workers)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    own = sum(float(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return own / _TICKS + sum(_tree_cpu(int(child)) for child in children)


def _cpu_busy(begin: float, end: float) -> dict[str, float]:
    """Between two moments (samples taken each second): the box's busy share of its CPU time ("box", 1.0 is
    both cores), and the cores used on average by each server of DEADLINE_SERVER_PIDS and by this Locust
    process. The rest of the busy time is PostgreSQL and whatever else shares the box."""
    inside = [sample for sample in cpu_samples if begin <= sample[0] <= end]
    if len(inside) < 2 or inside[-1][2] == inside[0][2]:
        return {}
    first, last = inside[0], inside[-1]
    seconds = last[0] - first[0]
    used = {name: round((last[3][name] - first[3][name]) / seconds, 2) for name in last[3]}
    return {"box": round((last[1] - first[1]) / (last[2] - first[2]), 2), **used}


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def _phase(begin: float, end: float) -> dict:
    rows = [(ms, failed) for at, ms, failed in page_log if begin <= at < end]
    times = [ms for ms, _failed in rows]
    return {
        "seconds": round(end - begin, 1),
        "requests": len(rows),
        "errors": sum(failed for _ms, failed in rows),
        "req_s": round(len(rows) / (end - begin), 1) if end > begin else 0,
        "p50_ms": round(_percentile(times, 0.50)),
        "p95_ms": round(_percentile(times, 0.95)),
        "p99_ms": round(_percentile(times, 0.99)),
        "max_ms": round(max(times, default=0)),
        **{f"cpu_{name}": value for name, value in _cpu_busy(begin, end).items()},
    }


@events.test_stop.add_listener
def _summary(environment, **_kwargs) -> None:
    if clock["start"] is None:
        return
    start = clock["start"]
    floor = _phase(start + RAMP, start + RAMP + FLOOR)
    load_begin, load_end = start + RAMP + FLOOR + SETTLE, start + RAMP + FLOOR + LOAD
    deadline = _phase(load_begin, min(load_end, time.time()))
    done = [u for u in upload_log if not u["error"]]
    failed = [u for u in upload_log if u["error"]]
    unfinished = list(in_flight.values())
    flight = [count for at, count in in_flight_samples if load_begin <= at < load_end]

    def seconds(key_from: str, key_to: str, share: float) -> float:
        return round(_percentile([u[key_to] - u[key_from] for u in done], share), 1)

    uploads = {
        "completed": len(done),
        "failed": len(failed),
        "failures": sorted({u["error"] for u in failed}),
        "unfinished_at_end": len(unfinished),
        "unfinished_sent_mb": [round(u["sent"] / MB, 1) for u in unfinished],
        "mb_completed": round(sum(u["size"] for u in done) / MB),
        "mean_in_flight": round(sum(flight) / len(flight), 1) if flight else 0,
        "max_in_flight": max(flight, default=0),
        "duration_s_p50": seconds("started", "done", 0.5),
        "duration_s_p95": seconds("started", "done", 0.95),
        "duration_s_max": seconds("started", "done", 1.0),
        "wait_after_last_byte_s_p50": seconds("last_byte", "answered", 0.5),
        "wait_after_last_byte_s_p95": seconds("last_byte", "answered", 0.95),
        "wait_after_last_byte_s_max": seconds("last_byte", "answered", 1.0),
    }
    timeline = []  # every 10 s: page requests, their p95, uploads in flight, CPU busy
    for at in range(0, int(time.time() - start), 10):
        times = [ms for done_at, ms, _failed in page_log if start + at <= done_at < start + at + 10]
        flying = [count for when, count in in_flight_samples if start + at <= when < start + at + 10]
        timeline.append(
            f"{at:>3}s {len(times):>4} req p95 {_percentile(times, 0.95) / 1000:5.1f}s "
            f"uploads {max(flying, default=0):>2} cpu "
            + " ".join(f"{name} {value}" for name, value in _cpu_busy(start + at, start + at + 10).items())
        )
    result = {
        "label": os.environ.get("DEADLINE_LABEL", ""),
        "users": USERS,
        "uploaders": UPLOADERS,
        "think_s": THINK,
        "uplink_mbit": MBIT,
        "scan_mb": SIZE_MB,
        "floor": floor,
        "deadline": deadline,
        "ratio_p95": round(deadline["p95_ms"] / floor["p95_ms"], 2) if floor["p95_ms"] else None,
        "ratio_p50": round(deadline["p50_ms"] / floor["p50_ms"], 2) if floor["p50_ms"] else None,
        "uploads": uploads,
        "timeline": timeline,
    }
    width = max(len(key) for key in floor)
    print(f"\n=== deadline day {result['label']}: {USERS - UPLOADERS} page users + {UPLOADERS} uploaders, "
          f"think {THINK[0]:g}-{THINK[1]:g} s, scans {SIZE_MB[0]:g}-{SIZE_MB[1]:g} MB at {MBIT[0]:g}-{MBIT[1]:g} Mbit/s")  # fmt: skip
    print(f"{'pages':<{width}}  {'floor (no uploads)':>20}  {'deadline (uploads)':>20}")
    for key in floor:
        print(f"{key:<{width}}  {floor[key]:>20}  {deadline[key]:>20}")
    print(f"ratio to the floor: p95 {result['ratio_p95']}x, p50 {result['ratio_p50']}x")
    print("uploads: " + ", ".join(f"{key} {value}" for key, value in uploads.items()))
    print("timeline (pages every 10 s):\n  " + "\n  ".join(timeline))
    if os.environ.get("DEADLINE_JSON"):
        Path(os.environ["DEADLINE_JSON"]).write_text(json.dumps(result, indent=2))
