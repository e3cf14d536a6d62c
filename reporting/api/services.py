"""The only writers of API tokens: issue, revoke, and record a use (docs/api.md). Each writes
its audit row (``substitution.audit.write``)."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from reporting.api.models import ApiToken
from substitution.audit import AuditContext, write
from substitution.models import AuditAction, User

PREFIX = "sbt_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue(owner: User, name: str, *, actor: User, context: AuditContext) -> tuple[ApiToken, str]:
    """A new token for ``owner``: the row, and the token itself (shown once, never stored)."""
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        owner=owner,
        name=name,
        prefix=token[: len(PREFIX) + 6],
        key_hash=hash_token(token),
        created_by=actor,
    )
    write(
        actor,
        AuditAction.CREATE,
        row,
        context=context,
        changes={"ejer": owner.username, "navn": name},
    )
    return row, token


@transaction.atomic
def revoke(token: ApiToken, *, actor: User, context: AuditContext) -> ApiToken:
    """Revoke ``token`` (from now on every request with it is refused). Idempotent."""
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor
    )
    token.refresh_from_db()
    if updated:
        write(actor, AuditAction.CHANGE, token, context=context, changes={"tilbagekaldt": True})
    return token


@transaction.atomic
def record_use(token: ApiToken, path: str, *, context: AuditContext) -> None:
    """A request answered with ``token``: the audit row (as its owner) and the last use."""
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    write(
        token.owner,
        AuditAction.EXPORT,
        token,
        context=context,
        object_repr=f"API: {path} ({token.prefix}…)"[:300],
        changes={"api_noegle": token.pk, "sti": path[:500]},
    )
