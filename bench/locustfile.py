"""Signed-in users of mixed roles opening the pages of their day (GET only), for Locust against gunicorn.

    # a seed_scale database, served as in production (bench/serve_scale.sh does these steps)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tdkt_scale bench/serve_scale.sh &
    .venv/bin/locust -f bench/locustfile.py --headless -u 50 -r 10 -t 120s --host http://127.0.0.1:8000 \
        --csv var/bench/pages
    .venv/bin/locust -f bench/locustfile.py --headless -u 50 -r 10 -t 120s --host http://127.0.0.1:8000 \
        --csv var/bench/floor FloorUser      # the floor: the same users on a page that does no work

Each user signs in once (the demo password) as one of the personas below, then opens a page every 1–3
seconds: the mix of the measurement that opened issue 14 (inbox, the campaign's list, the home page, a
nomination, the lateness report, the activity trail, units, notifications). docs/scale.md has the
figures.
"""

import random
import re

from locust import HttpUser, between, task

PASSWORD = "tdkt-demo-2024"
# (user name, weight): the reviewers who work all day weigh most
PERSONAS = [
    ("congan.canbo", 6), ("congan.giamdoc", 2), ("noivu.canbo", 3), ("ubnd.lanhdao", 1), ("canbo.bienhoa", 3),
    ("thutruong.tinnghia", 2), ("canbo.longkhanh", 2), ("quantri", 1),
]  # fmt: skip
NOMINATION = re.compile(r'href="/nominations/(\d+)/"')
CAMPAIGN = re.compile(r'href="/campaigns/(\d+)/"')


def sign_in(client, username: str) -> None:
    client.get("/accounts/login/", name="login page")
    token = client.cookies.get("csrftoken", "")
    response = client.post(
        "/accounts/login/",
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": client.base_url + "/accounts/login/"},
        name="sign in",
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise RuntimeError(f"{username} could not sign in: {response.status_code}")


class OfficeUser(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        names, weights = zip(*PERSONAS, strict=True)
        self.username = random.choices(names, weights)[0]
        sign_in(self.client, self.username)
        home = self.client.get("/campaigns/", name="/campaigns/").text
        self.campaigns = CAMPAIGN.findall(home) or []
        self.nominations: list[str] = []

    @task(6)
    def inbox(self) -> None:
        page = random.choice(["", "?page=2", "?mine=1"])
        text = self.client.get(f"/nominations/{page}", name="/nominations/").text
        self.nominations = NOMINATION.findall(text)[:20] or self.nominations

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="/")

    @task(3)
    def campaign_list(self) -> None:
        if self.campaigns:
            pk = random.choice(self.campaigns)
            text = self.client.get(f"/campaigns/{pk}/nominations/", name="/campaigns/[id]/nominations/").text
            self.nominations = NOMINATION.findall(text)[:20] or self.nominations

    @task(4)
    def nomination(self) -> None:
        if self.nominations:
            self.client.get(f"/nominations/{random.choice(self.nominations)}/", name="/nominations/[id]/")

    @task(1)
    def lateness(self) -> None:
        if self.username in ("congan.canbo", "congan.giamdoc", "noivu.canbo", "ubnd.lanhdao"):
            self.client.get("/lateness/", name="/lateness/")

    @task(1)
    def activity(self) -> None:
        self.client.get("/activity/", name="/activity/")

    @task(1)
    def units(self) -> None:
        self.client.get("/units/", name="/units/")

    @task(1)
    def notifications(self) -> None:
        self.client.get("/notifications/", name="/notifications/")


class FloorUser(HttpUser):
    """The same users on the login page (no query, a small template): what the server costs by itself."""

    wait_time = between(1, 3)

    @task
    def floor(self) -> None:
        self.client.get("/accounts/login/", name="floor: login page")
