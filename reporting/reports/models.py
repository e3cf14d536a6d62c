"""The reports feature's models (re-exported by ``reporting/models.py`` for Django).

A ``ReportRun`` is one request for one report (docs/reports.md): what (type and parameters),
who asked, where it is (queued, running, done, failed), how far (progress), when, the PDF (in
the ``reports`` storage, by Django's storage API) and, for a failure, the error for
administrators. Only ``reporting.reports.services`` writes it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.db import models
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _

from substitution.models import Team, Unit


class ReportType(models.TextChoices):
    SAGSSTAMME = "sagsstamme", _("Sagsstammerapport")
    FIDELITET = "fidelitet", _("Fidelitetsrapport")
    MAANEDLIG_STATUS = "maanedlig_status", _("Månedlig status")
    RESULTATOPGOERELSE = "resultatopgoerelse", _("Resultatopgørelse")


class RunStatus(models.TextChoices):
    KOE = "koe", _("I kø")
    KOERER = "koerer", _("I gang")
    FAERDIG = "faerdig", _("Færdig")
    FEJLET = "fejlet", _("Fejlet")


# A run in one of these may not be requested again: the same request returns it.
IN_PROGRESS = (RunStatus.KOE, RunStatus.KOERER)


class _ReportStorage(LazyObject):
    """``STORAGES["reports"]`` (local files under MEDIA_ROOT by default; S3-compatible by
    configuration, docs/reports.md), else the default storage; looked up on first use and again
    after the STORAGES setting changes (a field's storage is otherwise fixed at import)."""

    def _setup(self) -> None:
        alias = "reports" if "reports" in settings.STORAGES else "default"
        self._wrapped = storages[alias]


_storage = _ReportStorage()


@receiver(setting_changed)
def _storages_changed(setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        _storage._wrapped = empty  # type: ignore[assignment]


def report_storage() -> Storage:
    """The storage of generated PDFs (the field's storage callable)."""
    return cast(Storage, _storage)


def report_path(run: ReportRun, filename: str) -> str:
    now = timezone.now()
    return f"rapporter/{now:%Y}/{now:%m}/{filename}"


class ReportRunQuerySet(models.QuerySet["ReportRun"]):
    def visible_to(self, user: Any) -> ReportRunQuerySet:
        """The runs a user may see and download: the jobcentre's for a leder or an
        administrator; for everyone else the runs about one of their own teams (a run about the
        whole jobcentre, ``team`` empty, shows other teams' numbers, so only unit-wide roles
        see it). Who requested a run does not matter: the data does."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self
        if user.is_unit_wide:
            return self.filter(unit_id=user.unit_id)
        return self.filter(unit_id=user.unit_id, team_id__in=user.team_ids())

    def in_progress(self) -> ReportRunQuerySet:
        return self.filter(status__in=IN_PROGRESS)


class ReportRun(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    # The team the report is about; empty: the whole jobcentre.
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    report_type = models.CharField(_("rapport"), max_length=32, choices=ReportType.choices)
    parameters = models.JSONField(_("parametre"), default=dict, blank=True)
    # Type, unit, team and parameters in one canonical string: one run in progress per key.
    request_key = models.CharField(max_length=64, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bestilt af"),
    )
    scheduled = models.BooleanField(_("planlagt kørsel"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.KOE
    )
    progress = models.PositiveSmallIntegerField(_("fremdrift (%)"), default=0)
    step = models.CharField(_("trin"), max_length=200, blank=True)
    requested_at = models.DateTimeField(_("bestilt"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("startet"), null=True, blank=True)
    # Written with every progress step: a run "running" without a heartbeat for
    # REPORT_STALE_MINUTES was left by a dead worker and is queued again.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("færdig"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("forsøg"), default=0)
    file = models.FileField(
        _("fil"), upload_to=report_path, storage=report_storage, max_length=300, blank=True
    )
    file_size = models.PositiveIntegerField(_("størrelse (bytes)"), null=True, blank=True)
    page_count = models.PositiveIntegerField(_("sider"), null=True, blank=True)
    file_deleted_at = models.DateTimeField(_("fil slettet"), null=True, blank=True)
    # For administrators: the exception; users see a Danish message.
    error = models.TextField(_("fejl"), blank=True)

    objects = ReportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("rapportkørsel")
        verbose_name_plural = _("rapportkørsler")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request_key"],
                condition=Q(status__in=["koe", "koerer"]),
                name="reportrun_one_in_progress_per_request",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="reportrun_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_report_type_display()} #{self.pk}"

    @property
    def is_in_progress(self) -> bool:
        return self.status in IN_PROGRESS

    @property
    def is_done(self) -> bool:
        return self.status == RunStatus.FAERDIG

    @property
    def period_text(self) -> str:
        """The period as the pages show it: 01.11.2026–30.11.2026."""
        text = str(self.parameters.get("period", ""))
        if ":" not in text:
            return text
        first, last = (dt.date.fromisoformat(part) for part in text.split(":", 1))
        return f"{first:%d.%m.%Y}–{last:%d.%m.%Y}"

    @property
    def has_file(self) -> bool:
        return bool(self.file) and self.file_deleted_at is None
