"""The one shape every chart has, for pages and PDFs alike.

A chart function (``sparkline``, ``line``, ``bars``, ``scatter``, ``quartiles`` …, one module
per kind in this package) returns a ``Chart``: the SVG markup (``role="img"``, presentation
attributes only, no ``<style>`` or script, so it is CSP-clean and WeasyPrint draws it), and its
text alternative: a title, a description and the numbers as a table. Templates show it with
``{% include "reporting/charts/_chart.html" with chart=… %}``: the SVG, and the table for screen
readers (visually hidden on pages, printed under the chart in a PDF when ``show_table`` is set).
A page that shows many charts (the manager dashboard's strip per measure) renders them with
``html(chart)``: the same HTML, byte for byte, without a template include per chart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    svg: SafeString
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def _text(value: Any) -> str:
    """A text as ``{{ value }}`` prints it: escaped unless already safe."""
    return str(conditional_escape(value))


def html(chart: Chart, *, show_caption: bool = False, show_table: bool = False) -> SafeString:
    """The HTML of ``{% include "reporting/charts/_chart.html" with chart=chart %}`` (and its
    ``show_caption``/``show_table``), byte for byte (tests/reporting/charts), built in Python:
    a template include costs about as much per chart as the rest of a table row."""
    title = _text(chart.title)
    caption = "" if show_caption else ' class="visually-hidden"'
    parts = [
        '\n<figure class="chart">\n  ',
        _text(chart.svg),
        f"\n  <figcaption{caption}>{title}. {_text(chart.description)}</figcaption>\n  ",
    ]
    if chart.rows:
        wrap = "table-wrap" if show_table else "visually-hidden"
        table = "chart-table" if show_table else ""
        headers = "".join(f'<th scope="col">{_text(h)}</th>' for h in chart.headers)
        rows = "".join(
            "<tr>"
            + "".join(
                f'<th scope="row">{_text(cell)}</th>' if n == 0 else f"<td>{_text(cell)}</td>"
                for n, cell in enumerate(row)
            )
            + "</tr>"
            for row in chart.rows
        )
        parts.append(
            f'\n  <div class="{wrap}">\n  <table class="{table}">\n'
            f"    <caption>{title}</caption>\n"
            f"    <thead><tr>{headers}</tr></thead>\n"
            f"    <tbody>{rows}</tbody>\n  </table>\n  </div>\n  "
        )
    parts.append("\n</figure>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
