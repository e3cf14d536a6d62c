"""PDF rendering with WeasyPrint: ``render_pdf(template, context) -> bytes``.

Only local files are fetched: ``static/...`` URLs (relative to the project, as PDF templates
write them) resolve to the project's own static files on disk, found by the staticfiles
finders; any other URL (http, https, data, a file outside the static directories) is refused,
so a template — or a user-entered text that slipped into one — can never make the server call
out or read arbitrary files. ``restricted_fetcher(record=[])`` also keeps every URL WeasyPrint
asked for, so a test can prove that nothing was fetched.

``pdf_variant="pdf/ua-1"`` makes a tagged, accessible PDF (PDF/UA-1: structure tags, the
document title shown in the title bar, the language); the title comes from the template's
``<title>`` and the language from ``<html lang>``. The reports (reporting/reports, docs/reports.md)
use it; the fonts are embedded (static/fonts: DejaVu Sans, an open font with Danish letters).
"""

from __future__ import annotations

import functools
import logging
import mimetypes
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

# WeasyPrint logs each rendering step at INFO; the worker's log needs only its warnings (a
# refused URL, an unsupported CSS value).
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class FetchRefused(ValueError):
    pass


def _base_url() -> str:
    return "file://" + str(Path(settings.BASE_DIR).resolve()) + "/"


def _static_path(url: str) -> Path | None:
    """The static file a ``file://<project>/static/...`` URL names, or None."""
    static_prefix = _base_url() + settings.STATIC_URL.lstrip("/")
    if not url.startswith(static_prefix):
        return None
    relative = url[len(static_prefix) :].split("?", 1)[0].split("#", 1)[0]
    if not relative or ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    if not found:
        return None
    return Path(found if isinstance(found, str) else found[0])


@functools.cache
def _fetcher_class() -> type:
    """The restricted fetcher's class, built on first use: WeasyPrint is imported only by a
    process that renders a PDF (it is slow to import and parses its stylesheets on import)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class RestrictedFetcher(URLFetcher):
        def __init__(self, record: list[str] | None = None) -> None:
            # No redirects, only file URLs; a refused resource is logged by WeasyPrint and
            # left out (an image that may not be fetched is simply not drawn).
            super().__init__(allowed_protocols=("file",), allow_redirects=False)
            self.record = record

        def fetch(self, url: str, headers: Any = None) -> Any:
            if self.record is not None:
                self.record.append(url)
            path = _static_path(url)
            if path is None:
                raise FetchRefused(f"Refused to fetch {url!r} while rendering a PDF")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return RestrictedFetcher


def restricted_fetcher(record: list[str] | None = None) -> Any:
    """WeasyPrint's URL fetcher restricted to the project's static files. ``record``: a list
    that receives every URL WeasyPrint asked for (served or refused), for tests."""
    return _fetcher_class()(record)


def render_html(html: str, *, pdf_variant: str | None = None, fetcher: Any = None) -> bytes:
    """Render an HTML string (already escaped by its template) to PDF bytes."""
    return render_html_pages(html, pdf_variant=pdf_variant, fetcher=fetcher)[0]


def render_html_pages(
    html: str, *, pdf_variant: str | None = None, fetcher: Any = None
) -> tuple[bytes, int]:
    """``render_html`` and the number of pages laid out."""
    from weasyprint import HTML

    options: dict[str, Any] = {}
    if pdf_variant:
        options["pdf_variant"] = pdf_variant
    document = HTML(
        string=html, base_url=_base_url(), url_fetcher=fetcher or restricted_fetcher()
    ).render(**options)
    result: bytes = document.write_pdf(**options)
    return result, len(document.pages)


def render_pdf(
    template_name: str,
    context: dict[str, Any] | None = None,
    *,
    pdf_variant: str | None = None,
    fetcher: Any = None,
) -> bytes:
    """Render ``template_name`` with ``context`` to PDF bytes (``pdf_variant``: e.g.
    ``"pdf/ua-1"`` for a tagged PDF; ``fetcher``: a ``restricted_fetcher`` that records)."""
    html = render_to_string(template_name, context or {})
    return render_html(html, pdf_variant=pdf_variant, fetcher=fetcher)
