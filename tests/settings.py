"""Test settings: production settings, except that the test client and live server speak
plain http. (``manage.py check --deploy`` is tested against the real settings module.)"""

import os
import tempfile
from pathlib import Path

from substitution.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
# The live server and test client serve static files from the finders (no collectstatic).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A test database in a file, not SQLite's shared in-memory database: for an in-memory
    # database Django hands the live server's request threads the test thread's one connection,
    # and a page's concurrent htmx panel requests then use it at once ("sqlite3.InterfaceError:
    # bad parameter or other API misuse"). With a file every thread has its own connection, and
    # the production settings' WAL, busy timeout and BEGIN IMMEDIATE apply as in the embedded
    # default. One file per test process (parallel runs on one machine do not meet).
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"substitution-test-{os.getpid()}.sqlite3")
    }

# The server runs at the suite's frozen instant (tests/clock.py) while Chromium keeps the real
# clock: a CSRF cookie with an expiry date computed from the frozen instant could arrive
# already expired. A session cookie has no expiry to disagree about.
CSRF_COOKIE_AGE = None
