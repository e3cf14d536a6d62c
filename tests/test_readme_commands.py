"""The README stays true: its commands exist, CI runs the README's test command, and the
configuration table lists every environment variable the settings read."""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def settings_env_vars() -> set[str]:
    sources = [ROOT / "substitution" / "settings.py"]
    text = "\n".join(p.read_text() for p in sources)
    return set(re.findall(r"""env(?:\.\w+)?\(\s*["']([A-Z_][A-Z0-9_]*)["']""", text))


def test_the_two_commands_exist_and_are_executable() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README, re.DOTALL)
    assert first_block
    commands = [line.split()[0] for line in first_block.group(1).splitlines() if line.strip()]
    assert commands == ["./scripts/run.sh", "./scripts/test.sh"]
    for command in commands:
        path = ROOT / command
        assert path.is_file() and os.access(path, os.X_OK), command
        text = path.read_text()
        assert text.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in text


def test_run_command_migrates_seeds_and_serves_with_debug() -> None:
    text = (ROOT / "scripts" / "run.sh").read_text()
    steps = ["manage.py migrate", "manage.py seed_demo", "manage.py runserver"]
    positions = [text.index(step) for step in steps]
    assert positions == sorted(positions)
    assert 'DEBUG="${DEBUG:-true}"' in text
    assert "127.0.0.1:${PORT}" in text


def test_setup_never_downloads_python_and_demands_312() -> None:
    text = (ROOT / "scripts" / "_env.sh").read_text()
    assert "UV_PYTHON_DOWNLOADS=never" in text
    assert "uv python find 3.12" in text
    assert "pip install --user" in text  # uv from PyPI, not the curl installer
    assert not re.search(r"\bcurl\s+-", text)


def test_ci_runs_the_readme_test_command_with_services() -> None:
    text = (ROOT / ".ci" / "run").read_text()
    assert text.startswith("#!/usr/bin/env bash")
    assert "set -euo pipefail" in text
    assert "export CI=true" in text
    assert 'DATABASE_URL="postgres://postgres@127.0.0.1:5432/${DB_NAME}"' in text
    assert 'DB_NAME="${CI_DB_NAME:-substitution}"' in text
    assert 'REDIS_URL="redis://127.0.0.1:6379/0"' in text
    assert "./scripts/test.sh" in text
    assert "pg_ctlcluster --skip-systemctl-redirect" in text
    assert "redis-server --daemonize yes" in text
    assert "apt_install chromium" in text


def test_configuration_table_lists_every_setting_variable() -> None:
    table_rows = [line for line in README.splitlines() if line.startswith("| `")]
    documented = set(re.findall(r"`([A-Z_][A-Z0-9_]*)`", "\n".join(table_rows)))
    missing = settings_env_vars() - documented
    assert not missing, f"README configuration table lacks {sorted(missing)}"
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"} <= documented


def test_readme_links_the_role_matrix() -> None:
    assert "(docs/roles.md)" in README
