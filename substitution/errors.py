"""Danish error pages that work without a database or a logged-in user."""

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext as _


def _render(
    template: str, status: int, request: HttpRequest | None = None, **context: object
) -> HttpResponse:
    body = loader.get_template(template).render({"request": request, **context})
    return HttpResponse(body, status=status)


def bad_request(
    request: HttpRequest, exception: Exception | None = None, message: str | None = None
) -> HttpResponse:
    """400: a request the application cannot use (``handler400``, and the NUL check in
    ``substitution.middleware``)."""
    text = message or _("Siden kunne ikke vise det, du bad om. Prøv igen fra forsiden.")
    return _render("400.html", 400, request, message=text)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render("403.html", 403, request)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render("404.html", 404, request)


def server_error(request: HttpRequest) -> HttpResponse:
    return _render("500.html", 500)
