"""Danish error pages that work without a database or a logged-in user."""

from django.http import HttpRequest, HttpResponse
from django.template import loader


def _render(template: str, status: int, request: HttpRequest | None = None) -> HttpResponse:
    body = loader.get_template(template).render({"request": request})
    return HttpResponse(body, status=status)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render("403.html", 403, request)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render("404.html", 404, request)


def server_error(request: HttpRequest) -> HttpResponse:
    return _render("500.html", 500)
