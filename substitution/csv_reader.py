"""The one CSV reader behind every import (citizens, hours).

It turns the uploaded bytes into a header and rows and knows nothing about what the columns
mean; the importers validate the values. What it accepts:

- Encoding: UTF-8 with or without BOM; a file that is not valid UTF-8 is read as Windows-1252
  (Excel's default on Danish Windows). A file with NUL bytes (UTF-16, a spreadsheet saved as
  .xlsx, any binary file) or with bytes undefined in Windows-1252 is refused.
- Separator: semicolon (Danish Excel's "CSV (semikolonsepareret)") or comma, sniffed from the
  header line: semicolon when it has at least as many semicolons as commas.
- Header: the first non-blank line; names are matched without case and surrounding spaces.
  Values containing the separator or a line break are quoted (``"…"``).
- Line numbers: the physical line in the file where a row starts (the header is normally line
  1), also when a quoted value spans several lines. Line 0 means the file as a whole.
- Blank rows (empty, or only separators and spaces) are skipped.
- Size: at most ``MAX_BYTES`` bytes, ``MAX_ROWS`` data rows and ``MAX_FIELD`` characters in
  one value (Python's csv limit; a longer value is refused with its line, not read).
- Quotes: a quote left open at the end of the file is refused (it would otherwise swallow
  the rest of the file into one value silently).

Every message is Danish and lives here, so both importers say the same thing for the same
problem. ``parse_date`` is the one date parser for import files.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 100_000
MAX_FIELD = csv.field_size_limit()  # 131,072 characters
DATE_FORMATS = ("%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d")


@dataclass(frozen=True)
class RowError:
    """One problem in an import file."""

    line: int  # physical line where the row starts; 0: the file as a whole
    column: str  # the column's name, "" when the problem is not about one column
    message: str


class CsvReadError(Exception):
    """The file cannot be read as a CSV table at all; nothing in it can be imported."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.error = RowError(line, "", message)


@dataclass(frozen=True)
class CsvRow:
    line: int  # physical line where the row starts
    values: dict[str, str]  # column name -> stripped value, for every named header column


@dataclass
class HeaderCheck:
    """The header compared with the columns an importer knows."""

    line: int
    missing: list[str] = field(default_factory=list)  # alternatives joined with "/"
    unknown: list[str] = field(default_factory=list)  # as written in the file
    duplicate: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unknown or self.duplicate)

    def errors(self) -> list[RowError]:
        """One error per column (for reports with a column column)."""
        errors = [
            RowError(self.line, c, _("Kolonnen mangler i overskriftslinjen.")) for c in self.missing
        ]
        errors += [RowError(self.line, c, _("Ukendt kolonne.")) for c in self.unknown]
        errors += [
            RowError(self.line, c, _("Kolonnen står flere gange i overskriftslinjen."))
            for c in self.duplicate
        ]
        return errors

    def summary(self) -> RowError:
        """All header problems in one error (for reports with only line and message)."""
        parts = []
        if self.missing:
            parts.append(_("Mangler kolonne: %s.") % ", ".join(self.missing))
        if self.unknown:
            parts.append(_("Ukendt kolonne: %s.") % ", ".join(self.unknown))
        if self.duplicate:
            parts.append(
                _("Kolonnen står flere gange i overskriftslinjen: %s.") % ", ".join(self.duplicate)
            )
        return RowError(self.line, "", " ".join(parts))


@dataclass(frozen=True)
class CsvTable:
    header: list[str]  # the header cells as written (stripped)
    columns: list[str]  # the normalised column names in file order; "" for a blank cell
    header_line: int
    rows: list[CsvRow]
    encoding: str  # "utf-8" or "windows-1252"
    delimiter: str

    def check_header(
        self, required: Sequence[str | tuple[str, ...]], optional: Iterable[str] = ()
    ) -> HeaderCheck:
        """Compare the header with the columns an importer knows. A tuple in ``required``
        is a set of alternatives of which at least one must be present."""
        present = set(self.columns)
        known = set(optional)
        check = HeaderCheck(self.header_line)
        for wanted in required:
            names = (wanted,) if isinstance(wanted, str) else wanted
            known.update(names)
            if not present.intersection(names):
                check.missing.append("/".join(names))
        seen: set[str] = set()
        for raw, column in zip(self.header, self.columns, strict=True):
            if not column:
                continue
            if column not in known:
                check.unknown.append(raw)
            elif column in seen and column not in check.duplicate:
                check.duplicate.append(column)
            seen.add(column)
        return check

    def no_rows_error(self) -> RowError:
        return RowError(0, "", _("Filen indeholder ingen rækker."))


# --- messages shared with the upload forms -------------------------------------------------


def too_large_message(max_bytes: int = MAX_BYTES) -> str:
    return _("Filen er for stor (højst %(size)s MB).") % {"size": _number(max_bytes // 2**20)}


def validate_upload_size(upload: UploadedFile) -> None:
    """Form-field validator: refuse an upload over ``MAX_BYTES`` before reading it."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(too_large_message(), code="too_large")


def _number(value: int) -> str:
    """Danish thousands separator: 100000 -> 100.000."""
    return f"{value:,}".replace(",", ".")


# --- reading -------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with (UTF-8, else Windows-1252)."""
    if b"\x00" in data:
        raise CsvReadError(_unreadable_message())
    has_bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8) :] if has_bom else data
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if has_bom:
            # The BOM says UTF-8, so reading it as Windows-1252 would garble the valid part.
            line = _line_of(body, exc.start)
            raise CsvReadError(
                _("Linje %(line)d er ikke gyldig UTF-8, selv om filen er gemt som UTF-8.")
                % {"line": line},
                line,
            ) from exc
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as exc:
        raise CsvReadError(_unreadable_message()) from exc


def _line_of(data: bytes, offset: int) -> int:
    """The physical line holding byte ``offset`` (line breaks: CR LF, LF or CR alone)."""
    before = data[:offset]
    return before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1


def _unreadable_message() -> str:
    return _("Filen kan ikke læses som tekst. Gem den som CSV i UTF-8 eller Windows-1252.")


def sniff_delimiter(header_line: str) -> str:
    """Semicolon or comma, whichever the header line uses more (semicolon on a tie)."""
    semicolons = header_line.count(";")
    return ";" if semicolons and semicolons >= header_line.count(",") else ","


def _is_blank(cells: Sequence[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def read_csv(
    data: bytes,
    *,
    aliases: Mapping[str, str] | None = None,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> CsvTable:
    """Read ``data`` into a header and rows; raise ``CsvReadError`` if the file as a whole
    cannot be used. ``aliases`` maps a lower-case header name to the column it stands for
    (e.g. ``{"cpr-nummer": "cpr"}``)."""
    if len(data) > max_bytes:
        raise CsvReadError(too_large_message(max_bytes))
    text, encoding = decode(data)
    # Physical lines, line breaks kept (newline="" splits on \r\n, \r and \n untranslated).
    lines = io.StringIO(text, newline="").readlines()
    first = next((i for i, line in enumerate(lines) if line.strip(" \t\r\n;,")), None)
    if first is None:
        raise CsvReadError(_("Filen er tom."))
    delimiter = sniff_delimiter(lines[first])
    # strict: a quote still open at the end of the file is an error, not one long value.
    reader = csv.reader(lines[first:], delimiter=delimiter, strict=True)
    aliases = aliases or {}
    rows: list[CsvRow] = []
    consumed = 0  # lines of lines[first:] the reader has used so far
    try:
        header = [cell.strip() for cell in next(reader)]
        columns = [aliases.get(cell.lower(), cell.lower()) for cell in header]
        consumed = reader.line_num
        for cells in reader:
            start, consumed = first + consumed + 1, reader.line_num
            if _is_blank(cells):
                continue
            if len(rows) == max_rows:
                raise CsvReadError(
                    _("Filen har for mange rækker (højst %(rows)s). Del den op i flere filer.")
                    % {"rows": _number(max_rows)}
                )
            values = {
                column: cells[i].strip() if i < len(cells) else ""
                for i, column in enumerate(columns)
                if column
            }
            rows.append(CsvRow(start, values))
    except csv.Error as exc:
        line = first + consumed + 1
        # Over the limit on one physical line: a value too long. Over several: a quote that
        # opened a value and never closed, swallowing the lines after it.
        if "field limit" in str(exc) and reader.line_num - consumed <= 1:
            raise CsvReadError(
                _(
                    "Linje %(line)d har en værdi på mere end %(chars)s tegn. "
                    "Del den op, eller ret filen."
                )
                % {"line": line, "chars": _number(MAX_FIELD)},
                line,
            ) from exc
        raise CsvReadError(
            _('Linje %(line)d kan ikke læses som CSV. Tjek at anførselstegn (") står parvis.')
            % {"line": line},
            line,
        ) from exc
    return CsvTable(header, columns, first + 1, rows, encoding, delimiter)


# --- values --------------------------------------------------------------------------------


def parse_date(value: str) -> dt.date:
    """A date in an import file: dd-mm-åååå, dd.mm.åååå, dd/mm/åååå or åååå-mm-dd.
    Raises ``ValueError`` with a Danish message."""
    text = value.strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(
        _("Ugyldig dato “%(value)s”. Brug dd-mm-åååå, dd.mm.åååå, dd/mm/åååå eller åååå-mm-dd.")
        % {"value": value}
    )
