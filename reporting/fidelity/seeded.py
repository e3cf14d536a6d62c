"""The fidelity models shipped with the product, as data (docs/fidelity.md).

1. **FSM** — the six core elements of the intervention model in Rambøll, *Flere skal med –
   slutevaluering*: survey items for what the evaluation asked staff, data items wherever the
   case data can answer. The evaluation's own selection of items per element and their weights
   are in an annex report we do not have: the items, equal weights and cut points here are our
   documented choice, not a reproduction.
2. **Trin-for-trin** — the establishment requirements of the model in CFBU, *Midtvejsevaluering
   af jobgarantien i udsatte boligområder*: personal jobformidler, caseload under 50, job plan
   from the citizen's wishes, jobmatch with an ordinary-hours agreement, follow-up on retention.

``seed_models`` creates both as shared models (no jobcentre), version 1, when they are missing;
it is idempotent and takes an app registry, so the data migration (with historical models),
``seed_demo`` and the tests use the same definition.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.apps import apps as django_apps

D = Decimal

# Cut points of a share measure (fractions): the share bands 0–20, 20–40 … 80–100 %, the lower
# edge inclusive (exactly 20 % is level 2), the same bands the survey's share items use.
SHARE_BANDS = (D("0.2"), D("0.4"), D("0.6"), D("0.8"))
# Changes of jobformidler per citizen per year (lower is better): level 5 under 0.1.
CONTINUITY = (D("0.5"), D("0.35"), D("0.2"), D("0.1"))
# Citizens per jobformidler (lower is better). FSM: good practice "typisk … mellem 30-40" is
# level 4 (30 to under 40), under 30 level 5; 60 or more level 1.
FSM_CASELOAD = (D(60), D(50), D(40), D(30))
# Trin-for-trin: "under 50" is the requirement (level 5); 70–80 gives "en minimumsindsats".
TFT_CASELOAD = (D(80), D(70), D(60), D(50))

BANDS = [(D(1), "Lav"), (D("2.5"), "Middel"), (D("3.5"), "Høj")]


def survey(text: str, scale: str = "niveauer") -> dict[str, Any]:
    return {"text": text, "scale": scale, "source": "spoergeskema"}


def data(
    text: str, measure: str, cuts: tuple[Decimal, ...] = SHARE_BANDS, higher: bool = True
) -> dict[str, Any]:
    scale = "andele" if cuts == SHARE_BANDS else "niveauer"
    return {
        "text": text,
        "scale": scale,
        "source": "data",
        "measure": measure,
        "cuts": cuts,
        "higher_is_better": higher,
    }


MODELS: list[dict[str, Any]] = [
    {
        "key": "fsm",
        "name": "Flere skal med: seks kerneelementer",
        "description": (
            "De seks kerneelementer i indsatsmodellen fra Rambøll: Flere skal med – "
            "slutevaluering. Evalueringens eget udvalg og vægtning af spørgsmål findes i en "
            "bilagsrapport, vi ikke har; udvalget og de lige vægte her er vores valg "
            "(docs/fidelity.md)."
        ),
        "elements": [
            (
                "Borgerens eget jobmål sætter retning",
                [
                    survey("Hvor stor en andel af dine borgere har et opdateret CV?", "andele"),
                    survey(
                        "Hvor stor en andel af dine borgere har et konkret jobmål ud fra "
                        "deres eget ønske?",
                        "andele",
                    ),
                    data("Andel borgere med CV", "cv"),
                    data("Andel borgere med konkret jobmål efter eget ønske", "own_job_goal"),
                ],
            ),
            (
                "Personlig jobformidler med kendskab til arbejdsmarkedet",
                [
                    survey("Har dine borgere den samme jobformidler gennem hele forløbet?"),
                    survey("Er det let for dine borgere at komme i kontakt med dig?"),
                    survey("Har du godt kendskab til det lokale arbejdsmarked?"),
                    data(
                        "Skift af jobformidler pr. borger pr. år", "continuity", CONTINUITY, False
                    ),
                    data("Andel med samtale inden for kadencen", "contact_cadence"),
                    data(
                        "Borgere pr. jobformidler",
                        "caseload_per_jobformidler",
                        FSM_CASELOAD,
                        False,
                    ),
                ],
            ),
            (
                "Individuelt jobmatch",
                [
                    survey("Får du hjælp til at kontakte virksomheder om konkrete job?"),
                    survey("Har du adgang til et netværk af virksomheder?"),
                ],
            ),
            (
                "Klare aftaler om timer, opgaver, opfølgning og ordinære timer",
                [
                    survey(
                        "Hvor stor en andel af dine arbejdsaftaler har ordinære timer fra start?",
                        "andele",
                    ),
                    data(
                        "Andel arbejdsaftaler med ordinære timer fra start",
                        "agreements_ordinary_from_start",
                    ),
                ],
            ),
            (
                "Ressourcefokuseret tilgang",
                [
                    survey(
                        "Tager du udgangspunkt i borgerens ressourcer, ønsker og drømme – "
                        "ikke kun i barriererne?"
                    ),
                ],
            ),
            (
                "Løbende opfølgning med fokus på fastholdelse og progression mod ordinære timer",
                [
                    survey("Fokuserer din opfølgning på progression i ordinære timer?"),
                    data("Andel forløb fulgt op inden for kadencen", "placements_followed_up"),
                    data("Andel med stigende ordinære timer", "hours_rising"),
                ],
            ),
        ],
    },
    {
        "key": "trin-for-trin",
        "name": "Trin-for-trin: etableringskrav",
        "description": (
            "Etableringskravene i trin-for-trin-modellen fra CFBU: Midtvejsevaluering af "
            "jobgarantien i udsatte boligområder. Spørgsmål, grænser og lige vægte er vores "
            "valg (docs/fidelity.md)."
        ),
        "elements": [
            (
                "Personlig jobformidler",
                [
                    survey("Har hver af dine borgere én fast personlig jobformidler?"),
                    data(
                        "Skift af jobformidler pr. borger pr. år", "continuity", CONTINUITY, False
                    ),
                    data("Andel med samtale inden for kadencen", "contact_cadence"),
                ],
            ),
            (
                "Sagsstamme under 50",
                [
                    survey("Er din sagsstamme under 50 borgere?"),
                    data(
                        "Borgere pr. jobformidler",
                        "caseload_per_jobformidler",
                        TFT_CASELOAD,
                        False,
                    ),
                ],
            ),
            (
                "Jobplan ud fra borgerens ønsker",
                [
                    survey(
                        "Hvor stor en andel af dine borgere har en jobplan ud fra deres egne "
                        "ønsker?",
                        "andele",
                    ),
                    data("Andel borgere med konkret jobmål efter eget ønske", "own_job_goal"),
                ],
            ),
            (
                "Jobmatch med aftale om ordinære timer",
                [
                    survey(
                        "Hvor stor en andel af dine jobmatch har en aftale om ordinære timer?",
                        "andele",
                    ),
                    data(
                        "Andel arbejdsaftaler med ordinære timer fra start",
                        "agreements_ordinary_from_start",
                    ),
                ],
            ),
            (
                "Opfølgning på fastholdelse",
                [
                    survey("Følger du op på fastholdelse, mens borgeren er i forløb?"),
                    data("Andel forløb fulgt op inden for kadencen", "placements_followed_up"),
                    data("Andel med stigende ordinære timer", "hours_rising"),
                ],
            ),
        ],
    },
]


def seed_models(apps: Any = django_apps) -> int:
    """Create the shipped models (version 1) that are missing; returns how many were made."""
    fidelity_model = apps.get_model("reporting", "FidelityModel")
    version_model = apps.get_model("reporting", "ModelVersion")
    band_model = apps.get_model("reporting", "OverallBand")
    element_model = apps.get_model("reporting", "Element")
    item_model = apps.get_model("reporting", "Item")
    made = 0
    for spec in MODELS:
        if fidelity_model.objects.filter(unit__isnull=True, key=spec["key"]).exists():
            continue
        model = fidelity_model.objects.create(
            key=spec["key"], name=spec["name"], description=spec["description"]
        )
        version = version_model.objects.create(model=model, number=1, note="Leveret version")
        for lower, label in BANDS:
            band_model.objects.create(version=version, lower=lower, label=label)
        for position, (name, items) in enumerate(spec["elements"], start=1):
            element = element_model.objects.create(version=version, position=position, name=name)
            for item_position, item in enumerate(items, start=1):
                cuts = item.get("cuts") or (None, None, None, None)
                item_model.objects.create(
                    element=element,
                    position=item_position,
                    text=item["text"],
                    scale=item["scale"],
                    source=item["source"],
                    measure=item.get("measure", ""),
                    cut_2=cuts[0],
                    cut_3=cuts[1],
                    cut_4=cuts[2],
                    cut_5=cuts[3],
                    higher_is_better=item.get("higher_is_better", True),
                )
        made += 1
    return made
