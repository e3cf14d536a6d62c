"""The organisation (jobcentre, teams, staff and roles), the audit log, follow-ups,
thresholds and the code-list base class shared by every app."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar, Self

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from substitution import days


class Role(models.TextChoices):
    JOBFORMIDLER = "jobformidler", _("Jobformidler")
    VIRKSOMHEDSKONSULENT = "virksomhedskonsulent", _("Virksomhedskonsulent")
    MENTOR = "mentor", _("Mentor")
    TEAMLEDER = "teamleder", _("Teamleder")
    LEDER = "leder", _("Leder")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles whose scope is the whole jobcentre rather than their own teams.
UNIT_WIDE_ROLES = frozenset({Role.LEDER, Role.ADMINISTRATOR})


class Unit(models.Model):
    """A jobcentre."""

    name = models.CharField(_("navn"), max_length=200, unique=True)
    municipality_code = models.CharField(_("kommunekode"), max_length=3, blank=True)

    class Meta:
        verbose_name = _("jobcenter")
        verbose_name_plural = _("jobcentre")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("navn"), max_length=200)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["unit", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="team_unique_name_per_unit")
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A staff member. Roles come from team memberships."""

    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("jobcenter"),
    )

    objects: ClassVar[UserManager[Self]] = UserManager()

    class Meta:
        verbose_name = _("medarbejder")
        verbose_name_plural = _("medarbejdere")
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    # --- roles ---------------------------------------------------------------------------
    def roles(self) -> set[str]:
        """All roles this user holds in any team (cached on the instance)."""
        cached: set[str] | None = getattr(self, "_roles_cache", None)
        if cached is None:
            cached = set(self.memberships.values_list("role", flat=True))
            self._roles_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles() & set(roles))

    @property
    def is_unit_wide(self) -> bool:
        return self.is_superuser or self.has_role(*UNIT_WIDE_ROLES)

    def primary_role(self) -> str | None:
        """The role that decides the landing page: the most senior one held."""
        order = [
            Role.ADMINISTRATOR,
            Role.LEDER,
            Role.TEAMLEDER,
            Role.VIRKSOMHEDSKONSULENT,
            Role.JOBFORMIDLER,
            Role.MENTOR,
        ]
        held = self.roles()
        for role in order:
            if role in held:
                return str(role)
        return Role.ADMINISTRATOR.value if self.is_superuser else None

    def team_ids(self) -> list[int]:
        """Teams the user is a member of, in any role (cached on the instance like ``roles``:
        a request's user is loaded per request, and every citizen query of a page asks)."""
        cached: list[int] | None = getattr(self, "_team_ids_cache", None)
        if cached is None:
            cached = list(self.memberships.values_list("team_id", flat=True).distinct())
            self._team_ids_cache = cached
        return list(cached)

    def led_team_ids(self) -> list[int]:
        return list(self.memberships.filter(role=Role.TEAMLEDER).values_list("team_id", flat=True))


class MembershipQuerySet(models.QuerySet["Membership"]):
    def with_role(self, role: str) -> MembershipQuerySet:
        return self.filter(role=role)


class Membership(models.Model):
    """A user's role in a team. A user may hold several (e.g. jobformidler in two teams)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rolle"), max_length=32, choices=Role.choices, db_index=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("teammedlemskab")
        verbose_name_plural = _("teammedlemskaber")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "team", "role"], name="membership_unique_role_per_team"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.team} · {self.get_role_display()}"


# --- code lists ---------------------------------------------------------------------------


class CodeQuerySet(models.QuerySet[Any]):
    def valid_on(self, day: dt.date | None = None) -> CodeQuerySet:
        """Values that may be chosen on ``day`` (default today)."""
        day = day or days.today()
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class CodeList(models.Model):
    """Base for every code list: values with a validity period, editable in the admin.

    A retired value (valid_to in the past) stays on old records but cannot be chosen for new
    ones: forms limit their choices with ``valid_on()`` (see ``substitution.forms``).
    """

    code = models.SlugField(_("kode"), max_length=64, unique=True)
    label = models.CharField(_("betegnelse"), max_length=200)
    valid_from = models.DateField(_("gyldig fra"), default=dt.date(2000, 1, 1))
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    objects = CodeQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["sort_order", "label"]

    def __str__(self) -> str:
        return self.label

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


# --- thresholds and targets as data --------------------------------------------------------


class Threshold(models.Model):
    """A configurable number (days, weeks, hours, counts) with a validity start.

    Read through ``substitution.thresholds.get``; the defaults there apply until an
    administrator records a value.
    """

    key = models.SlugField(_("nøgle"), max_length=64)
    value = models.DecimalField(_("værdi"), max_digits=10, decimal_places=2)
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("jobcenter")
    )
    valid_from = models.DateField(_("gyldig fra"), default=dt.date(2000, 1, 1))
    note = models.CharField(_("bemærkning"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("tærskelværdi")
        verbose_name_plural = _("tærskelværdier")
        ordering = ["key", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "unit", "valid_from"], name="threshold_unique_key_unit_from"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"

    @property
    def as_number(self) -> Decimal:
        return self.value


# --- follow-ups -----------------------------------------------------------------------------


class FollowUpQuerySet(models.QuerySet["FollowUp"]):
    def open(self) -> FollowUpQuerySet:
        return self.filter(done_at__isnull=True)

    def due_by(self, day: dt.date) -> FollowUpQuerySet:
        return self.open().filter(due_on__lte=day)

    def for_subject(self, obj: models.Model) -> FollowUpQuerySet:
        ct = ContentType.objects.get_for_model(obj)
        return self.filter(subject_type=ct, subject_id=obj.pk)


class FollowUp(models.Model):
    """Something to do by a date: for a citizen, a company or a placement.

    The subject is generic so that every app can create follow-ups without the project
    package depending on them.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("ansvarlig"),
    )
    due_on = models.DateField(_("frist"), db_index=True)
    # The meeting's time, when the next step is a meeting (the quick-log's optional "kl."):
    # the calendar invitation (.ics) is then a timed event instead of an all-day one.
    due_time = models.TimeField(_("klokkeslæt"), null=True, blank=True)
    title = models.CharField(_("opfølgning"), max_length=300)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    done_at = models.DateTimeField(_("udført"), null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("opfølgning")
        verbose_name_plural = _("opfølgninger")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["owner", "done_at", "due_on"]),
            # Open follow-ups of a set of citizens by due date (the overdue measure, a team's
            # counts): 20,000 open among 210,000 at scale 33, so only the open ones.
            models.Index(
                fields=["subject_type", "subject_id", "due_on"],
                condition=models.Q(done_at__isnull=True),
                name="followup_open_subject_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, day: dt.date) -> bool:
        """Open and due before ``day``: the one definition, used by the citizen and company
        pages (``cases.citizens.queries.due_counts`` counts the same in SQL)."""
        return self.done_at is None and self.due_on < day


# --- audit log -------------------------------------------------------------------------------


class AuditAction(models.TextChoices):
    VIEW = "view", _("Visning")
    REVEAL_CPR = "reveal_cpr", _("Visning af fuldt CPR-nummer")
    CREATE = "create", _("Oprettelse")
    CHANGE = "change", _("Ændring")
    DELETE = "delete", _("Sletning")
    EXPORT = "export", _("Eksport")
    SHARE = "share", _("Deling med virksomhed")
    IMPORT = "import", _("Import")
    SEARCH = "search", _("Søgning")


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit events are immutable")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are immutable")


class AuditEvent(models.Model):
    """One line in the audit log. Rows are only ever inserted (see ``substitution.audit``)."""

    at = models.DateTimeField(_("tidspunkt"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bruger"),
    )
    action = models.CharField(_("handling"), max_length=16, choices=AuditAction.choices)
    object_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("type")
    )
    object_id = models.CharField(_("objekt-id"), max_length=64, blank=True)
    object_repr = models.CharField(_("objekt"), max_length=300, blank=True)
    # The citizen the event concerns, if any, so "who looked at this citizen" is one index scan.
    citizen_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    changes = models.JSONField(_("ændrede felter"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("logpost")
        verbose_name_plural = _("revisionslog")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["user", "at"]),
        ]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()} {self.object_repr}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("Audit events are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are immutable")
