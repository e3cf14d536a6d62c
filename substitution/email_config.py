"""Turn the ``EMAIL_URL`` environment variable into Django's ``MAILERS`` setting.

Supported URLs (user name and password are URL-encoded):

- ``consolemail://`` – print mails to the console (the default)
- ``smtp://user:password@host:25`` – plain SMTP
- ``smtp+tls://user:password@host:587`` – SMTP with STARTTLS
- ``smtps://user:password@host:465`` (or ``smtp+ssl://``) – SMTP over SSL
- ``filemail:///var/mail/substitution`` – write each mail to a file in that folder
- ``memorymail://`` – keep mails in memory (tests)
- ``dummymail://`` – discard mails

Kept free of Django imports: it is imported by ``substitution.settings``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

BACKENDS = {
    "consolemail": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+ssl": "django.core.mail.backends.smtp.EmailBackend",
    "filemail": "django.core.mail.backends.filebased.EmailBackend",
    "memorymail": "django.core.mail.backends.locmem.EmailBackend",
    "dummymail": "django.core.mail.backends.dummy.EmailBackend",
}


def mailer_from_url(url: str) -> dict[str, Any]:
    """One ``MAILERS`` entry (``{"BACKEND": ..., "OPTIONS": {...}}``) for ``url``."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in BACKENDS:
        raise ValueError(f"EMAIL_URL: unknown scheme {scheme!r} (use one of {sorted(BACKENDS)})")
    options: dict[str, Any] = {}
    if scheme.startswith("smtp"):
        options["host"] = parts.hostname or "localhost"
        if parts.port:
            options["port"] = parts.port
        if parts.username:
            options["username"] = unquote(parts.username)
            options["password"] = unquote(parts.password or "")
        if scheme == "smtp+tls":
            options["use_tls"] = True
        elif scheme in {"smtps", "smtp+ssl"}:
            options["use_ssl"] = True
        timeout = parse_qs(parts.query).get("timeout")
        if timeout:
            options["timeout"] = int(timeout[0])
    elif scheme == "filemail":
        options["file_path"] = unquote(parts.path) or "/tmp/substitution-mail"
    return {"BACKEND": BACKENDS[scheme], "OPTIONS": options}
