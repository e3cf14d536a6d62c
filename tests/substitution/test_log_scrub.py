"""CPR numbers are masked in every log record and in Django's error report
(substitution/log_scrub.py, installed in settings.LOGGING)."""

from __future__ import annotations

import io
import logging

import pytest
from django.core import mail
from django.test import Client
from pytest_django.fixtures import Settings

from substitution.log_scrub import MASK, CprScrubFilter, scrub

CPRS = ["0102031234", "010203-1234", "311299 4321", "290200-0001"]
NOT_CPRS = ["3213011234", "0113011234", "3002991234", "12345678901", "4512345678"]


@pytest.mark.parametrize("cpr", CPRS)
def test_scrub_masks_cpr_like_numbers(cpr: str) -> None:
    assert scrub(f"borger {cpr}, ") == f"borger {MASK}, "
    assert scrub(f"cpr={cpr}&x=1") == f"cpr={MASK}&x=1"


@pytest.mark.parametrize("number", NOT_CPRS)
def test_scrub_keeps_numbers_that_cannot_be_a_cpr(number: str) -> None:
    assert scrub(f"id {number}") == f"id {number}"


def _handlers() -> list[logging.Handler]:
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    # Handlers from settings.LOGGING have names (pytest's capture handlers have none).
    return [
        handler for logger in loggers for handler in logger.handlers if handler.name is not None
    ]


def test_every_configured_handler_masks_cpr() -> None:
    handlers = _handlers()
    names = {handler.name for handler in handlers}
    assert {"console", "mail_admins", "django.server"} <= names
    unfiltered = [
        handler.name
        for handler in handlers
        if not any(isinstance(f, CprScrubFilter) for f in handler.filters)
    ]
    assert unfiltered == []


def _console() -> logging.Handler:
    return next(h for h in logging.getLogger().handlers if h.name == "console")


def test_log_record_message_arguments_and_traceback_are_masked() -> None:
    handler = _console()
    stream = io.StringIO()
    assert isinstance(handler, logging.StreamHandler)
    old = handler.setStream(stream)
    try:
        logger = logging.getLogger("cases.citizens")
        logger.warning("Import: borger %s afvist (%s)", "0102031234", {"cpr": "020304-5678"})
        try:
            raise ValueError("duplicate key (unit_id, cpr)=(1, 0304051234)")
        except ValueError:
            logger.exception("Fejl for 050607 1234")
    finally:
        handler.setStream(old)
    output = stream.getvalue()
    for digits in ("0102031234", "5678", "0304051234", "050607"):
        assert digits not in output
    assert output.count(MASK) >= 4
    assert "ValueError: duplicate key" in output


@pytest.mark.urls("tests.substitution.urls_errors")
def test_error_mail_to_admins_has_no_cpr(jf_client: Client, settings: Settings) -> None:
    settings.DEBUG = False
    settings.ADMINS = ["drift@jobcenter.example.dk"]
    jf_client.raise_request_exception = False
    mail.outbox.clear()
    response = jf_client.post(
        "/test-fejl-cpr/?cpr=0607081234", {"cpr": "070809-1234", "note": "ring 0809101234"}
    )
    assert response.status_code == 500
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    parts = [str(message.subject), str(message.body)] + [
        str(content) for content, _mime in getattr(message, "alternatives", [])
    ]
    text = "\n".join(parts)
    assert "ValueError" in text and MASK in text
    for digits in ("0102031234", "020304-5678", "0607081234", "070809", "0809101234"):
        assert digits not in text, digits


@pytest.mark.urls("tests.substitution.urls_errors")
def test_debug_page_has_no_cpr(jf_client: Client, settings: Settings) -> None:
    settings.DEBUG = True
    jf_client.raise_request_exception = False
    response = jf_client.get("/test-fejl-cpr/?cpr=0607081234")
    assert response.status_code == 500
    html = response.content.decode()
    assert "ValueError" in html
    for digits in ("0102031234", "020304-5678", "0607081234"):
        assert digits not in html, digits
