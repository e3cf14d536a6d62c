"""Optional two-factor log-in with TOTP (django-otp).

Any user may add an authenticator app (``/log-ind/totp/opsaet/``); from then on every log-in
asks for its six-digit code (``/log-ind/kode/``) before any page. With
``TWO_FACTOR_REQUIRED`` on, users holding a role in ``TWO_FACTOR_ROLES`` (leder,
administrator) and superusers must set one up at their next log-in before anything else
(the Django admin included). A log-in through the municipality's single sign-on (OIDC) is
trusted to have done its own second factor (the identity provider's policy), so it is not
asked again.

``TwoFactorMiddleware`` (after django-otp's ``OTPMiddleware``) enforces it; wrong codes are
throttled by django-otp (each failure doubles the wait), and the password lockout (axes) and
idle timeout apply as before.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from substitution.models import User

# Set in the session by the OIDC log-in (substitution.oidc).
SSO_SESSION_KEY = "substitution_sso"
# Set once a session is known to need no second factor (no device, none required).
NOT_NEEDED_SESSION_KEY = "substitution_2fa_not_needed"


def required_for(user: User) -> bool:
    """True when ``user`` must use a second factor (setting on, and a leading role)."""
    if not settings.TWO_FACTOR_REQUIRED:
        return False
    return user.is_superuser or bool(user.roles() & set(settings.TWO_FACTOR_ROLES))


def has_device(user: User) -> bool:
    return user_has_device(user, confirmed=True)


def unconfirmed_device(user: User) -> TOTPDevice:
    """The user's device being set up (one at a time), created on first call."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Godkendelsesapp", confirmed=False)
    return device


def qr_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth URL as an SVG QR code in a data: URI (CSP allows data: images)."""
    out = io.BytesIO()
    write_qrcode_image(device.config_url, out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for apps without a camera."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def verify(user: User, token: str, *, device: TOTPDevice | None = None) -> TOTPDevice | None:
    """The device that accepts ``token`` (throttled by django-otp), or None."""
    token = token.replace(" ", "")
    candidates = [device] if device is not None else list(devices_for_user(user))
    for candidate in candidates:
        if isinstance(candidate, TOTPDevice) and candidate.verify_is_allowed()[0]:
            if candidate.verify_token(token):
                return candidate
        elif candidate is not None and candidate.verify_token(token):
            return candidate
    return None


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Kode fra godkendelsesappen"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def remember_at_login(
    sender: object, request: HttpRequest | None, user: User, **kwargs: object
) -> None:
    """At log-in: mark the session as needing no second factor when the user has no device
    and none is required (one query per log-in instead of one per request)."""
    session = getattr(request, "session", None)
    if session is None or not isinstance(user, User):
        return
    if not has_device(user) and not required_for(user):
        session[NOT_NEEDED_SESSION_KEY] = True
    else:
        session.pop(NOT_NEEDED_SESSION_KEY, None)


EXEMPT_URL_NAMES = ("otp_verify", "otp_setup", "logout", "healthz")


class TwoFactorMiddleware:
    """Sends a logged-in user who has not given their second factor to the code page (or,
    when one is required and they have no device, to the set-up page)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            isinstance(user, User)
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]
            and not request.session.get(SSO_SESSION_KEY)
            and not request.session.get(NOT_NEEDED_SESSION_KEY)
            and not self._exempt(request)
        ):
            if has_device(user):
                return self._to(request, "otp_verify")
            if required_for(user):
                return self._to(request, "otp_setup")
            # No device and none required: do not ask the database again in this session
            # (a device added later in this session verifies it at once).
            request.session[NOT_NEEDED_SESSION_KEY] = True
        return self.get_response(request)

    @staticmethod
    def _exempt(request: HttpRequest) -> bool:
        if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return True
        return request.path in {reverse(name) for name in EXEMPT_URL_NAMES}

    @staticmethod
    def _to(request: HttpRequest, name: str) -> HttpResponse:
        target = reverse(name)
        if request.method == "GET" and request.headers.get("HX-Request") != "true":
            target += "?" + _next_query(request.get_full_path())
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)


def _next_query(path: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"next": path})
