"""Test settings: production settings, except that the test client and live server speak
plain http. (``manage.py check --deploy`` is tested against the real settings module.)"""

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
    # pytest-django's in-memory test database uses SQLite's shared cache, where "BEGIN
    # IMMEDIATE" beside another connection's write fails at once with "database table is
    # locked" (the busy timeout does not apply to shared-cache locks): a live-server page and
    # its lazy htmx panels then break. Tests keep SQLite's default deferred transactions.
    DATABASES["default"].get("OPTIONS", {}).pop("transaction_mode", None)  # noqa: F405

# The server runs at the suite's frozen instant (tests/clock.py) while Chromium keeps the real
# clock: a CSRF cookie with an expiry date computed from the frozen instant could arrive
# already expired. A session cookie has no expiry to disagree about.
CSRF_COOKIE_AGE = None
