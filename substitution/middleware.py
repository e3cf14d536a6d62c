"""Log the user out after a configurable idle period."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

SESSION_KEY = "last_activity"


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
                response = redirect(f"{settings.LOGIN_URL and '/login/'}?udlobet=1")
                if getattr(request, "htmx", False):
                    response["HX-Redirect"] = "/login/?udlobet=1"
                return response
            request.session[SESSION_KEY] = now
        return self.get_response(request)
