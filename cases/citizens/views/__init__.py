"""The citizen pages. Each view parses input (a form), calls a query or a service, and renders;
reads of personal data are audited here with ``substitution.audit.record``."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from substitution.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request every citizen view gets: ``LoginRequiredMiddleware`` has let only a
    logged-in user through, and ``HtmxMiddleware`` has set ``htmx``. For type checking only;
    Django hands the views its own ``HttpRequest``."""

    user: User
    htmx: HtmxDetails
