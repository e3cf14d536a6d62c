"""The production shape: docker-compose.yml, Dockerfile, .env.example and the health-check script.

There is no Docker engine here, so the compose file is parsed and every command in it is
resolved against the code: modules, the WSGI callable, the Celery app, management commands and
scripts must exist. The health-check script is run for real against the live server.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
import yaml
from celery.app.utils import find_app
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
APP_SERVICES = ("migrate", "web", "worker", "beat")
# Run once per `docker compose up` and exit; the others wait for them to complete.
ONE_SHOT_SERVICES = ("migrate",)
# ${VAR} and ${VAR:-default}; $$ escapes a dollar for the container's shell.
INTERPOLATION = re.compile(r"(?<!\$)\$\{([A-Z_][A-Z0-9_]*)(?::?-[^}]*)?\}")


def env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def command_lines(service: dict[str, Any]) -> list[list[str]]:
    """The command(s) a service runs, as argument lists (``sh -c "a && exec b"`` is split)."""
    command = service.get("command")
    if command is None:
        return []
    args = shlex.split(command) if isinstance(command, str) else [str(a) for a in command]
    if args[:2] == ["sh", "-c"]:
        lines = []
        for part in args[2].split("&&"):
            words = shlex.split(part)
            lines.append(words[1:] if words[:1] == ["exec"] else words)
        return lines
    return [args]


def dockerfile_cmd() -> list[str]:
    text = (ROOT / "Dockerfile").read_text()
    match = re.search(r"^CMD (\[.*\])$", text, re.MULTILINE)
    assert match, "Dockerfile has no exec-form CMD"
    return yaml.safe_load(match.group(1))


def assert_command_resolves(args: list[str]) -> None:
    """Fail unless the program and the module, app, command or script it names exist."""
    program = args[0]
    if program == "gunicorn":
        module_name, _, attr = next(a for a in args[1:] if ":" in a).partition(":")
        application = getattr(import_module(module_name), attr)
        assert callable(application), f"{module_name}:{attr} is not a WSGI callable"
    elif program == "celery":
        app_name = args[args.index("-A") + 1]
        from substitution.celery import app

        assert find_app(app_name) is app, f"celery -A {app_name} does not find our app"
        assert {"worker", "beat", "inspect"} & set(args), args
    elif program == "python" and args[1] == "manage.py":
        assert (ROOT / "manage.py").is_file()
        assert args[2] in get_commands(), f"no management command {args[2]!r}"
    elif program == "python" and args[1].endswith(".py"):
        assert (ROOT / args[1]).is_file(), f"{args[1]} does not exist"
    elif program in {"redis-server", "redis-cli", "pg_isready"}:
        pass  # provided by the official images
    else:
        raise AssertionError(f"unknown program in compose command: {args}")


def test_services() -> None:
    assert set(SERVICES) == {"migrate", "web", "worker", "beat", "db", "redis"}


def test_images_and_versions() -> None:
    assert re.fullmatch(r"postgres:16([.-].*)?", SERVICES["db"]["image"])
    assert re.fullmatch(r"redis:7([.-].*)?", SERVICES["redis"]["image"])
    images = {SERVICES[name]["image"] for name in APP_SERVICES}
    assert len(images) == 1, "web, worker and beat must run the same image"
    for name in APP_SERVICES:
        assert SERVICES[name]["build"] == "."
        assert SERVICES[name]["env_file"] == ".env"


def test_dockerfile() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.12-slim\b", text, re.MULTILINE)
    # WeasyPrint's system libraries.
    for lib in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert lib in text
    assert "uv sync --locked --no-dev" in text
    assert "manage.py collectstatic --noinput" in text
    users = re.findall(r"^USER (\S+)$", text, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}, "the image must run as a non-root user"
    assert_command_resolves(dockerfile_cmd())


def test_dockerignore_keeps_secrets_and_local_state_out() -> None:
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".env", ".venv", "db.sqlite3", ".git"} <= ignored


def test_every_command_names_something_that_exists() -> None:
    checked = 0
    for name, service in SERVICES.items():
        for args in command_lines(service):
            assert_command_resolves(args)
            checked += 1
        if name in ONE_SHOT_SERVICES:
            continue
        test = service["healthcheck"]["test"]
        if test[0] == "CMD":
            assert_command_resolves(test[1:])
        else:
            assert test[0] == "CMD-SHELL", name
            assert_command_resolves(shlex.split(test[1]))
    assert checked >= 4


def test_migrate_runs_as_the_owner_then_grants_the_app_role() -> None:
    lines = command_lines(SERVICES["migrate"])
    assert lines[0][:3] == ["python", "manage.py", "migrate"]
    assert lines[1][:4] == ["python", "manage.py", "grant_app_role", "${APP_DB_USER}"]
    assert lines[1][4:] == ["--password-env", "APP_DB_PASSWORD"]
    assert SERVICES["migrate"]["restart"] == "no"
    owner_url = SERVICES["migrate"]["environment"]["DATABASE_URL"]
    assert owner_url.startswith("postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@db:5432/")


def test_web_serves_with_gunicorn_as_the_app_role() -> None:
    lines = command_lines(SERVICES["web"])
    assert len(lines) == 1 and lines[0][0] == "gunicorn"
    assert "substitution.wsgi:application" in lines[0]
    for name in ("web", "worker", "beat"):
        environment = SERVICES[name]["environment"]
        assert environment["DATABASE_URL"].startswith(
            "postgres://${APP_DB_USER}:${APP_DB_PASSWORD}@db:5432/"
        ), name
        assert environment["POSTGRES_PASSWORD"] == "", f"{name} gets the owner's password"
        assert SERVICES[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
    values = env_example()
    assert values["APP_DB_USER"] != values["POSTGRES_USER"]


def test_worker_and_beat_use_the_project_celery_app() -> None:
    worker, beat = command_lines(SERVICES["worker"])[0], command_lines(SERVICES["beat"])[0]
    assert worker[:4] == ["celery", "-A", "substitution", "worker"]
    assert beat[:4] == ["celery", "-A", "substitution", "beat"]


def test_health_checks() -> None:
    for name, service in SERVICES.items():
        if name not in ONE_SHOT_SERVICES:
            assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"
    assert any("/healthz" in part for part in SERVICES["web"]["healthcheck"]["test"])


def test_depends_on_waits_for_healthy_services() -> None:
    for name in ("web", "worker"):
        depends = SERVICES[name]["depends_on"]
        for dependency in ("db", "redis"):
            assert depends[dependency]["condition"] == "service_healthy", (name, dependency)
    for name, service in SERVICES.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in SERVICES, f"{name} depends on unknown service {dependency}"


def test_named_volumes() -> None:
    declared = set(COMPOSE["volumes"])
    assert {"pgdata", "redisdata", "media", "beat"} <= declared
    used = set()
    for name, service in SERVICES.items():
        for volume in service.get("volumes", []):
            source, _, target = volume.partition(":")
            assert source in declared, f"{name}: {source} is not a named volume"
            used.add((source, target))
    assert ("pgdata", "/var/lib/postgresql/data") in used
    assert ("redisdata", "/data") in used
    assert ("media", "/app/media") in used
    beat_schedule = command_lines(SERVICES["beat"])[0]
    schedule = beat_schedule[beat_schedule.index("--schedule") + 1]
    assert schedule.startswith("/var/lib/celery/") and ("beat", "/var/lib/celery") in used


def test_env_example_lists_every_variable_compose_needs() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    needed = set(INTERPOLATION.findall(text))
    assert {"POSTGRES_PASSWORD", "POSTGRES_USER", "POSTGRES_DB"} <= needed
    missing = needed - set(env_example())
    assert not missing, f".env.example lacks {sorted(missing)}"


def test_env_example_matches_settings() -> None:
    """Every setting variable in .env.example is read by settings.py, and the ones production
    must set are there."""
    settings_source = (ROOT / "substitution" / "settings.py").read_text()
    read = set(re.findall(r"""env(?:\.\w+)?\(\s*["']([A-Z_][A-Z0-9_]*)["']""", settings_source))
    example = set(env_example())
    compose_only = {
        "POSTGRES_DB",
        "POSTGRES_USER",
        "POSTGRES_PASSWORD",
        "APP_DB_USER",
        "APP_DB_PASSWORD",
        "WEB_PORT",
    }
    process_only = {"WEB_CONCURRENCY"}  # read by gunicorn itself
    unknown = example - read - compose_only - process_only
    assert not unknown, f".env.example sets variables nothing reads: {sorted(unknown)}"
    required = {"SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "DEBUG", "EMAIL_URL"}
    assert required <= example
    # DATABASE_URL and REDIS_URL are set by docker-compose.yml itself.
    app_env = SERVICES["web"]["environment"]
    assert {"DATABASE_URL", "REDIS_URL"} <= set(app_env) and {"DATABASE_URL", "REDIS_URL"} <= read


def test_env_example_is_a_valid_production_configuration() -> None:
    """The .env.example values (with compose's DATABASE_URL/REDIS_URL) load, give PostgreSQL,
    Redis and DEBUG off, and pass ``manage.py check --deploy`` without warnings."""
    values = env_example()
    # Only what a container would have: nothing from the test process (e.g. conftest's
    # DJANGO_ALLOW_ASYNC_UNSAFE) leaks in.
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update(values)
    for key, value in SERVICES["web"]["environment"].items():
        env[key] = INTERPOLATION.sub(lambda m: values[m.group(1)], value)
    env["DJANGO_SETTINGS_MODULE"] = "substitution.settings"
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings as s\n"
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL,"
        " s.CELERY_TASK_ALWAYS_EAGER)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [
        "False",
        "django.db.backends.postgresql",
        "redis://redis:6379/0",
        "False",
    ]
    check = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr


# --- the health-check script, run for real ---------------------------------------------------


def run_healthcheck(*args: str, allowed_hosts: str = "127.0.0.1") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "healthcheck.py"), *args],
        env={**os.environ, "ALLOWED_HOSTS": allowed_hosts},
        capture_output=True,
        text=True,
        timeout=30,
    )


@pytest.mark.django_db(transaction=True)
def test_web_healthcheck_script_against_the_live_server(live_server: Any) -> None:
    healthy = run_healthcheck(f"{live_server.url}/healthz")
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr
    assert '"database": "ok"' in healthy.stdout
    # A page that is not 200 (login redirect is followed to 200, so use a 404) is unhealthy.
    missing = run_healthcheck(f"{live_server.url}/healthz-does-not-exist")
    assert missing.returncode == 1


def test_web_healthcheck_script_when_nothing_listens() -> None:
    result = run_healthcheck("http://127.0.0.1:1/healthz")
    assert result.returncode == 1
    assert "unhealthy" in result.stdout


def test_beat_healthcheck_script(tmp_path: Path) -> None:
    schedule = tmp_path / "beat-schedule"
    assert run_healthcheck("--beat", str(schedule)).returncode == 1  # no file yet
    (tmp_path / "beat-schedule.db").write_bytes(b"x")  # dbm may add a suffix
    assert run_healthcheck("--beat", str(schedule)).returncode == 0
    old = time.time() - 3600
    os.utime(tmp_path / "beat-schedule.db", (old, old))
    assert run_healthcheck("--beat", str(schedule), "900").returncode == 1
