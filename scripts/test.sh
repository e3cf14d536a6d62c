#!/usr/bin/env bash
# Install and run the whole test suite. Extra arguments go to pytest.
#   DATABASE_URL  PostgreSQL when set (pytest-django creates test_<name>); SQLite otherwise.
#   REDIS_URL     Redis for the Celery integration tests; skipped (with the reason) without it.
#   CI=true       a missing PostgreSQL, Redis or Chromium fails the run instead of skipping.
#   PYTEST_WORKERS  parallel pytest-xdist workers (default 0: one process; see README).
set -euo pipefail
source "$(dirname "$0")/_env.sh"

workers="${PYTEST_WORKERS:-0}"
case "${DATABASE_URL:-}" in
  postgres://* | postgresql://*) ;;
  *)
    if [ "$workers" != "0" ]; then
      echo "PYTEST_WORKERS ignored: parallel workers need PostgreSQL (DATABASE_URL)" >&2
      workers=0
    fi
    ;;
esac
args=()
if [ "$workers" != "0" ]; then
  args+=(-n "$workers")
fi
exec uv run --no-sync pytest "${args[@]}" "$@"
