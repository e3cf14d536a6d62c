"""Personal API tokens (docs/api.md). Only a hash of a token is stored: the token itself is
shown once, when an administrator issues it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["ApiToken"]


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)

    def of_unit(self, unit_id: int | None) -> ApiTokenQuerySet:
        return self.filter(owner__unit_id=unit_id)


class ApiToken(models.Model):
    """A personal token: requests with it see what its owner sees, nothing more."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("ejer"),
    )
    name = models.CharField(_("navn"), max_length=100, help_text=_("Fx “Power BI, økonomi”."))
    # The first characters of the token, to tell tokens apart in lists and the audit log.
    prefix = models.CharField(_("begynder med"), max_length=12)
    # SHA-256 of the whole token, hex: a token has 256 random bits, so a fast hash suffices.
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("udstedt"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("udstedt af"),
    )
    revoked_at = models.DateTimeField(_("tilbagekaldt"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("tilbagekaldt af"),
    )
    last_used_at = models.DateTimeField(_("senest brugt"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        app_label = "reporting"
        verbose_name = _("API-nøgle")
        verbose_name_plural = _("API-nøgler")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
