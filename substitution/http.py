"""Typed requests for views.

``LoginRequiredMiddleware`` lets only a logged-in user reach a view that is not marked
``login_not_required``, so such a view may annotate its request as ``AuthenticatedHttpRequest``
and use ``request.user`` as our ``User`` (django-stubs types ``HttpRequest.user`` as
``User | AnonymousUser``). ``HtmxMiddleware`` sets ``htmx`` on every request.

For type checking only: Django still hands views its own ``HttpRequest``. ``announce`` is the
htmx response helper for the live region and focus (docs/accessibility.md).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django_htmx.http import trigger_client_event
from django_htmx.middleware import HtmxDetails

from substitution.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request a login-protected view gets."""

    user: User
    htmx: HtmxDetails


def announce(response: HttpResponse, message: str, *, focus: str = "") -> HttpResponse:
    """Tell the page what an htmx response did, for keyboard and screen-reader users: the
    page's live region reads ``message`` and focus moves to the element ``focus`` (a CSS
    selector) once the swap has settled (static/js/a11y.js; docs/accessibility.md). For a
    response whose new content carries no message of its own (a marked follow-up, a shown
    CPR number). Returns the response."""
    return trigger_client_event(
        response, "a11y", {"message": str(message), "focus": focus}, after="settle"
    )
