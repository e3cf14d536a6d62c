"""Log the user out after a configurable idle period (SESSION_IDLE_TIMEOUT_MINUTES)."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url

SESSION_KEY = "last_activity"


def expired_login_url(next_path: str | None = None) -> str:
    """The login page, flagged so it tells the user why they were logged out."""
    params = {"udlobet": "1"}
    if next_path:
        params["next"] = next_path
    return f"{resolve_url(settings.LOGIN_URL)}?{urlencode(params)}"


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(SESSION_KEY)
            limit = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
            if last is not None and now - int(last) > limit:
                logout(request)
                return self._to_login(request)
            request.session[SESSION_KEY] = now
        return self.get_response(request)

    @staticmethod
    def _to_login(request: HttpRequest) -> HttpResponse:
        # Runs before HtmxMiddleware, so read the header rather than request.htmx.
        if request.headers.get("HX-Request") == "true":
            # A redirect would be followed inside the swap; make htmx load the page instead.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = expired_login_url()
            return response
        next_path = request.get_full_path() if request.method == "GET" else None
        return redirect(expired_login_url(next_path))
