"""The fidelity feature's models (re-exported by ``reporting/models.py`` for Django).

A fidelity model is data, not code (docs/fidelity.md): a ``FidelityModel`` has numbered
``ModelVersion`` s; a version has ``Element`` s (with a weight) and ``OverallBand`` s (lav /
middel / høj …); an element has ``Item`` s, each with a scale (five labelled levels or five
share-of-citizens bands) and a source: the staff survey, or the case data through a measure
slug of ``reporting.measures`` with four cut points mapping its value to 1–5.

A survey ``Round`` is opened with one version and scored by it for ever: a version that a
round uses is locked (``ModelVersion.is_locked``); edits go into a new version
(``services.new_version``). Each invited staff member has one ``Response`` (a draft until
submitted) holding ``Answer`` s; answers are only ever shown as aggregates. ``DataFigure`` s are
the measures of the round's period per team, computed by the measures module when the round
opens and again when it closes (and on demand), so the fidelity page reads stored figures.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from substitution.models import Team, Unit

__all__ = [
    "Answer",
    "DataFigure",
    "Element",
    "FidelityModel",
    "Item",
    "ModelVersion",
    "OverallBand",
    "Response",
    "Round",
]

# The five labelled levels (FSM's survey scale) and the five share bands, value 1–5.
LEVEL_LABELS = [
    _("Slet ikke"),
    _("I mindre grad"),
    _("I nogen grad"),
    _("I høj grad"),
    _("I meget høj grad"),
]
SHARE_LABELS = [
    _("0–20 pct."),
    _("20–40 pct."),
    _("40–60 pct."),
    _("60–80 pct."),
    _("80–100 pct."),
]


class Scale(models.TextChoices):
    NIVEAUER = "niveauer", _("Fem niveauer (Slet ikke … I meget høj grad)")
    ANDELE = "andele", _("Fem andele af borgerne (0–20 … 80–100 pct.)")


class Source(models.TextChoices):
    SPOERGESKEMA = "spoergeskema", _("Spørgeskema (selvvurdering)")
    DATA = "data", _("Sagsdata (et mål)")


class RoundKind(models.TextChoices):
    NULPUNKT = "nulpunkt", _("Nulpunktsmåling")
    MIDTVEJS = "midtvejs", _("Midtvejsmåling")
    SLUT = "slut", _("Slutmåling")
    NAVNGIVET = "navngivet", _("Anden (navngivet)")


def locked_error() -> ValidationError:
    return ValidationError(
        _(
            "Versionen bruges af en måling og kan ikke ændres. Opret en ny version af "
            "modellen og ret i den."
        )
    )


class FidelityModel(models.Model):
    """A fidelity model (FSM's six core elements, trin-for-trin, a local one). ``unit`` empty:
    shipped with the product and shared by every jobcentre (a superuser edits it)."""

    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="fidelity_models",
        verbose_name=_("jobcenter"),
    )
    key = models.SlugField(_("nøgle"), max_length=64)
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)

    class Meta:
        verbose_name = _("fidelitetsmodel")
        verbose_name_plural = _("fidelitetsmodeller")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "key"], name="fidelity_model_unique_key"),
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(unit__isnull=True),
                name="fidelity_model_unique_shared_key",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def latest_version(self) -> ModelVersion | None:
        return self.versions.order_by("-number").first()


class ModelVersion(models.Model):
    model = models.ForeignKey(
        FidelityModel, on_delete=models.CASCADE, related_name="versions", verbose_name=_("model")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    note = models.CharField(_("bemærkning"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)

    class Meta:
        verbose_name = _("modelversion")
        verbose_name_plural = _("modelversioner")
        ordering = ["model", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["model", "number"], name="fidelity_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.model} · v{self.number}"

    @property
    def is_locked(self) -> bool:
        """A round uses it: it is scored by it for ever and cannot change."""
        return self.pk is not None and Round.objects.filter(version_id=self.pk).exists()


class _VersionPart(models.Model):
    """Rows of a version refuse to change once a round uses the version."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._check_unlocked()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self._check_unlocked()
        return super().delete(*args, **kwargs)

    def version_id_of(self) -> int | None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _check_unlocked(self) -> None:
        version_id = self.version_id_of()
        if version_id is not None and Round.objects.filter(version_id=version_id).exists():
            raise locked_error()


class OverallBand(_VersionPart):
    """A band of the overall score: from ``lower`` (inclusive) up to the next band's lower."""

    version = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="bands")
    lower = models.DecimalField(
        _("fra score"),
        max_digits=3,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(5))],
    )
    label = models.CharField(_("betegnelse"), max_length=60)

    class Meta:
        verbose_name = _("niveau for samlet score")
        verbose_name_plural = _("niveauer for samlet score")
        ordering = ["version", "lower"]

    def __str__(self) -> str:
        return f"{self.label} (≥ {self.lower})"

    def version_id_of(self) -> int | None:
        return self.version_id


class Element(_VersionPart):
    version = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="elements")
    position = models.PositiveSmallIntegerField(_("nummer"))
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    weight = models.DecimalField(
        _("vægt"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    class Meta:
        verbose_name = _("element")
        verbose_name_plural = _("elementer")
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"

    def version_id_of(self) -> int | None:
        return self.version_id


class Item(_VersionPart):
    """One question (survey) or one measure (data), scored 1–5."""

    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("nummer"))
    text = models.CharField(_("tekst"), max_length=300)
    scale = models.CharField(_("skala"), max_length=16, choices=Scale.choices)
    source = models.CharField(_("kilde"), max_length=16, choices=Source.choices)
    measure = models.CharField(
        _("mål"),
        max_length=64,
        blank=True,
        help_text=_("Kun for data: målets nøgle (docs/measures.md), fx cv."),
    )
    # Four cut points: the lower edges of levels 2, 3, 4 and 5 (or, when lower is better, the
    # values the measure must be under to reach them). Shares as fractions (0.2 = 20 %).
    cut_2 = models.DecimalField(
        _("grænse for 2"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    cut_3 = models.DecimalField(
        _("grænse for 3"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    cut_4 = models.DecimalField(
        _("grænse for 4"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    cut_5 = models.DecimalField(
        _("grænse for 5"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    higher_is_better = models.BooleanField(_("højere er bedre"), default=True)

    class Meta:
        verbose_name = _("spørgsmål eller datapunkt")
        verbose_name_plural = _("spørgsmål og datapunkter")
        ordering = ["element", "position"]

    def __str__(self) -> str:
        return self.text

    def version_id_of(self) -> int | None:
        if self.element_id is None:
            return None
        return Element.objects.filter(pk=self.element_id).values_list("version_id", flat=True)[0]

    @property
    def cuts(self) -> tuple[Decimal, Decimal, Decimal, Decimal] | None:
        values = (self.cut_2, self.cut_3, self.cut_4, self.cut_5)
        if any(v is None for v in values):
            return None
        return values  # type: ignore[return-value]

    def clean(self) -> None:
        from reporting.measures import BY_SLUG

        errors: dict[str, str] = {}
        if self.source == Source.DATA:
            if self.measure not in BY_SLUG:
                errors["measure"] = str(_("Vælg et mål, der findes (se docs/measures.md)."))
            cuts = self.cuts
            if cuts is None:
                errors["cut_5"] = str(_("Et datapunkt skal have alle fire grænser."))
            else:
                ordered = sorted(cuts) if self.higher_is_better else sorted(cuts, reverse=True)
                if list(cuts) != ordered or len(set(cuts)) < 4:
                    errors["cut_5"] = str(
                        _("Grænserne skal stige (eller falde, når lavere er bedre) fra 2 til 5.")
                    )
        elif self.measure:
            errors["measure"] = str(_("Et spørgsmål i spørgeskemaet har intet mål."))
        if errors:
            raise ValidationError(errors)


class Round(models.Model):
    """A survey round for one or more teams, scored by the version it was opened with."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="fidelity_rounds")
    version = models.ForeignKey(
        ModelVersion, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("model")
    )
    kind = models.CharField(_("måling"), max_length=16, choices=RoundKind.choices)
    name = models.CharField(_("navn"), max_length=200)
    teams = models.ManyToManyField(Team, related_name="fidelity_rounds", verbose_name=_("teams"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField(_("åbnet"))
    closes_on = models.DateField(_("lukker"))
    closed_at = models.DateTimeField(_("lukket"), null=True, blank=True)
    period_first = models.DateField(_("dataperiode fra"))
    period_last = models.DateField(_("dataperiode til"))
    min_respondents = models.PositiveSmallIntegerField(_("mindste antal svar"), default=3)
    site_url = models.CharField(max_length=300, blank=True)  # for the links in the e-mails
    reminder_sent_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("fidelitetsmåling")
        verbose_name_plural = _("fidelitetsmålinger")
        ordering = ["-opened_on", "-pk"]

    def __str__(self) -> str:
        return self.name

    def is_open(self, today: Any) -> bool:
        return self.closed_at is None and today <= self.closes_on


class Response(models.Model):
    """One invited staff member's answer to a round: a draft until ``submitted_at``."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fidelity_responses"
    )
    # The team the answer counts for: where most of the staff member's caseload is.
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="fidelity_one_response")
        ]


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="fidelity_one_answer"),
            models.CheckConstraint(
                condition=models.Q(value__gte=1, value__lte=5), name="fidelity_answer_1_5"
            ),
        ]


class DataFigure(models.Model):
    """A measure of the round's period for one of its teams (``team`` empty: all of them)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="figures")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, related_name="+")
    measure = models.CharField(max_length=64)
    numerator = models.DecimalField(max_digits=14, decimal_places=4)
    denominator = models.DecimalField(max_digits=14, decimal_places=4, null=True)
    value = models.DecimalField(max_digits=14, decimal_places=6, null=True)
    display = models.CharField(max_length=40)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["round", "measure"])]
