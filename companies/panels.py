"""Panel hooks: other apps add lazily loaded sections to the company and task pages.

Each entry is ``(title, url_name)``; the URL takes the company's (or task's) pk and returns
an HTML fragment. Register from your AppConfig.ready() with ``register_company_panel`` /
``register_task_panel`` (idempotent, so a repeated ready() does not duplicate). The pages
render each as ``<section hx-get=... hx-trigger="load">`` and skip names that do not reverse.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

COMPANY_PANELS: list[tuple[str, str]] = []
TASK_PANELS: list[tuple[str, str]] = []


def _register(registry: list[tuple[str, str]], title: str, url_name: str) -> None:
    if all(name != url_name for _, name in registry):
        registry.append((str(title), url_name))


def register_company_panel(title: str, url_name: str) -> None:
    _register(COMPANY_PANELS, title, url_name)


def register_task_panel(title: str, url_name: str) -> None:
    _register(TASK_PANELS, title, url_name)


def resolved(registry: list[tuple[str, str]], pk: int) -> list[dict[str, str]]:
    """Panels whose URL exists, as ``{"title", "url", "slug"}`` for the template."""
    result = []
    for index, (title, url_name) in enumerate(registry):
        try:
            url = reverse(url_name, args=[pk])
        except NoReverseMatch:
            continue
        result.append({"title": title, "url": url, "slug": f"panel-{index}"})
    return result
