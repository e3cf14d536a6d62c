"""Production static files: collectstatic with DEBUG off (hashed, compressed names) and
WhiteNoise serving them with long-lived caching."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management import call_command
from django.http import StreamingHttpResponse
from django.templatetags.static import static
from django.test import Client, override_settings

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_settings_use_whitenoise_manifest_storage_when_debug_is_off() -> None:
    """The real settings module (not tests.settings) picks the production storage."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    env = {
        **os.environ,
        "DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "substitution.settings",
    }
    env.pop("STATICFILES_BACKEND", None)
    code = (
        "from django.conf import settings as s\n"
        "print(s.STORAGES['staticfiles']['BACKEND']);"
        "print('whitenoise.middleware.WhiteNoiseMiddleware' in s.MIDDLEWARE)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["whitenoise.storage.CompressedManifestStaticFilesStorage", "True"]


def test_collectstatic_with_debug_off_and_whitenoise_serves_it(tmp_path: Path) -> None:
    with override_settings(DEBUG=False, STATIC_ROOT=tmp_path, STORAGES=PRODUCTION_STORAGES):
        call_command("collectstatic", "--noinput", verbosity=0)

        manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
        hashed_css = manifest["css/app.css"]
        assert hashed_css != "css/app.css"
        assert (tmp_path / hashed_css).is_file()
        assert (tmp_path / f"{hashed_css}.gz").is_file()
        assert "vendor/htmx.min.js" in manifest
        # Templates link the hashed name.
        assert static("css/app.css") == f"/static/{hashed_css}"

        # A fresh client builds the middleware stack, so WhiteNoise indexes the new STATIC_ROOT.
        client = Client()
        response = client.get(f"/static/{hashed_css}", HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        assert "immutable" in response["Cache-Control"]
        assert "max-age=315360000" in response["Cache-Control"]
        assert isinstance(response, StreamingHttpResponse)  # WhiteNoise streams the file
        body = b"".join(response.streaming_content)
        assert body  # the compressed stylesheet
