"""The one shape every chart has, for pages and PDFs alike.

A chart function (``sparkline``, ``line``, ``bars``, ``scatter``, ``quartiles`` …, one module
per kind in this package) returns a ``Chart``: the SVG markup (``role="img"``, presentation
attributes only, no ``<style>`` or script, so it is CSP-clean and WeasyPrint draws it), and its
text alternative: a title, a description and the numbers as a table. Templates show it with
``{% include "reporting/charts/_chart.html" with chart=… %}``: the SVG, and the table for screen
readers (visually hidden on pages, printed under the chart in a PDF when ``show_table`` is set).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    svg: SafeString
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
