# shellcheck shell=bash
# Sourced by run.sh and test.sh: find (or install) uv and Python 3.12, then `uv sync`.
# Works offline apart from the package registry (no curl installer, no Python downloads).

cd "$(dirname "${BASH_SOURCE[0]}")/.."

die() {
  echo "error: $*" >&2
  exit 1
}

export PATH="$HOME/.local/bin:$PATH"
if ! command -v uv >/dev/null 2>&1; then
  py="$(command -v python3.12 || command -v python3 || true)"
  [ -n "$py" ] || die "neither uv nor python3 found; install Python 3.12 first"
  echo "uv not found: installing it from PyPI with pip ($py -m pip install --user uv)" >&2
  if ! "$py" -m pip install --user --quiet uv; then
    # Externally managed Pythons (PEP 668) refuse --user installs: use a private venv.
    echo "pip --user refused; installing uv into ~/.local/share/uv-venv" >&2
    "$py" -m venv "$HOME/.local/share/uv-venv" \
      && "$HOME/.local/share/uv-venv/bin/pip" install --quiet uv \
      && mkdir -p "$HOME/.local/bin" \
      && ln -sf "$HOME/.local/share/uv-venv/bin/uv" "$HOME/.local/bin/uv" \
      || die "could not install uv with pip; see https://docs.astral.sh/uv/"
  fi
  command -v uv >/dev/null 2>&1 || die "uv was installed but is not on PATH"
fi

# No internet: never let uv download an interpreter; use an installed Python 3.12.
export UV_PYTHON_DOWNLOADS=never
if ! uv python find 3.12 >/dev/null 2>&1; then
  die "Python 3.12 is required but was not found (uv python find 3.12).
Install it (e.g. 'pyenv install 3.12' or 'apt-get install python3.12') and run this again."
fi

uv sync --python 3.12

# Translations: compile .po files when there are any and gettext is installed.
if compgen -G "locale/*/LC_MESSAGES/*.po" >/dev/null; then
  if command -v msgfmt >/dev/null 2>&1; then
    uv run --no-sync python manage.py compilemessages --ignore=.venv >/dev/null
  else
    echo "warning: gettext (msgfmt) not installed; using the committed .mo files" >&2
  fi
fi
