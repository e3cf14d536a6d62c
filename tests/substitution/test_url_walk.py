"""No page except login and health answers an anonymous visitor.

The walk covers every URL pattern in the project, including any added later: path
converters are filled with sample values (int -> 1, str/slug/path -> "x").
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

# URL names an anonymous visitor may load (their pages ask for credentials themselves).
PUBLIC = {"login", "healthz", "admin:login"}
# Single sign-on's endpoints are public (the user is not logged in yet) and answer 404 while
# OIDC is not configured (substitution/oidc.py; configured: tests/substitution/test_oidc.py).
SSO = {"oidc_start", "oidc_callback"}
# The API for BI tools answers only to a personal token, never to a session: without one it
# says 401 (docs/api.md), not a redirect to the log-in page.
TOKEN_ONLY = {"reporting:api_measures"}
SAMPLES = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": str(uuid.UUID(int=1))}
REGEX_CANDIDATES = ["1", "x", "substitution", "auth"]


def _fill_route(route: str) -> str:
    return re.sub(
        r"<(?:(?P<conv>\w+):)?\w+>", lambda m: SAMPLES.get(m["conv"] or "str", "x"), route
    )


def _fill_regex(regex: str) -> str:
    """A string matching ``regex`` for the simple shapes URLconfs use (groups, ^, $)."""
    out, i = "", 0
    while i < len(regex):
        if regex.startswith("(?P<", i):
            depth, j = 0, i
            while True:
                depth += {"(": 1, ")": -1}.get(regex[j], 0)
                if depth == 0 and j > i:
                    break
                j += 1
            group = regex[regex.index(">", i) + 1 : j]
            out += next(c for c in REGEX_CANDIDATES if re.fullmatch(group, c))
            i = j + 1
        elif regex[i] in "^$":
            i += 1
        elif regex[i] == "\\":
            out += regex[i + 1]
            i += 2
        else:
            out += regex[i]
            i += 1
    return out


def _fill(pattern: RoutePattern | RegexPattern | LocalePrefixPattern) -> str:
    # str() of a pattern is its route, its regex or its language prefix.
    if isinstance(pattern, RoutePattern):
        return _fill_route(str(pattern))
    if isinstance(pattern, RegexPattern):
        return _fill_regex(str(pattern))
    return str(pattern)


def walk(
    patterns: list[URLPattern | URLResolver], prefix: str = "/", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    """(sample URL, qualified URL name) for every view in the URLconf."""
    for entry in patterns:
        url = prefix + _fill(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, url, ns)
        else:
            yield url, f"{namespace}{entry.name or entry.lookup_str}"


ALL_URLS = sorted(set(walk(get_resolver().url_patterns)))


def test_walk_finds_the_project_urls() -> None:
    names = {name for _, name in ALL_URLS}
    assert {"home", "login", "logout", "healthz", "audit_log", "admin:index"} <= names
    assert "admin:substitution_user_change" in names
    for url, name in ALL_URLS:
        match = resolve(url.split("?")[0])
        qualified = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        assert qualified == name or match.url_name is None, (url, name, qualified)


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "name"), ALL_URLS, ids=[name for _, name in ALL_URLS])
def test_anonymous_is_sent_to_login(client: Client, url: str, name: str) -> None:
    response = client.get(url)
    if name in SSO:
        assert response.status_code == 404, (url, response.status_code)
        return
    if name in PUBLIC:
        assert response.status_code in {200, 503}, (url, response.status_code)
        return
    if name in TOKEN_ONLY:
        assert response.status_code == 401, (url, response.status_code)
        return
    login_pages = {reverse("login"), reverse("admin:login")}
    assert response.status_code == 302, (url, response.status_code)
    assert response["Location"].split("?")[0] in login_pages, (url, response["Location"])
