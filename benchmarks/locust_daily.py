"""The daily mix as a load test (Locust): staff open Min dag, open a citizen, log a
conversation, register hours and look at their caseload; team leads also open their dashboard
and request a report; as the web server sees it.

Run against gunicorn on this machine (the command and the figures: docs/performance.md):

    locust -f benchmarks/locust_daily.py --headless -u 50 -r 5 -t 5m \\
        --host http://127.0.0.1:8001 --csv /tmp/locust_daily

Every simulated user logs in with the local log-in as one of ``LOCUST_USERS`` (comma-
separated user names, default the demo's ``jobformidler``, ``konsulent``, ``teamleder``;
password ``LOCUST_PASSWORD``, default the demo password) and keeps its session. The request
names (``Min dag``, ``Borger``, ``Samtale: gem`` …) are the rows of Locust's statistics.
A response that is not the expected page counts as a failure, so "zero errors" means every
page and every save worked.

The dashboard (the team lead page, ``/styring/team/``) and the report request (the caseload
report for the user's team and last month, ``/styring/rapporter/bestil/``; the same request
while one is in progress gives the same run, so the queue does not grow without bound) are for
users with the rights (``teamleder`` of the demo); for the others those tasks do nothing.
A report request counts as done when the answer is its run page (a worker need not run).
"""

from __future__ import annotations

import itertools
import os
import random
import re
from html.parser import HTMLParser
from typing import Any

from locust import HttpUser, between, task

USERS = itertools.cycle(
    os.environ.get("LOCUST_USERS", "jobformidler,konsulent,teamleder").split(",")
)
PASSWORD = os.environ.get("LOCUST_PASSWORD", "demo-Substitution-2026")
CITIZEN_LINK = re.compile(r'href="/borgere/(\d+)/"')


class FormFields(HTMLParser):
    """The fields of the first ``<form>`` with ``marker`` in its action (and, if asked, with
    method POST and every name in ``needs``): inputs with their values, checked radios, the
    first non-empty option of each select."""

    def __init__(self, marker: str, post_only: bool = False, needs: frozenset[str] = frozenset()):
        super().__init__()
        self.marker = marker
        self.post_only = post_only
        self.needs = needs
        self.inside = False
        self.done = False
        self.fields: dict[str, str] = {}
        self.names: set[str] = set()
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if self.done:
            return
        if tag == "form" and self.marker in (a.get("action", "") + a.get("hx-post", "")):
            self.inside = not self.post_only or a.get("method", "get").lower() == "post"
        if not self.inside:
            return
        if a.get("name"):
            self.names.add(a["name"])
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in {"radio", "checkbox"}:
                if "checked" in a:
                    self.fields[a["name"]] = a.get("value", "on")
            else:
                self.fields[a["name"]] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self.fields[a["name"]] = ""
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select and a.get("value"):
            self.fields.setdefault(self.select, a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        if tag == "form" and self.inside:
            self.inside = False
            self.done = self.needs <= self.names
            if not self.done:  # not the form looked for: go on to the next one
                self.fields, self.names = {}, set()


def form_fields(
    html: str, marker: str, post_only: bool = False, needs: frozenset[str] = frozenset()
) -> dict[str, str]:
    parser = FormFields(marker, post_only, needs)
    parser.feed(html)
    return parser.fields


class Staff(HttpUser):
    wait_time = between(2, 6)

    def on_start(self) -> None:
        self.client.get("/login/", name="Log ind (side)")
        token = self.client.cookies.get("csrftoken", "")
        username = next(USERS)
        with self.client.post(
            "/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="Log ind",
            catch_response=True,
        ) as response:
            if "/login/" in response.url:
                response.failure(f"log-in as {username} failed")
        page = self.client.get("/borgere/", name="Sagsstamme").text
        self.citizens = sorted(set(CITIZEN_LINK.findall(page)))
        # Dashboards and reports: only for roles with the rights (no 403s counted as errors).
        with self.client.get(
            "/styring/team/", name="Dashboard (rettigheder)", catch_response=True
        ) as probe:
            self.leads = probe.status_code == 200
            if probe.status_code == 403:  # a role without dashboards: expected, not an error
                probe.success()

    def _csrf(self) -> dict[str, str]:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", "")}

    def _expect(self, response: Any, text: str) -> None:
        if response.status_code != 200 or text not in response.text:
            response.failure(f"{response.status_code}: {text!r} not on the page")

    @task(5)
    def min_dag(self) -> None:
        with self.client.get("/borgere/min-dag/", name="Min dag", catch_response=True) as r:
            self._expect(r, "<h1")

    @task(5)
    def open_citizen(self) -> None:
        if not self.citizens:
            return
        pk = random.choice(self.citizens)
        with self.client.get(f"/borgere/{pk}/", name="Borger", catch_response=True) as r:
            self._expect(r, "Stamdata")

    @task(2)
    def caseload(self) -> None:
        with self.client.get("/borgere/", name="Sagsstamme", catch_response=True) as r:
            self._expect(r, "<table")

    @task(2)
    def log_conversation(self) -> None:
        if not self.citizens:
            return
        pk = random.choice(self.citizens)
        url = f"/borgere/{pk}/samtaler/ny/"
        page = self.client.get(f"/borgere/{pk}/", name="Borger")
        fields = form_fields(page.text, url)
        if "kind" not in fields:  # a role that does not log conversations
            return
        fields.update(
            {
                "outcome": "afholdt",
                "job_focused": "True",
                "time": "10:00",
                "note": "Belastningstest: samtale om jobmål og næste skridt.",
                "next_step": "",
                "next_step_due": "",
            }
        )
        with self.client.post(
            url, fields, headers=self._csrf(), name="Samtale: gem", catch_response=True
        ) as r:
            if r.status_code != 200 or "/samtaler/ny/" in r.url:
                r.failure(f"{r.status_code}: conversation not saved")

    @task(2)
    def register_hours(self) -> None:
        grid = self.client.get("/borgere/timer/", name="Timeoversigt")
        if grid.status_code != 200:
            return
        fields = form_fields(grid.text, "/borgere/timer/celle/")
        if "placement" not in fields:
            return
        fields["hours"] = str(random.choice([4, 6, 7.5, 8, 10])).replace(".", ",")
        headers = {**self._csrf(), "HX-Request": "true"}
        with self.client.post(
            "/borgere/timer/celle/",
            fields,
            headers=headers,
            name="Timer: gem",
            catch_response=True,
        ) as r:
            if r.status_code != 200 or "hours-cell" not in r.text:
                r.failure(f"{r.status_code}: hours not saved")

    @task(2)
    def dashboard(self) -> None:
        if not self.leads:
            return
        with self.client.get("/styring/team/", name="Dashboard (team)", catch_response=True) as r:
            self._expect(r, "<h1")

    @task(1)
    def request_report(self) -> None:
        if not self.leads:
            return
        page = self.client.get("/styring/rapporter/bestil/", name="Rapport: bestil (side)")
        # The page's form has no action: the POST form with a report type.
        fields = form_fields(page.text, "", post_only=True, needs=frozenset({"report_type"}))
        if "csrfmiddlewaretoken" not in fields:
            return
        fields.update({"report_type": "sagsstamme", "months": "1", "note": ""})
        with self.client.post(
            "/styring/rapporter/bestil/",
            fields,
            headers=self._csrf(),
            name="Rapport: bestil",
            catch_response=True,
        ) as r:
            if r.status_code != 200 or "/styring/rapporter/" not in r.url or "bestil" in r.url:
                r.failure(f"{r.status_code}: report not requested ({r.url})")
