"""The project URLconf plus a view that fails, for testing the 500 page."""

from typing import NoReturn

from django.http import HttpRequest
from django.urls import path

from substitution.urls import handler403, handler404, handler500, urlpatterns


def boom(request: HttpRequest) -> NoReturn:
    raise RuntimeError("test failure")


urlpatterns = [*urlpatterns, path("test-fejl/", boom)]
__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
