"""Reads for the API: the token a request carries, and the tokens an administrator manages."""

from __future__ import annotations

from django.http import HttpRequest

from reporting.api.models import ApiToken
from reporting.api.services import PREFIX, hash_token
from substitution.models import User


def bearer(request: HttpRequest) -> str | None:
    """The token of ``Authorization: Bearer <token>`` (None without one)."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip().startswith(PREFIX):
        return None
    return value.strip()


def active_token(token: str) -> ApiToken | None:
    """The unrevoked token with this value whose owner is an active user, else None."""
    return (
        ApiToken.objects.active()
        .select_related("owner")
        .filter(key_hash=hash_token(token), owner__is_active=True)
        .first()
    )


def tokens_for_admin(user: User) -> list[ApiToken]:
    """The tokens an administrator manages: those of their jobcentre's staff."""
    qs = ApiToken.objects.select_related("owner", "created_by", "revoked_by")
    if not user.is_superuser:
        qs = qs.of_unit(user.unit_id)
    return list(qs)


def owners_for_admin(user: User) -> list[User]:
    """Who may be given a token: active staff of the administrator's jobcentre."""
    qs = User.objects.filter(is_active=True)
    if not user.is_superuser:
        qs = qs.filter(unit_id=user.unit_id) if user.unit_id is not None else qs.none()
    return list(qs.order_by("first_name", "last_name", "username"))
