"""Match proposals and candidate shares: a citizen matched to a task, before a placement."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.citizens.models import Citizen
from companies.models import Task

# --- matching and sharing -------------------------------------------------------------------


class MatchProposal(models.Model):
    """A saved match between a citizen and a task, before a placement starts."""

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="proposals")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="proposals")
    score = models.DecimalField(max_digits=6, decimal_places=3, default=0)
    reasons = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("matchforslag")
        verbose_name_plural = _("matchforslag")


class CandidateShare(models.Model):
    """A record that a citizen's profile was shared with a company (candidate overview)."""

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="shares")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="shares")
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(default=timezone.now)
    fields = models.JSONField(default=list)

    class Meta:
        ordering = ["-shared_at", "pk"]
