"""The table behind a dashboard as CSV or XLSX (docs/manager-dashboard.md, "Eksport").

- CSV: semicolons and UTF-8 with a BOM, so Danish Excel opens it with æ, ø and å intact (as the
  caseload export, ``cases.citizens.views.caseload``).
- XLSX: one sheet, bold Danish headers, numbers as numbers.
- Both: text cells that a spreadsheet would read as a formula (starting with = + - @, a tab or
  a carriage return) are prefixed with an apostrophe — the caseload export's
  ``cases.citizens.caseload.safe_cell``, reused, not copied.

A dashboard builds a ``Table`` (Danish headers, rows of text and numbers); the view sends it
with ``csv_response`` or ``xlsx_response``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from cases.citizens.caseload import safe_cell

Cell = str | int | float | Decimal | None

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


def neutral(value: Cell) -> Any:
    """A cell made safe for a spreadsheet: formula-looking text is prefixed; numbers stay
    numbers (a Decimal becomes an int or a float, as a spreadsheet holds it)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return safe_cell(value)


def csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([_csv_text(neutral(v)) for v in row])
    return buffer.getvalue().encode("utf-8")


def _csv_text(value: Any) -> Any:
    """Decimal commas, as Danish Excel reads numbers."""
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    return "" if value is None else value


def xlsx_bytes(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.title[:31] or "Data"
    sheet.append([safe_cell(h) for h in table.headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([neutral(v) for v in row])
    for index, header in enumerate(table.headers, start=1):
        width = max([len(str(header)), *(len(str(r[index - 1] or "")) for r in table.rows)])
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = min(60, width + 2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(table: Table, filename: str) -> HttpResponse:
    return _attachment(
        HttpResponse(csv_bytes(table), content_type="text/csv; charset=utf-8"), filename
    )


def xlsx_response(table: Table, filename: str) -> HttpResponse:
    return _attachment(HttpResponse(xlsx_bytes(table), content_type=XLSX_TYPE), filename)
