"""substitution.settings reads its configuration from the environment.

Each case imports the real settings module in a fresh interpreter with a controlled
environment (nothing inherited from the shell running the tests), so defaults are tested too.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from substitution.email_config import mailer_from_url

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, substitution.settings as s
print(json.dumps({
    "db": {k: s.DATABASES["default"].get(k) for k in ("ENGINE", "NAME", "USER", "PASSWORD",
           "HOST", "PORT", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "ATOMIC_REQUESTS")},
    "debug": s.DEBUG,
    "allowed_hosts": s.ALLOWED_HOSTS,
    "eager": s.CELERY_TASK_ALWAYS_EAGER,
    "broker": s.CELERY_BROKER_URL,
    "idle": s.SESSION_IDLE_TIMEOUT_MINUTES,
    "cookie_age": s.SESSION_COOKIE_AGE,
    "mailers": s.MAILERS,
    "has_email_backend": hasattr(s, "EMAIL_BACKEND"),
    "hashers": s.PASSWORD_HASHERS,
    "axes_limit": s.AXES_FAILURE_LIMIT,
    "ssl_redirect": s.SECURE_SSL_REDIRECT,
}, default=str))
"""


def _clean_env(**overrides: str) -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/")}
    env.update(overrides)
    return env


def load_settings(**env: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-c", PROBE],
        cwd=ROOT,
        env=_clean_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_defaults_are_the_embedded_setup() -> None:
    s = load_settings()
    assert s["db"]["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(s["db"]["NAME"]) == ROOT / "db.sqlite3"
    assert s["db"]["ATOMIC_REQUESTS"] is True
    assert s["debug"] is False
    assert s["allowed_hosts"] == ["127.0.0.1", "localhost"]
    assert s["eager"] is True
    assert s["broker"] == "memory://"
    assert s["idle"] == 30
    assert s["cookie_age"] == 12 * 3600  # longer than the idle limit: the middleware logs out
    assert s["axes_limit"] == 5
    assert s["ssl_redirect"] is True
    assert s["mailers"] == {
        "default": {"BACKEND": "django.core.mail.backends.console.EmailBackend", "OPTIONS": {}}
    }


def test_postgres_url_is_parsed() -> None:
    s = load_settings(DATABASE_URL="postgres://subst:hemmelig%21@db.example.dk:6543/substitution")
    assert s["db"]["ENGINE"] == "django.db.backends.postgresql"
    assert s["db"]["NAME"] == "substitution"
    assert s["db"]["USER"] == "subst"
    assert s["db"]["PASSWORD"] == "hemmelig!"
    assert s["db"]["HOST"] == "db.example.dk"
    assert int(s["db"]["PORT"]) == 6543
    # Persistent connections, checked before reuse (issue 15, resilience: a restarted
    # database does not cost the next request a 500).
    assert s["db"]["CONN_MAX_AGE"] == 60
    assert s["db"]["CONN_HEALTH_CHECKS"] is True


def test_redis_url_turns_off_eager_celery() -> None:
    s = load_settings(REDIS_URL="redis://127.0.0.1:6379/3")
    assert s["eager"] is False
    assert s["broker"] == "redis://127.0.0.1:6379/3"


def test_debug_hosts_and_idle_timeout_from_environment() -> None:
    s = load_settings(
        DEBUG="true",
        ALLOWED_HOSTS="jobcenter.example.dk,intra.example.dk",
        SESSION_IDLE_TIMEOUT_MINUTES="10",
    )
    assert s["debug"] is True
    assert s["allowed_hosts"] == ["jobcenter.example.dk", "intra.example.dk"]
    assert s["idle"] == 10
    assert s["ssl_redirect"] is False


def test_email_url_becomes_mailers_without_deprecated_email_settings() -> None:
    s = load_settings(EMAIL_URL="smtp+tls://post%40jc.dk:p%C3%A5ss@mail.example.dk:587")
    assert s["mailers"] == {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": "mail.example.dk",
                "port": 587,
                "username": "post@jc.dk",
                "password": "påss",
                "use_tls": True,
            },
        }
    }
    assert s["has_email_backend"] is False


@pytest.mark.parametrize(
    ("url", "backend", "options"),
    [
        ("consolemail://", "console", {}),
        ("memorymail://", "locmem", {}),
        ("smtp://relay.local", "smtp", {"host": "relay.local"}),
        ("smtps://u:p@h:465", "smtp", {"host": "h", "port": 465, "username": "u",
                                       "password": "p", "use_ssl": True}),
        ("smtp://h?timeout=5", "smtp", {"host": "h", "timeout": 5}),
        ("filemail:///var/mail/subst", "filebased", {"file_path": "/var/mail/subst"}),
    ],
)  # fmt: skip
def test_mailer_from_url(url: str, backend: str, options: dict[str, Any]) -> None:
    assert mailer_from_url(url) == {
        "BACKEND": f"django.core.mail.backends.{backend}.EmailBackend",
        "OPTIONS": options,
    }


def test_mailer_from_url_rejects_unknown_scheme() -> None:
    with pytest.raises(ValueError, match="unknown scheme"):
        mailer_from_url("sendgrid://key")


def test_argon2_is_the_production_hasher() -> None:
    s = load_settings()
    assert s["hashers"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


PRODUCTION_WITH_SECURITY_OPTIONS = {
    "TWO_FACTOR_REQUIRED": "true",
    "OIDC_RP_CLIENT_ID": "substitution",
    "OIDC_RP_CLIENT_SECRET": "hemmelig",
    "OIDC_ENTRA_TENANT": "contoso",
    "ADMINS": "drift@example.dk",
    "ANONYMISE_ENABLED": "true",
    "AUDIT_OTHER_RETENTION_MONTHS": "60",
}


# As docker compose runs it: PostgreSQL as the application role and Redis (nothing is
# contacted: check --deploy reads the settings).
PRODUCTION_SERVICES = {
    "DATABASE_URL": "postgres://substitution_app:hemmelig@db:5432/substitution",
    "REDIS_URL": "redis://redis:6379/0",
}


@pytest.mark.parametrize(
    "extra",
    [{}, PRODUCTION_WITH_SECURITY_OPTIONS, PRODUCTION_SERVICES],
    ids=["plain", "sso-2fa-retention", "postgres-redis"],
)
def test_check_deploy_is_clean_with_production_values(
    tmp_path: Path, extra: dict[str, str]
) -> None:
    env = _clean_env(
        DJANGO_SETTINGS_MODULE="substitution.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="jobcenter.example.dk",
        EMAIL_URL="smtp+tls://substitution:hemmelig@mail.example.dk:587",
    )
    env.update(extra)
    result = subprocess.run(
        [
            sys.executable,
            "-W",
            "error::DeprecationWarning",
            "-W",
            "error::PendingDeprecationWarning",
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output and "Warning" not in output


def test_check_deploy_flags_development_values() -> None:
    """The check above can fail: the embedded defaults are not production values."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_clean_env(DJANGO_SETTINGS_MODULE="substitution.settings", DEBUG="true"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "security.W018" in result.stderr  # DEBUG on
    assert "security.W009" in result.stderr  # insecure SECRET_KEY


def test_gettext_catalogue_for_english_exists() -> None:
    from django.conf import settings

    assert ROOT / "locale" in settings.LOCALE_PATHS
    assert settings.LANGUAGE_CODE == "da"
    catalogue = (ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert 'msgid "Log ind"' in catalogue
    assert 'msgid "Kontoen er midlertidigt spærret"' in catalogue
