"""Single sign-on with the municipality's identity provider (OpenID Connect, code flow with
PKCE; Microsoft Entra ID is the usual one), with mozilla-django-oidc.

Configured from the environment (settings ``OIDC_*``, README); off while ``OIDC_RP_CLIENT_ID``
is unset, and then ``/oidc/…`` answers 404. The local log-in (user name and password) stays
for the demo, tests and emergencies.

Who is logged in: a claim of the verified ID token (``OIDC_USERNAME_CLAIM``, default
``preferred_username``, in Entra ID the user principal name) is matched, case-insensitively,
to an existing active user's ``OIDC_USER_FIELD`` (``username`` or ``email``). No user is
ever created: staff, jobcentre and roles are managed here. The ID token must be signed with
``OIDC_RP_SIGN_ALGO`` by a key from the provider's JWKS, be for this client (``aud``), come
from ``OIDC_OP_ISSUER`` when set, and not be expired; the nonce and state are checked by
mozilla-django-oidc. A session started this way is marked, so the TOTP step
(substitution/two_factor.py) leaves multi-factor to the provider.
"""

from __future__ import annotations

import logging
from typing import Any

import jwt
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from substitution.models import User
from substitution.two_factor import SSO_SESSION_KEY

logger = logging.getLogger(__name__)


class SubstitutionOIDCBackend(OIDCAuthenticationBackend):
    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        try:
            user = super().authenticate(request, **kwargs)
        except SuspiciousOperation as exc:  # a token that fails a check: a failed log-in
            logger.warning("Single sign-on refused: %s", exc)
            return None
        if user is not None and request is not None:
            request.session[SSO_SESSION_KEY] = True
        return user

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        """The ID token's claims (verified); the userinfo endpoint only when configured
        (Entra ID's does not carry ``preferred_username``)."""
        if settings.OIDC_OP_USER_ENDPOINT:
            return {**payload, **super().get_userinfo(access_token, id_token, payload)}
        return payload

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(str(claims.get(settings.OIDC_USERNAME_CLAIM) or "").strip())

    def describe_user_by_claims(self, claims: dict[str, Any]) -> str:
        return f"{settings.OIDC_USERNAME_CLAIM} {claims.get(settings.OIDC_USERNAME_CLAIM)!r}"

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        value = str(claims.get(settings.OIDC_USERNAME_CLAIM) or "").strip()
        field = settings.OIDC_USER_FIELD
        if not value or field not in {"username", "email"}:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(**{f"{field}__iexact": value}, is_active=True)

    def create_user(self, claims: dict[str, Any]) -> None:
        raise SuspiciousOperation("Single sign-on never creates users")

    def _verify_jws(self, payload: str, key: Any) -> dict[str, Any]:
        """As mozilla-django-oidc's, but the audience, issuer and expiry are checked too."""
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("ID token signed with an unexpected algorithm")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_OP_ISSUER or None,
                options={"require": ["exp", "iat", "aud"]},
            )
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"ID token refused: {exc}") from exc


def _enabled() -> None:
    if not settings.OIDC_ENABLED:
        raise Http404


@login_not_required
def start(request: HttpRequest) -> HttpResponse:
    """Redirect to the identity provider (state, nonce and PKCE kept in the session)."""
    _enabled()
    return OIDCAuthenticationRequestView.as_view()(request)


@login_not_required
def callback(request: HttpRequest) -> HttpResponse:
    """Back from the identity provider: log the matched user in, or back to the log-in page
    with a Danish message."""
    _enabled()
    return OIDCAuthenticationCallbackView.as_view()(request)
