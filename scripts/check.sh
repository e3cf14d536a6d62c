#!/usr/bin/env bash
# The shape gates, run by .ci/run before the tests; each fails the run on its own:
#   ruff check (lint), ruff format --check (formatting), mypy (types, django-stubs),
#   lint-imports (the layers of docs/architecture.md), makemigrations --check (no model change
#   without its migration).
set -euo pipefail
source "$(dirname "$0")/_env.sh"

status=0
gate() { # name, command...
  local name="$1"
  shift
  echo "==> check: $name"
  if ! "$@"; then
    echo "check: FAILED: $name" >&2
    status=1
  fi
}
gate "ruff check" uv run --no-sync ruff check .
gate "ruff format --check" uv run --no-sync ruff format --check .
gate "mypy" uv run --no-sync mypy
gate "lint-imports (layers)" uv run --no-sync lint-imports
gate "makemigrations --check" uv run --no-sync python manage.py makemigrations --check --dry-run
exit "$status"
