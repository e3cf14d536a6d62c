"""CPR numbers never reach a log or an error report.

``CprScrubFilter`` is installed on every handler in ``settings.LOGGING`` (console, the admins'
error mail, the development server's request log): it rewrites a record's message (with its
arguments), its formatted traceback and its stack text so that anything that looks like a CPR
number reads ``XXXXXX-XXXX``. ``CprScrubbingExceptionReporter`` (``DEFAULT_EXCEPTION_REPORTER``)
does the same to Django's error report (the mail to ``ADMINS`` and the ``DEBUG`` page), whose
request data, settings and local variables a log filter never sees.

"Looks like a CPR number": ten digits, not part of a longer run of digits, optionally with a
dash or a space after the sixth, whose first six are a valid day and month (DDMMYY, any year).
Ten-digit numbers that cannot be a date (an id, a phone number with a country code) are kept.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.utils.safestring import mark_safe
from django.views.debug import ExceptionReporter

MASK = "XXXXXX-XXXX"

CPR_PATTERN = re.compile(r"(?<![0-9])([0-3][0-9])([01][0-9])([0-9]{2})[- ]?([0-9]{4})(?![0-9])")
DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _replace(match: re.Match[str]) -> str:
    day, month = int(match.group(1)), int(match.group(2))
    if 1 <= month <= 12 and 1 <= day <= DAYS_IN_MONTH[month - 1]:
        return MASK
    return match.group(0)


def scrub(text: str) -> str:
    """``text`` with every CPR-looking number replaced by ``XXXXXX-XXXX``."""
    return CPR_PATTERN.sub(_replace, text)


class CprScrubFilter(logging.Filter):
    """Masks CPR numbers in a log record; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_cpr_scrubbed", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the raw parts, scrubbed
            message = f"{record.msg} {record.args!r}"
        record.msg = scrub(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        record._cpr_scrubbed = True
        return True


class CprScrubbingExceptionReporter(ExceptionReporter):
    """Django's error report (HTML and text: the admins' mail, the DEBUG page) with CPR
    numbers masked everywhere in it: the exception, the request's URL, GET and POST data,
    local variables and settings."""

    def get_traceback_html(self) -> Any:
        return mark_safe(scrub(str(super().get_traceback_html())))  # noqa: S308 - was safe HTML

    def get_traceback_text(self) -> Any:
        return scrub(str(super().get_traceback_text()))
