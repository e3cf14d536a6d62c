"""Query parameters that do not parse give 400 or are ignored, never 500 (issue 15, "Hostile
input").

Every application URL (path parameters filled with objects the user may see: the jobcentre
walk's ``JobcentreA``, walked by its own staff) is loaded once to learn the names its GET forms
and links send, then again with every one of those names (and the names the views read by hand)
set to values no form would send: letters where a number or date belongs, a huge number, an
impossible date, a negative page, SQL and regex metacharacters. The answer must be below 500;
normal and htmx requests. (A NUL character is refused by RejectNulMiddleware:
tests/substitution/test_middleware.py.)
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

from django.http import HttpResponseBase
from django.test import Client

from reporting.reports.models import ReportRun
from substitution.models import Role
from tests.factories.org import make_staff
from tests.substitution.test_jobcentre_walk import (  # noqa: F401  the fixture
    JobcentreA,
    app_urls,
    jobcentre_a,
)

# Names views read from request.GET by hand (grep 'request.GET'), whatever their pages show.
READ_BY_HAND = {
    "side", "q", "vis", "tidslinje", "mine", "visning", "visitation_group", "uger", "uge",
    "udfald", "type", "team", "status", "sorter", "skala", "runde", "rolle", "retning",
    "readiness", "period", "objekt", "measure", "kortlaegning", "handling", "company",
    "bruger", "borger", "benefit", "as_of", "alle", "month", "maaned", "fra", "til", "dato",
}  # fmt: skip
JUNK = ["abc' OR 1=1 -- (*[\\%", "-1", "99999999999999999999999", "2026-13-45"]
# Parameters that are not filters: the log-in redirect target is checked on its own.
SKIP = {"next", "csrfmiddlewaretoken"}


class GetNames(HTMLParser):
    """Names sent by the page's GET forms and its links' query strings."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.in_get_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.in_get_form = a.get("method", "get").lower() == "get"
        elif self.in_get_form and tag in {"input", "select", "textarea"} and a.get("name"):
            self.names.add(a["name"])
        for attr in ("href", "hx-get"):
            if "?" in a.get(attr, ""):
                self.names.update(k for k, _v in parse_qsl(urlsplit(a[attr]).query, True))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_get_form = False


def names_on(response: HttpResponseBase) -> set[str]:
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return set()
    parser = GetNames()
    parser.feed(response.content.decode(errors="replace"))  # type: ignore[attr-defined]
    return parser.names


def walk(client: Client, urls: list[tuple[str, str, bool]]) -> tuple[list[str], list[str], int]:
    """Each URL with junk in every parameter name it knows: (500s, URLs refused, requests)."""
    failures: list[str] = []
    refused: list[str] = []
    walked = 0
    for name, url, _with_object in urls:
        if re.search(r"(logout|log-ud|oidc)", url):
            continue
        first = client.get(url)
        if first.status_code in {403, 404, 405}:
            refused.append(url)
            continue
        names = (names_on(first) | READ_BY_HAND) - SKIP
        for i, value in enumerate(JUNK):
            params = dict.fromkeys(sorted(names), value)
            headers = {"HX-Request": "true"} if i % 2 else {}  # fragments take the same filters
            walked += 1
            response = client.get(url, params, headers=headers)
            if response.status_code >= 500:
                failures.append(f"{name} {url} {value!r} {headers}: {response.status_code}")
    return failures, refused, walked


def test_no_query_parameter_value_gives_a_500(jobcentre_a: JobcentreA) -> None:  # noqa: F811
    """Walked by a teamleder (every page of case work and the dashboards), then the pages the
    teamleder may not open (audit log, imports, jobcentre-wide pages) by an administrator."""
    urls, unknown = app_urls(jobcentre_a)
    assert not unknown
    # The walk's report run is "done" with a file it only names: here it waits in the queue,
    # so its pages render (they are walked for their parameters, not the missing file).
    ReportRun.objects.filter(unit=jobcentre_a.unit).update(status="koe", file="", progress=0)
    failures, refused, walked = walk(user_client(Role.TEAMLEDER, jobcentre_a), urls)
    assert walked > 250
    rest = [entry for entry in urls if entry[1] in refused]
    more, _refused, walked_more = walk(user_client(Role.ADMINISTRATOR, jobcentre_a), rest)
    assert walked_more > 10
    assert not failures + more, "\n".join(failures + more)


def user_client(role: str, a: JobcentreA) -> Client:
    client = Client(raise_request_exception=False)  # a 500 is a finding, not a stop
    client.force_login(
        make_staff(role, a.team, username=f"hostile_{role}"),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    return client
