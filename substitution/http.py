"""Typed requests for views.

``LoginRequiredMiddleware`` lets only a logged-in user reach a view that is not marked
``login_not_required``, so such a view may annotate its request as ``AuthenticatedHttpRequest``
and use ``request.user`` as our ``User`` (django-stubs types ``HttpRequest.user`` as
``User | AnonymousUser``). ``HtmxMiddleware`` sets ``htmx`` on every request.

For type checking only: Django still hands views its own ``HttpRequest``.
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from substitution.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request a login-protected view gets."""

    user: User
    htmx: HtmxDetails
