"""Citizens and their case: code lists, the citizen record, jobformidler history, CV and job
goals, consents, plans with sub-goals, progression reviews, conversations.

History is kept instead of overwritten: assignments, plan revisions and conversation
revisions are rows of their own. The step is derived (``cases.citizens.steps``), never stored.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from substitution import thresholds
from substitution.indexes import NullsOrderedIndex
from substitution.models import CodeList, Team, Unit, User

# --- code lists -------------------------------------------------------------------------------


class BenefitType(CodeList):
    class Meta(CodeList.Meta):
        verbose_name = _("ydelse")
        verbose_name_plural = _("ydelser")


class ReadinessCategory(CodeList):
    class Meta(CodeList.Meta):
        verbose_name = _("parathedskategori")
        verbose_name_plural = _("parathedskategorier")


class VisitationGroup(CodeList):
    class Meta(CodeList.Meta):
        verbose_name = _("visitationsgruppe")
        verbose_name_plural = _("visitationsgrupper")


class ConversationKind(CodeList):
    """``counts_for_cadence``: a held conversation of this kind restarts the contact-cadence
    clock (docs/measures.md); ongoing contact (drop-in) does not by default."""

    counts_for_cadence = models.BooleanField(_("tæller i samtalekadencen"), default=True)

    class Meta(CodeList.Meta):
        verbose_name = _("samtaletype")
        verbose_name_plural = _("samtaletyper")


class Channel(CodeList):
    """``counts_for_cadence``: conversations in this channel count for the contact cadence;
    by default SMS and telephone do not (the evaluators separate them from the 4-6-weekly
    conversations, docs/measures.md)."""

    counts_for_cadence = models.BooleanField(_("tæller i samtalekadencen"), default=True)

    class Meta(CodeList.Meta):
        verbose_name = _("kanal")
        verbose_name_plural = _("kanaler")


class ExitCategory(models.TextChoices):
    """What an exit means for the measures (docs/measures.md)."""

    JOB = "job", _("Job på ordinære vilkår")
    JOB_SAERLIGE_VILKAAR = "job_saerlige_vilkaar", _("Job på særlige vilkår")
    UDDANNELSE = "uddannelse", _("Uddannelse")
    AFKLARING = "afklaring", _("Afklaret (fx førtidspension, ressourceforløb, fleksjob)")
    ANDET = "andet", _("Andet (fx fraflytning, mistet ret til ydelse)")


# Exits that make the citizen self-supporting (the trin-for-trin evaluation: job or education).
SELF_SUPPORTING_EXITS = (ExitCategory.JOB, ExitCategory.UDDANNELSE)
# Exits into a job, on ordinary or special terms.
JOB_EXITS = (ExitCategory.JOB, ExitCategory.JOB_SAERLIGE_VILKAAR)


class ExitReason(CodeList):
    category = models.CharField(
        _("kategori"), max_length=24, choices=ExitCategory.choices, default=ExitCategory.ANDET
    )

    class Meta(CodeList.Meta):
        verbose_name = _("afslutningsårsag")
        verbose_name_plural = _("afslutningsårsager")


class Barrier(CodeList):
    """Barriers. Health-related ones are special-category data: never shared with companies."""

    is_health = models.BooleanField(_("helbredsoplysning"), default=False)
    excludes_requirements = models.ManyToManyField(
        "companies.RequirementTag",
        blank=True,
        related_name="excluding_barriers",
        verbose_name=_("udelukker opgaver med krav"),
    )

    class Meta(CodeList.Meta):
        verbose_name = _("barriere")
        verbose_name_plural = _("barrierer")


# --- citizens ----------------------------------------------------------------------------------


class CitizenStatus(models.TextChoices):
    AKTIV = "aktiv", _("Aktiv")
    PAUSE = "pause", _("Pause")
    AFSLUTTET = "afsluttet", _("Afsluttet")


def caseload_statuses(unit: Unit | int | None = None, on: dt.date | None = None) -> list[str]:
    """The statuses that count as *caseload*: aktiv, and pause when the threshold
    ``caseload_counts_pause`` says so (data, docs/measures.md). Min dag, the caseload list and
    the measures all read it."""
    statuses = [CitizenStatus.AKTIV.value]
    if thresholds.get("caseload_counts_pause", unit, on):
        statuses.append(CitizenStatus.PAUSE.value)
    return statuses


def visible_q(user: User, path: str = "") -> Q:
    """``CitizenQuerySet.visible_to``'s rule (for an authenticated user) as a condition on the
    citizen at ``path`` (``"citizen__"`` from a placement): for a query that joins the citizen
    anyway. ``citizen__in=Citizen.objects.visible_to(user)`` adds a subquery that reads every
    citizen of the user's teams (4,950 at ``--scale 33``) and a second copy of the citizen
    table for the planner (docs/performance.md, the hours grid)."""
    if user.is_superuser:
        return Q()
    if user.is_unit_wide:
        return Q(**{f"{path}unit_id": user.unit_id})
    return Q(**{f"{path}team_id__in": user.team_ids()})


class CitizenQuerySet(models.QuerySet["Citizen"]):
    def visible_to(self, user: User | AnonymousUser) -> CitizenQuerySet:
        """The one place that decides which citizens a user may see.

        jobformidler, mentor, virksomhedskonsulent: citizens of their own team(s);
        teamleder: citizens of the teams they lead (and any they are a member of);
        leder, administrator: the whole jobcentre; superuser: everything.
        """
        if isinstance(user, AnonymousUser) or not user.is_authenticated:
            return self.none()
        return self.filter(visible_q(user))

    def active(self) -> CitizenQuerySet:
        return self.filter(status=CitizenStatus.AKTIV)

    def in_caseload(self, unit: Unit | int | None = None) -> CitizenQuerySet:
        """Citizens whose status counts as caseload (``caseload_statuses``)."""
        return self.filter(status__in=caseload_statuses(unit))

    def with_last_held_conversation(self) -> CitizenQuerySet:
        """Annotate ``last_held_at``: the latest held conversation that counts for the contact
        cadence (``cadence_conversations``; None if never)."""
        latest = (
            cadence_conversations()
            .filter(citizen=OuterRef("pk"))
            .order_by("-occurred_at")
            .values("occurred_at")[:1]
        )
        return self.annotate(last_held_at=Subquery(latest))

    def without_held_conversation_since(self, since: dt.datetime) -> CitizenQuerySet:
        """Citizens with no held conversation that counts for the cadence at or after
        ``since``."""
        recent = cadence_conversations().filter(citizen=OuterRef("pk"), occurred_at__gte=since)
        return self.exclude(Exists(recent))


class Citizen(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="citizens")
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="citizens", verbose_name=_("team")
    )
    # Ten digits, no dash. Never in a URL; shown masked except where a role needs it.
    cpr = models.CharField(_("CPR-nummer"), max_length=10)
    first_name = models.CharField(_("fornavn"), max_length=100)
    last_name = models.CharField(_("efternavn"), max_length=100)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=4, blank=True)
    benefit_type = models.ForeignKey(
        BenefitType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("ydelse")
    )
    readiness = models.ForeignKey(
        ReadinessCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("parathed"),
    )
    visitation_group = models.ForeignKey(
        VisitationGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("visitationsgruppe"),
    )
    visitation_date = models.DateField(_("visitationsdato"), null=True, blank=True)
    benefit_spell_start = models.DateField(
        _("start på sammenhængende ydelsesforløb"), null=True, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CitizenStatus.choices,
        default=CitizenStatus.AKTIV,
        db_index=True,
    )
    status_changed_on = models.DateField(_("status ændret"), default=timezone.localdate)
    # The day the case opened: inflow, and who was in a population in a past period.
    opened_on = models.DateField(_("sag åbnet"), default=timezone.localdate, db_index=True)
    exit_reason = models.ForeignKey(
        ExitReason,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("afslutningsårsag"),
    )
    exit_date = models.DateField(_("afslutningsdato"), null=True, blank=True)
    # Current personal jobformidler. History: Assignment rows, both written by
    # cases.citizens.services.assign() only.
    jobformidler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caseload",
        verbose_name=_("personlig jobformidler"),
    )
    # CV and resources (FSM element 1 and 5).
    cv_present = models.BooleanField(_("CV oprettet"), default=False)
    cv_updated_on = models.DateField(_("CV senest opdateret"), null=True, blank=True)
    resources = models.TextField(_("ressourcer"), blank=True)
    barriers = models.ManyToManyField(Barrier, blank=True, verbose_name=_("barrierer"))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when the personal data of a long-closed case was removed (cases.privacy.anonymise).
    anonymised_on = models.DateField(_("anonymiseret"), null=True, blank=True, editable=False)

    # Taken by every save of the edit form (substitution.versioning): a save based on an
    # older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    # Maintained facts the caseload sorts by over a whole jobcentre (docs/performance.md):
    # written only by cases.citizens.facts.refresh, which the writers of conversations and
    # follow-ups (cases.citizens.services) call; checked by manage.py check_data.
    last_held_conversation_at = models.DateTimeField(
        _("seneste afholdte samtale"), null=True, blank=True, editable=False
    )
    next_follow_up_on = models.DateField(
        _("næste åbne opfølgning"), null=True, blank=True, editable=False
    )
    # The step on today (cases.citizens.steps.step_on: 0 afsluttet, 1-3), for the caseload's
    # sort and filter by trin over a whole jobcentre. Written by the same facts.refresh, which
    # the writers of its inputs (status, job goals, placements, the code-list flags) call, and
    # by the hourly date pass (facts.refresh_dated_steps) when a date passes.
    current_step = models.PositiveSmallIntegerField(
        _("trin i dag"), default=1, db_default=1, editable=False
    )

    objects = CitizenQuerySet.as_manager()

    class Meta:
        verbose_name = _("borger")
        verbose_name_plural = _("borgere")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "cpr"], name="citizen_unique_cpr_per_unit")
        ]
        indexes = [
            models.Index(fields=["team", "status"]),
            models.Index(fields=["jobformidler", "status"]),
            models.Index(fields=["unit", "status"]),
            # The caseload's sorts over a whole jobcentre or team read the first page in index
            # order instead of sorting every citizen (docs/performance.md, "Daily pages").
            models.Index(
                "unit", "status", "last_name", "first_name", "id", name="citizen_unit_name_idx"
            ),
            models.Index(
                "team", "status", "last_name", "first_name", "id", name="citizen_team_name_idx"
            ),
            # The list behind a dashboard figure (every status: a period's citizens include
            # those who left in it) reads its first page in name order
            # (reporting.dashboards.drilldown; docs/performance.md, "The dashboards").
            models.Index("team", "last_name", "first_name", "id", name="citizen_team_all_name_idx"),
            models.Index("unit", "last_name", "first_name", "id", name="citizen_unit_all_name_idx"),
            NullsOrderedIndex(
                "unit",
                "status",
                F("last_held_conversation_at").asc(nulls_first=True),
                name="citizen_unit_contact_idx",
            ),
            models.Index(
                "unit", "status", F("next_follow_up_on").asc(), name="citizen_unit_follow_up_idx"
            ),
            NullsOrderedIndex(
                "unit",
                "status",
                F("next_follow_up_on").asc(nulls_first=True),
                name="citizen_unit_follow_up_nf_idx",
            ),
            # The same sorts over a team (a teamleder's caseload; issue 13: sorting a team of
            # 4,400 active citizens by contact read all of them, about 20 ms of SQL).
            NullsOrderedIndex(
                "team",
                "status",
                F("last_held_conversation_at").asc(nulls_first=True),
                name="citizen_team_contact_idx",
            ),
            models.Index(
                "team", "status", F("next_follow_up_on").asc(), name="citizen_team_follow_up_idx"
            ),
            NullsOrderedIndex(
                "team",
                "status",
                F("next_follow_up_on").asc(nulls_first=True),
                name="citizen_team_follow_up_nf_idx",
            ),
            # The leder's and the teamleder's caseload sorted (or filtered) by trin: the
            # maintained step, then the name, in both orders of the step.
            models.Index(
                fields=["unit", "status", "current_step", "last_name", "first_name", "id"],
                name="citizen_unit_step_idx",
            ),
            models.Index(
                fields=["unit", "status", "-current_step", "last_name", "first_name", "id"],
                name="citizen_unit_step_desc_idx",
            ),
            models.Index(
                fields=["team", "status", "current_step", "last_name", "first_name", "id"],
                name="citizen_team_step_idx",
            ),
            models.Index(
                fields=["team", "status", "-current_step", "last_name", "first_name", "id"],
                name="citizen_team_step_desc_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("cases:citizen_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def masked_cpr(self) -> str:
        from cases.citizens.cpr import mask

        return mask(self.cpr)


class Assignment(models.Model):
    """A period in which a staff member was the citizen's personal jobformidler."""

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="assignments")
    jobformidler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("jobformidler"),
    )
    started_on = models.DateField(_("fra"))
    ended_on = models.DateField(_("til"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["started_on", "pk"]
        verbose_name = _("tildeling")
        verbose_name_plural = _("tildelinger")
        constraints = [
            models.UniqueConstraint(
                fields=["citizen"],
                condition=Q(ended_on__isnull=True),
                name="one_open_assignment_per_citizen",
            )
        ]
        indexes = [models.Index(fields=["jobformidler", "ended_on"])]


class VisitationPeriod(models.Model):
    """A period in one visitation group. ``Citizen.visitation_group`` and ``visitation_date``
    are the open period's copy, written only by ``cases.citizens.services.set_visitation``
    (checked by ``manage.py check_data``); populations *as of a date* read the periods."""

    citizen = models.ForeignKey(
        Citizen, on_delete=models.CASCADE, related_name="visitation_periods"
    )
    group = models.ForeignKey(
        VisitationGroup, on_delete=models.PROTECT, verbose_name=_("visitationsgruppe")
    )
    starts_on = models.DateField(_("fra"))
    ends_on = models.DateField(_("til"), null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("visitationsperiode")
        verbose_name_plural = _("visitationsperioder")
        constraints = [
            models.UniqueConstraint(
                fields=["citizen"],
                condition=Q(ends_on__isnull=True),
                name="one_open_visitation_period_per_citizen",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="visitation_period_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["citizen", "starts_on"])]


class BenefitPeriod(models.Model):
    """A period on one benefit. No period covering a day means no benefit that day (ren
    beskæftigelse, docs/measures.md). ``Citizen.benefit_type`` is the open period's copy,
    written only by ``cases.citizens.services.set_benefit`` (checked by ``check_data``)."""

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="benefit_periods")
    benefit_type = models.ForeignKey(
        BenefitType, on_delete=models.PROTECT, verbose_name=_("ydelse")
    )
    starts_on = models.DateField(_("fra"))
    ends_on = models.DateField(_("til"), null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("ydelsesperiode")
        verbose_name_plural = _("ydelsesperioder")
        constraints = [
            models.UniqueConstraint(
                fields=["citizen"],
                condition=Q(ends_on__isnull=True),
                name="one_open_benefit_period_per_citizen",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="benefit_period_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["citizen", "starts_on"])]


class JobGoal(models.Model):
    """A concrete job goal. Ended goals keep their dates (history)."""

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="job_goals")
    title = models.CharField(_("stilling/branche"), max_length=200)
    hours_per_week = models.DecimalField(
        _("ønskede timer pr. uge"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    own_wish = models.BooleanField(_("borgerens eget ønske"), default=True)
    experience = models.TextField(_("relevant erfaring"), blank=True)
    created_on = models.DateField(_("oprettet"), default=timezone.localdate)
    ended_on = models.DateField(_("afsluttet"), null=True, blank=True)

    class Meta:
        ordering = ["-created_on", "pk"]
        verbose_name = _("jobmål")
        verbose_name_plural = _("jobmål")
        indexes = [models.Index(fields=["citizen", "ended_on"])]

    def __str__(self) -> str:
        return self.title


class Consent(models.Model):
    """Consent to share information with a company."""

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="consents")
    given_on = models.DateField(_("givet"))
    scope = models.CharField(_("omfang"), max_length=300)
    withdrawn_on = models.DateField(_("tilbagekaldt"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-given_on", "pk"]
        verbose_name = _("samtykke")
        verbose_name_plural = _("samtykker")

    def is_active(self, day: dt.date) -> bool:
        return self.given_on <= day and (self.withdrawn_on is None or self.withdrawn_on > day)


# --- plan ----------------------------------------------------------------------------------


class Plan(models.Model):
    citizen = models.OneToOneField(Citizen, on_delete=models.CASCADE, related_name="plan")
    end_goal = models.TextField(_("slutmål"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Taken by every save of the edit form (substitution.versioning): a save based on an
    # older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("planer")


class SubGoalStatus(models.TextChoices):
    AABEN = "aaben", _("Åben")
    OPNAAET = "opnaaet", _("Opnået")
    OPGIVET = "opgivet", _("Opgivet")


class SubGoal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sub_goals")
    title = models.CharField(_("delmål"), max_length=300)
    due_on = models.DateField(_("frist"), null=True, blank=True)
    owner = models.CharField(_("ansvarlig"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=SubGoalStatus.choices, default=SubGoalStatus.AABEN
    )
    created_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("delmål")
        verbose_name_plural = _("delmål")

    def __str__(self) -> str:
        return self.title


class PlanRevision(models.Model):
    """A snapshot of the plan (end goal and sub-goals) after each change."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="revisions")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    summary = models.CharField(_("ændring"), max_length=300, blank=True)
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("planrevision")
        verbose_name_plural = _("planrevisioner")


class ReviewOutcome(models.TextChoices):
    OPNAAET = "opnaaet", _("Opnået")
    BEVAEGER = "bevaeger", _("Bevæger sig")
    STAAR_STILLE = "staar_stille", _("Bevæger sig ikke")
    JUSTERET = "justeret", _("Justeret")


class ProgressReview(models.Model):
    """A 6-weekly progression review of one sub-goal (progressionsmåling, docs/domain.md)."""

    sub_goal = models.ForeignKey(SubGoal, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("dato"), default=timezone.localdate, db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("vurdering"), max_length=16, choices=ReviewOutcome.choices)
    note = models.CharField(_("bemærkning"), max_length=300, blank=True)

    class Meta:
        ordering = ["reviewed_on", "pk"]
        verbose_name = _("progressionsmåling")
        verbose_name_plural = _("progressionsmålinger")


# --- conversations --------------------------------------------------------------------------


class ConversationOutcome(models.TextChoices):
    AFHOLDT = "afholdt", _("Afholdt")
    AFLYST = "aflyst", _("Aflyst")
    UDEBLEVET = "udeblevet", _("Udeblevet")


class Conversation(models.Model):
    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="conversations")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conversations"
    )
    occurred_at = models.DateTimeField(_("tidspunkt"), default=timezone.now)
    kind = models.ForeignKey(ConversationKind, on_delete=models.PROTECT, verbose_name=_("type"))
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, verbose_name=_("kanal"))
    job_focused = models.BooleanField(_("jobrettet"), default=True)
    outcome = models.CharField(
        _("afholdt?"),
        max_length=16,
        choices=ConversationOutcome.choices,
        default=ConversationOutcome.AFHOLDT,
    )
    note = models.TextField(_("notat"), blank=True)
    next_step = models.CharField(_("aftalt næste skridt"), max_length=300, blank=True)
    next_step_due = models.DateField(_("frist for næste skridt"), null=True, blank=True)
    placement = models.ForeignKey(
        "Placement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
        verbose_name=_("virksomhedsforløb"),
        help_text=_("Sæt når samtalen er opfølgning på et virksomhedsforløb."),
    )
    # The follow-up its agreed next step became (kept in step when the conversation is
    # corrected, see cases.citizens.services.correct_conversation).
    follow_up = models.OneToOneField(
        "substitution.FollowUp",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversation",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("samtale")
        verbose_name_plural = _("samtaler")
        indexes = [
            models.Index(fields=["citizen", "outcome", "occurred_at"]),
            models.Index(fields=["author", "occurred_at"]),
            # The latest workplace follow-up of a citizen (cases.placements.alerts.no_follow_up).
            models.Index(fields=["citizen", "kind", "occurred_at"]),
        ]


def cadence_conversations() -> models.QuerySet[Conversation]:
    """Conversations that restart the contact-cadence clock: held, of a kind and in a channel
    flagged ``counts_for_cadence`` (data; docs/measures.md). The one definition: Min dag, the
    caseload and the measures read it."""
    return Conversation.objects.filter(
        outcome=ConversationOutcome.AFHOLDT,
        kind__in=ConversationKind.objects.filter(counts_for_cadence=True).values("pk"),
        channel__in=Channel.objects.filter(counts_for_cadence=True).values("pk"),
    )


class ConversationRevision(models.Model):
    """The earlier version of a conversation changed after the free-correction window."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="revisions"
    )
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("begrundelse"), max_length=300, blank=True)
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-pk"]


class CitizenMonth(models.Model):
    """Facts of one citizen in one calendar month, kept so a month's measures for every team
    are one grouped aggregate instead of subqueries over a million hour rows and
    conversations (docs/measures.md, "Facts per citizen and month"; docs/performance.md).

    Copies, never typed: the contact column is written only by
    ``cases.citizens.month_facts.refresh_contact`` (called by the conversation writers), the
    jobformidler column by its assignment part (called by ``services.assign``), the
    placement and hours columns only by ``cases.placements.month_facts.refresh`` (called by
    the placement and hours writers and the imports). A missing row means every fact is empty
    (no contact yet, no placement, no hours). The facts describe the data, not the
    population: who is in a team's figure is still read live from the citizen. They are used
    only for the months up to ``MonthFactsHorizon.through``; ``reporting.measures`` computes
    any other period live, and a test and ``manage.py check_data`` hold the two equal."""

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="months")
    month = models.DateField()  # the first day of the calendar month
    # The latest conversation that counts for the cadence held before the month's end.
    last_contact_at = models.DateTimeField(null=True)
    # The jobformidler assigned on the month's last day (the live month: on ``taken_on``),
    # the latest assignment covering it; written only by ``assign`` through ``refresh``.
    jobformidler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_index=False,
    )
    # A confirmed placement of a type so flagged on at least one day of the month.
    in_virksomhedsforloeb = models.BooleanField(default=False)
    in_virksomhedsrettet = models.BooleanField(default=False)
    # ... on a day of the 3 calendar months ending with this one (FSM's window), and on the
    # month's last day.
    virksomhedsforloeb_window = models.BooleanField(default=False)
    virksomhedsforloeb_last_day = models.BooleanField(default=False)
    # In a paid placement that counts as ordinary hours on the month's last day.
    paid_ordinary_last_day = models.BooleanField(default=False)
    # Ordinary hours in the month (pay periods pro rata by day where they straddle it). The
    # hour columns keep PostgreSQL's exact quotients (up to 24 decimals for 0.01 hours of a
    # long period): rounded, two sums that differ in the 16th decimal would compare equal
    # here and not in the live computation (``hours_rising``).
    ordinary_hours = models.DecimalField(max_digits=34, decimal_places=24, default=0)
    # In unpaid praktik in the month without ordinary hours while in it.
    praktik_without_hours = models.BooleanField(default=False)
    # Ordinary hours in the 28 days ending on the month's last day, and the 28 before them.
    hours_last_4_weeks = models.DecimalField(max_digits=34, decimal_places=24, default=0)
    hours_4_weeks_before = models.DecimalField(max_digits=34, decimal_places=24, default=0)
    # Placements active on the month's last day, and those in each placement alert that day
    # (``cases.placements.alerts``, with the thresholds valid that day).
    active_placements_last_day = models.PositiveIntegerField(default=0)
    # Placements with a confirmed start whose start lies in the month.
    placements_started = models.PositiveIntegerField(default=0)
    # Work agreements on the citizen's placements agreed in the month; those with ordinary
    # hours from the start.
    agreements_agreed = models.PositiveIntegerField(default=0)
    agreements_ordinary_from_start = models.PositiveIntegerField(default=0)
    alert_praktik_without_agreement = models.PositiveIntegerField(default=0)
    alert_praktik_without_hours = models.PositiveIntegerField(default=0)
    alert_unconfirmed_start = models.PositiveIntegerField(default=0)
    alert_no_follow_up = models.PositiveIntegerField(default=0)
    alert_hours_missing = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("borgerens måned")
        verbose_name_plural = _("borgernes måneder")
        constraints = [
            models.UniqueConstraint(fields=["citizen", "month"], name="citizen_month_unique")
        ]
        indexes = [models.Index(fields=["month", "citizen"], name="citizen_month_month_idx")]


class MonthFactsHorizon(models.Model):
    """One row: ``CitizenMonth`` is complete, and kept current by its writers, for every
    month up to and including ``through`` (None: not built; the measures compute live).
    Set by ``cases.placements.month_facts.rebuild``/``extend``; cleared when a code-list flag
    the facts read changes (they are rebuilt by the nightly task)."""

    through = models.DateField(null=True)
    # The day the facts of the month ``through`` are taken on: a month's facts are its state
    # on its last day, and the current month's its state so far, on this day (the live month
    # up to today, which the dashboards show). Moved to each new day by the hourly task.
    taken_on = models.DateField(null=True)

    class Meta:
        verbose_name = _("månedsfakta bygget til")
