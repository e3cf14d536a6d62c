"""Request guards of the whole site.

- ``RejectNulMiddleware``: a request with a NUL character anywhere it could reach the database
  answers 400.
- ``IdleTimeoutMiddleware``: log the user out after a configurable idle period
  (SESSION_IDLE_TIMEOUT_MINUTES).
- ``PrivacyHeadersMiddleware``: ``Permissions-Policy`` on every response, and no caching of
  any response to a logged-in user.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils.cache import add_never_cache_headers
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from substitution import errors

SESSION_KEY = "last_activity"
NUL = "\x00"

# Browser features no page of the application uses, denied to the page and to any frame.
# Only features Chromium knows (an unknown one is a console error on every page; tested).
DENIED_FEATURES = (
    "accelerometer",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "serial",
    "usb",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)


class RejectNulMiddleware:
    """Answer 400 (a Danish page) to a request with a NUL character in its path, a query or
    form parameter (name or value), an uploaded file's name, a header or a cookie.

    PostgreSQL cannot store or compare text containing NUL, so any such value that reaches a
    query raises ``DataError`` (a 500) wherever it is used: a search, a filter, the admin's
    changelist, the login form (django-axes logs the user name), the session cookie. No form
    or link of the application produces NUL; only tampering or a broken client does. Refusing
    in one place keeps every view, the admin and third-party apps safe, and tells the sender
    plainly instead of silently changing what was asked for (stripping would turn a search
    for "a\\x00b" into one for "ab")."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_nul(request):
            message = _("Forespørgslen indeholder et ugyldigt tegn (NUL).")
            return errors.bad_request(request, message=message)
        return self.get_response(request)


def _in_values(data: MultiValueDict[str, str]) -> bool:
    return any(NUL in key or any(NUL in v for v in data.getlist(key)) for key in data)


def has_nul(request: HttpRequest) -> bool:
    """Does a NUL character reach the application through ``request``?"""
    if NUL in request.path:
        return True
    if _in_values(request.GET):
        return True
    if any(NUL in key or NUL in value for key, value in request.COOKIES.items()):
        return True
    if any(
        key.startswith("HTTP_") and isinstance(value, str) and NUL in value
        for key, value in request.META.items()
    ):
        return True
    if request.method == "POST":
        # A malformed body raises here as it would in the view; Django answers 400 for it.
        if _in_values(request.POST):
            return True
        for key, uploads in request.FILES.lists():
            if NUL in key or any(NUL in (upload.name or "") for upload in uploads):
                return True
    return False


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


class PrivacyHeadersMiddleware:
    """``Permissions-Policy`` denying ``DENIED_FEATURES`` on every response, and
    ``Cache-Control: no-store`` (with ``private``, ``no-cache``, ``max-age=0``) on every
    response to a logged-in user: pages, htmx fragments, PDFs and CSV exports carry personal
    data, which must not stay in a browser's or a proxy's cache on a shared computer.

    Sits right after ``SecurityMiddleware``, so every response passes it; ``request.user``
    is set on the way in by ``AuthenticationMiddleware``. A request answered before that (a
    static file from WhiteNoise, a refused NUL) has no user and keeps its caching headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
