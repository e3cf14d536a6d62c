"""Companies, their contact people and contact log, agreements, and task maps.

Every state change carries a date (status history, fixed-contact history) so the pipeline
and coordination measures are plain SQL.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from substitution.models import CodeList, Unit, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class TsVectorField(models.Field):
    """A PostgreSQL ``tsvector`` column (plain text on other databases, where it stays NULL).

    Used instead of contrib.postgres' SearchVectorField so the project runs on SQLite
    without django.contrib.postgres installed."""

    def db_type(self, connection: Any) -> str:
        return "tsvector" if connection.vendor == "postgresql" else "text"


# --- code lists -------------------------------------------------------------------------------


class Industry(CodeList):
    """DB07 (Danmarks Statistik) sections and common groups. ``section`` is the letter."""

    section = models.CharField(_("sektion"), max_length=1)

    class Meta(CodeList.Meta):
        verbose_name = _("branche (DB07)")
        verbose_name_plural = _("brancher (DB07)")


class RequirementTag(CodeList):
    """Requirements of a task (kørekort, tunge løft, danskkundskaber, ...)."""

    class Meta(CodeList.Meta):
        verbose_name = _("krav")
        verbose_name_plural = _("krav")


class TargetGroup(CodeList):
    """Target groups a company accepts (aktivitetsparate, unge, flygtninge, ...)."""

    class Meta(CodeList.Meta):
        verbose_name = _("målgruppe")
        verbose_name_plural = _("målgrupper")


class PlacementType(CodeList):
    """Type of company placement. Its flags decide the step and the measures (docs/measures.md):

    - ``at_company``: at a company, so the citizen is in trin 3 (praktik or employment at a
      company; ordinary education is not);
    - ``counts_as_virksomhedsforloeb``: FSM's *virksomhedsforløb mv.* (virksomhedsrettet
      indsats, ordinary hours, fleksjob, ordinary education);
    - ``virksomhedsrettet``: FSM's *virksomhedsrettet indsats* (praktik and løntilskud only);
    - ``unpaid_praktik``: unpaid praktik on benefit (the praktik alerts and measures);
    - ``counts_as_ordinary_hours``: its hours are ordinary hours (never løntilskud or fleksjob);
    - ``is_paid``: the citizen is paid a wage by the company.
    """

    counts_as_ordinary_hours = models.BooleanField(
        _("tæller som ordinære timer"),
        default=False,
        help_text=_("Falsk for løntilskud og fleksjob."),
    )
    at_company = models.BooleanField(
        _("ved en virksomhed (trin 3)"),
        default=True,
        help_text=_("Praktik eller beskæftigelse hos en virksomhed. Falsk for ordinær uddannelse."),
    )
    counts_as_virksomhedsforloeb = models.BooleanField(
        _("tæller som virksomhedsforløb mv."), default=True
    )
    virksomhedsrettet = models.BooleanField(
        _("virksomhedsrettet indsats"),
        default=False,
        help_text=_("Praktik og løntilskud."),
    )
    unpaid_praktik = models.BooleanField(_("ulønnet praktik"), default=False)
    is_paid = models.BooleanField(_("lønnet"), default=False)

    class Meta(CodeList.Meta):
        verbose_name = _("forløbstype")
        verbose_name_plural = _("forløbstyper")


# --- companies ----------------------------------------------------------------------------------


class PipelineStatus(models.TextChoices):
    EMNE = "emne", _("Emne")
    KONTAKTET = "kontaktet", _("Kontaktet")
    KORTLAGT = "kortlagt", _("Kortlagt")
    SAMARBEJDE = "samarbejde", _("Samarbejde")
    INAKTIV = "inaktiv", _("Inaktiv")


class SizeBand(models.TextChoices):
    ANSATTE_1_9 = "1-9", _("1–9 ansatte")
    ANSATTE_10_49 = "10-49", _("10–49 ansatte")
    ANSATTE_50_249 = "50-249", _("50–249 ansatte")
    ANSATTE_250_PLUS = "250+", _("250+ ansatte")


class CompanyQuerySet(models.QuerySet["Company"]):
    def visible_to(self, user: User | AnonymousUser) -> CompanyQuerySet:
        """Every staff member of the jobcentre may read its companies."""
        if user.is_superuser:
            return self
        if not user.is_authenticated or user.unit_id is None:
            return self.none()
        return self.filter(unit_id=user.unit_id)


class Company(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="companies")
    cvr = models.CharField(_("CVR-nummer"), max_length=8)
    p_number = models.CharField(_("P-nummer"), max_length=10, blank=True)
    name = models.CharField(_("navn"), max_length=200)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=4, blank=True, db_index=True)
    city = models.CharField(_("by"), max_length=100, blank=True)
    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("branche")
    )
    size_band = models.CharField(_("størrelse"), max_length=8, choices=SizeBand.choices, blank=True)
    # Current status; every change is also a CompanyStatusChange row (written only by
    # companies.services).
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PipelineStatus.choices,
        default=PipelineStatus.EMNE,
        db_index=True,
    )
    # Current fixed contact; history in FixedContactPeriod (written only by
    # companies.services).
    fixed_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fixed_companies",
        verbose_name=_("fast kontaktperson"),
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, verbose_name=_("målgrupper virksomheden tager imod")
    )
    wants_preselected = models.BooleanField(
        _("ønsker få, forhåndsudvalgte kandidater"), default=True
    )
    wants_cvs = models.BooleanField(_("ønsker CV'er"), default=True)
    notes = models.TextField(_("noter"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    # Taken by every save of the edit form (substitution.versioning): a save based on an
    # older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        verbose_name = _("virksomhed")
        verbose_name_plural = _("virksomheder")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "cvr", "p_number"], name="company_unique_cvr_p_per_unit"
            )
        ]
        indexes = [
            models.Index(fields=["unit", "status"]),
            # The pipeline's page of 50 by name (``queries.pipeline_companies``): an ordered
            # index scan, where PostgreSQL sorted all the jobcentre's companies (4,950 at
            # --scale 33) to take the first 50.
            models.Index(fields=["unit", "name", "id"], name="company_unit_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("companies:company_detail", args=[self.pk])


class CompanyStatusChange(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField(_("status"), max_length=16, choices=PipelineStatus.choices)
    changed_on = models.DateField(_("dato"), default=timezone.localdate, db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["changed_on", "pk"]
        verbose_name = _("statusændring")
        verbose_name_plural = _("statusændringer")


class FixedContactPeriod(models.Model):
    """Who was the company's one fixed contact, and when."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="fixed_contact_history"
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("fra"), default=timezone.localdate)
    ended_on = models.DateField(_("til"), null=True, blank=True)

    class Meta:
        ordering = ["started_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["company"],
                condition=models.Q(ended_on__isnull=True),
                name="one_open_fixed_contact_per_company",
            )
        ]


class ContactPerson(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="contact_people")
    name = models.CharField(_("navn"), max_length=200)
    role = models.CharField(_("rolle"), max_length=100, blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


class ContactChannel(models.TextChoices):
    BESOEG = "besoeg", _("Besøg")
    TELEFON = "telefon", _("Telefon")
    EMAIL = "email", _("E-mail")
    VIDEO = "video", _("Video")
    MOEDE = "moede", _("Møde på jobcentret")


class ContactPurpose(models.TextChoices):
    OPSOEGENDE = "opsoegende", _("Opsøgende")
    OPGAVEKORTLAEGNING = "opgavekortlaegning", _("Opgavekortlægning")
    OPFOELGNING = "opfoelgning", _("Opfølgning")
    REKRUTTERING = "rekruttering", _("Rekruttering")
    ANDET = "andet", _("Andet")


class CompanyContact(models.Model):
    """One entry in the company contact log."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="contacts")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="company_contacts",
        verbose_name=_("medarbejder"),
    )
    occurred_on = models.DateField(_("dato"), default=timezone.localdate)
    channel = models.CharField(_("kanal"), max_length=16, choices=ContactChannel.choices)
    purpose = models.CharField(_("formål"), max_length=24, choices=ContactPurpose.choices)
    contact_person = models.ForeignKey(
        ContactPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("kontaktperson"),
    )
    outcome = models.TextField(_("resultat"), blank=True)
    next_step = models.CharField(_("næste skridt"), max_length=300, blank=True)
    next_step_due = models.DateField(_("frist for næste skridt"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("virksomhedskontakt")
        verbose_name_plural = _("virksomhedskontakter")
        indexes = [models.Index(fields=["company", "occurred_on"])]


class Agreement(models.Model):
    """A partnership agreement with commitments per year."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="agreements")
    signed_on = models.DateField(_("indgået"))
    scope = models.TextField(_("omfang"), blank=True)
    ends_on = models.DateField(_("udløber"), null=True, blank=True)
    target_placements_per_year = models.PositiveIntegerField(
        _("mål: virksomhedsforløb pr. år"), default=0
    )
    target_paid_jobs_per_year = models.PositiveIntegerField(_("mål: lønnede job pr. år"), default=0)

    class Meta:
        ordering = ["-signed_on"]
        verbose_name = _("partnerskabsaftale")
        verbose_name_plural = _("partnerskabsaftaler")

    def is_active(self, day: dt.date) -> bool:
        return self.signed_on <= day and (self.ends_on is None or self.ends_on >= day)


# --- task mapping ------------------------------------------------------------------------------


class MappingSession(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="mapping_sessions")
    held_on = models.DateField(_("dato"), default=timezone.localdate)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("deltagere")
    )
    company_participants = models.CharField(
        _("deltagere fra virksomheden"), max_length=300, blank=True
    )
    problems = models.TextField(_("virksomhedens udfordringer med egne ord"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("opgavekortlægning")
        verbose_name_plural = _("opgavekortlægninger")

    def __str__(self) -> str:
        return _("Opgavekortlægning %(date)s") % {"date": self.held_on.strftime("%d.%m.%Y")}


class TaskStatus(models.TextChoices):
    IDENTIFICERET = "identificeret", _("Identificeret")
    AABEN = "aaben", _("Åben")
    BESAT = "besat", _("Besat")
    LUKKET = "lukket", _("Lukket")


class TaskQuerySet(models.QuerySet["Task"]):
    def visible_to(self, user: User | AnonymousUser) -> TaskQuerySet:
        return self.filter(company__in=Company.objects.visible_to(user))

    def open(self) -> TaskQuerySet:
        return self.filter(status=TaskStatus.AABEN)


class Task(models.Model):
    """A task card from a mapping: work a citizen can do that relieves a skilled job."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="tasks")
    session = models.ForeignKey(
        MappingSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("kortlægning"),
    )
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    department = models.CharField(_("afdeling"), max_length=100, blank=True)
    hours_per_week = models.DecimalField(
        _("timer pr. uge"), max_digits=4, decimal_places=1, default=0
    )
    schedule = models.CharField(_("dage og tidspunkt"), max_length=200, blank=True)
    requirements = models.ManyToManyField(RequirementTag, blank=True, verbose_name=_("krav"))
    relieves = models.CharField(_("aflaster faglært job"), max_length=200, blank=True)
    placement_types = models.ManyToManyField(
        PlacementType, blank=True, verbose_name=_("egnede forløbstyper")
    )
    wage_basis = models.CharField(_("lønforhold"), max_length=200, blank=True)
    positions = models.PositiveSmallIntegerField(_("antal pladser"), default=1)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=TaskStatus.choices,
        default=TaskStatus.IDENTIFICERET,
        db_index=True,
    )
    status_changed_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)
    # PostgreSQL only: the task's title, description, relieved job, department and the
    # company's industry as a Danish tsvector, kept by companies.search.refresh_task_vectors.
    # NULL on SQLite (matching falls back to a token-overlap function there).
    search_vector = TsVectorField(null=True, editable=False)
    # PostgreSQL only, kept with search_vector by refresh_task_vectors: the company's postal
    # code, so that matching (cases.matching.scoring) can prune the open tasks by postal area
    # and hours through an index before scoring them. NULL: not refreshed yet (matching then
    # always scores the task). Checked by ``manage.py check_data`` (opgave-matchfelter).
    company_postal_code = models.CharField(max_length=4, null=True, editable=False)

    # Taken by every save of the edit form (substitution.versioning): a save based on an
    # older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["company", "title"]
        verbose_name = _("opgave")
        verbose_name_plural = _("opgaver")
        indexes = [models.Index(fields=["status", "company"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.company})" if self.company_id else self.title
