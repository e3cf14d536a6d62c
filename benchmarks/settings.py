"""Production settings plus the floor page, for benchmarks/pages.py (in process and gunicorn)."""

from substitution.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
