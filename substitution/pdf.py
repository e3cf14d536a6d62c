"""PDF rendering with WeasyPrint: ``render_pdf(template, context) -> bytes``.

Only local files are fetched: ``static/...`` URLs resolve to the static files on disk, and any
other URL (http, file outside the project) is refused, so a template can never make the server
call out or read arbitrary files. Reused by the reports later.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


class FetchRefused(ValueError):
    pass


def _url_fetcher(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    prefix = "file://" + str(Path(settings.BASE_DIR).resolve()) + "/"
    static_prefix = prefix + settings.STATIC_URL.lstrip("/")
    if url.startswith(static_prefix):
        found = finders.find(url[len(static_prefix) :])
        if found:
            path = Path(found if isinstance(found, str) else found[0])
            mime = "text/css" if path.suffix == ".css" else None
            return {"string": path.read_bytes(), "mime_type": mime, "filename": path.name}
    raise FetchRefused(f"Refused to fetch {url!r} while rendering a PDF")


def render_pdf(template_name: str, context: dict[str, Any] | None = None) -> bytes:
    """Render ``template_name`` with ``context`` to PDF bytes."""
    from weasyprint import HTML

    html = render_to_string(template_name, context or {})
    base_url = "file://" + str(Path(settings.BASE_DIR).resolve()) + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=_url_fetcher).write_pdf()
