"""The project URLconf plus a view that fails, for testing the 500 page."""

from typing import NoReturn

from django.http import HttpRequest
from django.urls import path

from substitution.urls import handler403, handler404, handler500, urlpatterns


def boom(request: HttpRequest) -> NoReturn:
    raise RuntimeError("test failure")


urlpatterns = [*urlpatterns, path("test-fejl/", boom)]
__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


def boom_with_cpr(request: HttpRequest) -> NoReturn:
    cpr = "0102031234"  # a local variable the error report shows
    raise ValueError(f"borger {cpr} og 020304-5678 findes ikke")


urlpatterns.append(path("test-fejl-cpr/", boom_with_cpr))
