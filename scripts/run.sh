#!/usr/bin/env bash
# Run Substitution locally: install, migrate the embedded SQLite database, seed demo data and
# serve on http://127.0.0.1:8000 with DEBUG on. Set DATABASE_URL to use another database.
set -euo pipefail
source "$(dirname "$0")/_env.sh"

export DEBUG="${DEBUG:-true}"
PORT="${PORT:-8000}"

uv run --no-sync python manage.py migrate --noinput
# seed_demo is idempotent and ends by printing the demo log-ins.
uv run --no-sync python manage.py seed_demo
echo
echo "Substitution: http://127.0.0.1:${PORT}/  (stop with Ctrl+C)"
exec uv run --no-sync python manage.py runserver "127.0.0.1:${PORT}"
