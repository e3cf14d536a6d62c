# Production image for Substitution: web (gunicorn), Celery worker and Celery beat.
# Build: docker compose build    (see docker-compose.yml and README.md)
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH="/opt/venv/bin:$PATH"

# WeasyPrint (PDF reports) needs Pango with HarfBuzz and fontconfig, plus fonts;
# gettext compiles the Danish translations.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-dejavu-core fonts-liberation2 gettext \
    && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir uv

WORKDIR /app

# Dependencies first (cached layer), exactly as locked, without the dev group.
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --locked --no-dev --no-install-project

COPY . .

# Static files are collected (hashed and compressed for WhiteNoise) at build time. The build
# needs no secrets or services: the settings only read the environment.
RUN if ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then \
        python manage.py compilemessages --ignore=.venv; \
    fi \
    && DEBUG=false python manage.py collectstatic --noinput

# Run as an unprivileged user. Media and the beat schedule live in named volumes; the
# directories are created here so the volumes inherit the ownership.
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home substitution \
    && mkdir -p /app/media /var/lib/celery \
    && chown substitution:substitution /app/media /var/lib/celery
USER substitution

EXPOSE 8000
CMD ["gunicorn", "substitution.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
