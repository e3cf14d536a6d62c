"""Settings for Substitution. Everything that differs between machines comes from the environment.

See the configuration table in README.md. The embedded default (no environment at all) is a
SQLite file in the project and Celery running tasks eagerly, so the app runs with no services.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.csp import CSP

from substitution.email_config import mailer_from_url
from substitution.oidc_config import entra_endpoints

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG: bool = env.bool("DEBUG", default=False)
SECRET_KEY: str = env.str(
    "SECRET_KEY",
    # Only ever used on a developer machine: production sets SECRET_KEY (check --deploy warns).
    default="django-insecure-dev-only-substitution-key-change-me",
)
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "substitution.apps.AxesConfig",  # django-axes with a Danish name in the admin
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Our apps, in dependency order: substitution <- companies <- cases <- reporting.
    "substitution",
    "companies",
    "cases",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # First after SecurityMiddleware, so its headers are on every response (also a 400 from
    # RejectNulMiddleware); static files (WhiteNoise) reach no logged-in user, so keep caching.
    "substitution.middleware.PrivacyHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "substitution.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "substitution.middleware.IdleTimeoutMiddleware",
    # Second factor (TOTP): after the idle check, so an idle session is logged out first.
    "django_otp.middleware.OTPMiddleware",
    "substitution.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "substitution.urls"
WSGI_APPLICATION = "substitution.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "substitution.context_processors.navigation",
            ],
        },
    },
]

# Django's template renderer, with the common widgets built in Python (same HTML; cheaper).
FORM_RENDERER = "substitution.form_renderer.FormRenderer"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves a page and its lazy htmx panels concurrently: take the write
    # lock at the start of each transaction and wait for it (instead of "database is locked"),
    # and let readers run beside a writer (WAL).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT compilation: our page queries are short, and on queries the planner costs above
    # jit_above_cost (a step or contact sort over a whole jobcentre) compiling took 150-190 ms
    # of CPU to save a few (docs/performance.md, "Daily pages").
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "substitution.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Administrators (role) may use the Django admin for our apps; see docs/roles.md.
    "substitution.backends.RolePermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Single sign-on (OpenID Connect, substitution/oidc.py): on when OIDC_RP_CLIENT_ID is set.
# OIDC_ENTRA_TENANT fills in Microsoft Entra ID's endpoints and issuer; any other provider
# sets the endpoints itself. Users are matched, never created.
OIDC_RP_CLIENT_ID: str = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET: str = env.str("OIDC_RP_CLIENT_SECRET", default="")
_entra_tenant: str = env.str("OIDC_ENTRA_TENANT", default="")
_oidc_endpoints = entra_endpoints(_entra_tenant) if _entra_tenant else {}
OIDC_OP_AUTHORIZATION_ENDPOINT: str = env.str(
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    default=_oidc_endpoints.get("OIDC_OP_AUTHORIZATION_ENDPOINT", ""),
)
OIDC_OP_TOKEN_ENDPOINT: str = env.str(
    "OIDC_OP_TOKEN_ENDPOINT", default=_oidc_endpoints.get("OIDC_OP_TOKEN_ENDPOINT", "")
)
OIDC_OP_JWKS_ENDPOINT: str = env.str(
    "OIDC_OP_JWKS_ENDPOINT", default=_oidc_endpoints.get("OIDC_OP_JWKS_ENDPOINT", "")
)
OIDC_OP_ISSUER: str = env.str("OIDC_OP_ISSUER", default=_oidc_endpoints.get("OIDC_OP_ISSUER", ""))
OIDC_OP_USER_ENDPOINT: str = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO: str = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES: str = env.str("OIDC_RP_SCOPES", default="openid profile email")
OIDC_USERNAME_CLAIM: str = env.str("OIDC_USERNAME_CLAIM", default="preferred_username")
OIDC_USER_FIELD: str = env.str("OIDC_USER_FIELD", default="username")
OIDC_CREATE_USER = False
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 5
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "/login/?sso=fejl"
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("substitution.oidc.SubstitutionOIDCBackend")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failed log-ins (django-axes), by user name and IP together.
AXES_FAILURE_LIMIT: int = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# 429 Too Many Requests with the Danish page (registration/locked_out.html).
AXES_LOCKOUT_CALLABLE = "substitution.views.locked_out"
AXES_VERBOSE = False

# Two-factor log-in (substitution/two_factor.py): anyone may add an authenticator app; with
# TWO_FACTOR_REQUIRED these roles (and superusers) must.
TWO_FACTOR_REQUIRED: bool = env.bool("TWO_FACTOR_REQUIRED", default=False)
TWO_FACTOR_ROLES = ["leder", "administrator"]
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Substitution")

# Sessions end after an idle period (IdleTimeoutMiddleware, which tells the user why) and
# when the browser closes. The stored session outlives the idle limit so the middleware,
# not a silently expired session, does the logging out.
SESSION_IDLE_TIMEOUT_MINUTES: int = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=30)
SESSION_COOKIE_AGE = max(12 * 60, 2 * SESSION_IDLE_TIMEOUT_MINUTES) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Security headers. SECURE_* defaults are production values; the run command (DEBUG=true)
# serves plain http on 127.0.0.1.
SECURE_SSL_REDIRECT: bool = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE: bool = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE: bool = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS: int = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content Security Policy: no inline scripts or styles anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LANGUAGE_CODE = "da"
# Every screen is Danish. The strings go through gettext so English can follow: add
# ("en", "English") here once locale/en is translated (until then a browser asking for
# English would get a mix of Danish and Django's own English strings).
LANGUAGES = [("da", "Dansk")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
MEDIA_ROOT = BASE_DIR / "media"
# Generated report PDFs (reporting/reports, docs/reports.md): their own storage, local files
# under MEDIA_ROOT/rapporter by default (never served directly: downloads go through a view that
# checks access). S3-compatible storage by configuration, e.g. with django-storages installed:
# REPORTS_STORAGE_BACKEND=storages.backends.s3.S3Storage and
# REPORTS_STORAGE_OPTIONS='{"bucket_name": "rapporter", "endpoint_url": "https://…"}'.
STORAGES["reports"] = {
    "BACKEND": env.str(
        "REPORTS_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"
    ),
    "OPTIONS": env.json("REPORTS_STORAGE_OPTIONS", default={"location": str(MEDIA_ROOT)}),
}
# Days a generated report file is kept (a nightly task deletes older files; the run stays).
REPORT_RETENTION_DAYS: int = env.int("REPORT_RETENTION_DAYS", default=90)
# Minutes without a heartbeat before a running report is taken as abandoned and re-queued.
REPORT_STALE_MINUTES: int = env.int("REPORT_STALE_MINUTES", default=10)
# The address links in mails start with (the monthly status mail to the leaders).
SITE_URL: str = env.str("SITE_URL", default="http://127.0.0.1:8000")
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# E-mail (follow-up reminders, password resets): one mailer from EMAIL_URL, see
# substitution/email_config.py for the URL forms. Django 6.1's MAILERS replaces EMAIL_*.
MAILERS = {"default": mailer_from_url(env.str("EMAIL_URL", default="consolemail://"))}
DEFAULT_FROM_EMAIL: str = env.str("DEFAULT_FROM_EMAIL", default="substitution@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who gets the error report mail of a failed request (CPR numbers masked, see LOGGING).
ADMINS: list[str] = env.list("ADMINS", default=[])

# Celery. Without REDIS_URL tasks run eagerly in-process, so the embedded default needs
# no services.
REDIS_URL: str = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker outage must not hang a request: enqueueing (.delay()) gives up within about a
# second instead of retrying for ~20 s (tests/substitution/test_celery.py). Publishing is not
# retried and connections time out after 1 s, at the broker and at the Redis result backend
# (which subscribes to the task's result when it is sent). Workers still reconnect on their own
# (broker_connection_retry stays on), so a restarted Redis is picked up.
CELERY_BROKER_CONNECTION_TIMEOUT = 1.0
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1.0, "max_retries": 0}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1.0
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 0}}
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "heartbeat": {"task": "substitution.tasks.heartbeat", "schedule": 300.0},
    # Audit rows past their retention (substitution/retention.py), once a day.
    "purge-audit-log": {"task": "substitution.tasks.purge_audit_log", "schedule": 86400.0},
    # Long-closed cases (cases.privacy.anonymise): a report, or anonymisation when enabled.
    "anonymise-closed-cases": {"task": "cases.tasks.anonymise_closed_cases", "schedule": 86400.0},
    # Hourly: the placement status column, task "besat" and the citizens' maintained step
    # follow the dates (cases/placements/services.py; cases/citizens/facts.py,
    # refresh_dated_steps).
    "refresh-placement-statuses": {
        "task": "cases.tasks.refresh_placement_statuses",
        "schedule": 3600.0,
    },
    # The facts per citizen and month (cases/citizens/month_facts.py): the live month taken
    # to each new day, a new month, or a rebuild after a flag or threshold they read changed.
    # One query when there is nothing to do; every 10 minutes so a new day's dashboards read
    # the facts soon after midnight.
    "extend-month-facts": {"task": "cases.tasks.extend_month_facts", "schedule": 600.0},
    # Reports (docs/reports.md): abandoned runs re-queued, old files deleted, and the monthly
    # status made on the first working day of a month (the task checks the day each hour).
    "requeue-stale-reports": {
        "task": "reporting.reports.tasks.requeue_stale_reports",
        "schedule": 120.0,
    },
    "purge-report-files": {
        "task": "reporting.reports.tasks.purge_report_files",
        "schedule": 86400.0,
    },
    "schedule-monthly-status": {
        "task": "reporting.reports.tasks.schedule_monthly_status",
        "schedule": 3600.0,
    },
    # Fidelity rounds: close those past their date, remind before closing (docs/fidelity.md).
    "fidelity-rounds": {"task": "reporting.fidelity.tasks.fidelity_rounds", "schedule": 86400.0},
}

# Every handler masks CPR numbers (substitution/log_scrub.py); a handler added here must
# carry the "cpr" filter too (tests/substitution/test_log_scrub.py checks every handler).
# Django's own loggers are redefined so their handlers are these filtered ones, and Celery
# workers keep this configuration instead of installing their own root handler.
# Audit retention (substitution/retention.py, nightly): read events (views, CPR reveals,
# exports, searches) are deleted after this many months; other events after
# AUDIT_OTHER_RETENTION_MONTHS (0: kept for ever). The database refuses less than 1 and 12.
AUDIT_READ_RETENTION_MONTHS: int = env.int("AUDIT_READ_RETENTION_MONTHS", default=6)
AUDIT_OTHER_RETENTION_MONTHS: int = env.int("AUDIT_OTHER_RETENTION_MONTHS", default=0)

# Anonymisation of citizens whose case closed more than the threshold anonymise_after_years
# (default 5, per jobcentre in the admin) ago: the daily job only logs its dry-run report
# until this is on (manage.py anonymise --dry-run shows the same report).
ANONYMISE_ENABLED: bool = env.bool("ANONYMISE_ENABLED", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "cpr": {"()": "substitution.log_scrub.CprScrubFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["cpr"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["cpr"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["cpr", "require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "axes": {"level": "WARNING"},
    },
}
# Django's error report (the admins' mail, the DEBUG page) with CPR numbers masked.
DEFAULT_EXCEPTION_REPORTER = "substitution.log_scrub.CprScrubbingExceptionReporter"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Demo data: the number of citizens per unit of --scale, etc. live in each app's demo module.
