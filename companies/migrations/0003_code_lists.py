"""The Danish default values of the code lists, loaded once. After that they are data:
administrators edit, add and retire values in the admin. The values are this migration's own
copy (a migration never imports live code)."""

from django.db import migrations

# DB07 sections (Danmarks Statistik) and common groups: (code, label, section).
INDUSTRIES: list[tuple[str, str, str]] = [
    ("A", "Landbrug, jagt, skovbrug og fiskeri", "A"),
    ("B", "Råstofindvinding", "B"),
    ("C", "Fremstillingsvirksomhed", "C"),
    ("10", "Fremstilling af fødevarer", "C"),
    ("25", "Fremstilling af metalprodukter", "C"),
    ("D", "Energiforsyning", "D"),
    ("E", "Vandforsyning, kloakvæsen og affaldshåndtering", "E"),
    ("F", "Bygge og anlæg", "F"),
    ("43", "Bygge- og anlægsvirksomhed, specialiseret", "F"),
    ("G", "Handel", "G"),
    ("45", "Handel med og reparation af motorkøretøjer", "G"),
    ("46", "Engroshandel", "G"),
    ("47", "Detailhandel", "G"),
    ("H", "Transport og godshåndtering", "H"),
    ("49", "Landtransport", "H"),
    ("52", "Lager- og hjælpevirksomhed i forbindelse med transport", "H"),
    ("I", "Hoteller og restauranter", "I"),
    ("55", "Hoteller mv.", "I"),
    ("56", "Restauranter", "I"),
    ("J", "Information og kommunikation", "J"),
    ("K", "Pengeinstitutter, finansiering og forsikring", "K"),
    ("L", "Fast ejendom", "L"),
    ("M", "Liberale, videnskabelige og tekniske tjenesteydelser", "M"),
    ("N", "Administrative tjenesteydelser og hjælpetjenester", "N"),
    ("81", "Ejendomsservice, rengøring og anlægsgartnere", "N"),
    ("O", "Offentlig administration, forsvar og socialsikring", "O"),
    ("P", "Undervisning", "P"),
    ("Q", "Sundhed og socialvæsen", "Q"),
    ("87", "Døgninstitutioner og hjemmepleje", "Q"),
    ("88", "Sociale foranstaltninger uden institutionsophold", "Q"),
    ("R", "Kultur, forlystelser og sport", "R"),
    ("S", "Andre serviceydelser", "S"),
]

REQUIREMENT_TAGS: list[tuple[str, str]] = [
    ("koerekort", "Kørekort"),
    ("tunge-loeft", "Tunge løft"),
    ("danskkundskaber", "Danskkundskaber"),
    ("staaende-arbejde", "Stående arbejde"),
    ("hygiejnebevis", "Hygiejnebevis"),
    ("straffeattest", "Ren straffeattest"),
    ("truckcertifikat", "Truckcertifikat"),
    ("engelsk", "Engelskkundskaber"),
    ("it", "IT-kendskab"),
    ("skiftende-arbejdstider", "Skiftende arbejdstider"),
]


TARGET_GROUPS: list[tuple[str, str]] = [
    ("aktivitetsparate", "Aktivitetsparate"),
    ("jobparate", "Jobparate"),
    ("unge", "Unge under 30"),
    ("flygtninge", "Flygtninge og indvandrere"),
    ("fleksjob", "Fleksjobbere"),
    ("seniorer", "Seniorer"),
]

# (code, label, counts as ordinary hours, counts as virksomhedsforløb mv., paid)
PLACEMENT_TYPES: list[tuple[str, str, bool, bool, bool]] = [
    ("virksomhedspraktik", "Virksomhedspraktik", False, True, False),
    ("loentilskud", "Løntilskud", False, True, True),
    ("ordinaere-loentimer", "Ordinære løntimer / småjob", True, True, True),
    ("ordinaer-ansaettelse", "Ordinær ansættelse", True, True, True),
    ("fleksjob", "Fleksjob", False, True, True),
    ("igu", "IGU (integrationsgrunduddannelse)", True, True, True),
    ("ordinaer-uddannelse", "Ordinær uddannelse", False, True, False),
]


def load(apps, schema_editor):
    Industry = apps.get_model("companies", "Industry")
    for order, (code, label, section) in enumerate(INDUSTRIES):
        Industry.objects.update_or_create(
            code=code.lower(), defaults={"label": label, "section": section, "sort_order": order}
        )
    for model_name, rows in (("RequirementTag", REQUIREMENT_TAGS), ("TargetGroup", TARGET_GROUPS)):
        model = apps.get_model("companies", model_name)
        for order, (code, label) in enumerate(rows):
            model.objects.update_or_create(
                code=code, defaults={"label": label, "sort_order": order}
            )
    PlacementType = apps.get_model("companies", "PlacementType")
    # 0007 renamed the flag; the tests' code_lists fixture reloads this with the live models.
    names = {f.name for f in PlacementType._meta.get_fields()}
    company_flag = (
        "counts_as_company_placement"
        if "counts_as_company_placement" in names
        else "counts_as_virksomhedsforloeb"
    )
    for order, (code, label, ordinary, company, paid) in enumerate(PLACEMENT_TYPES):
        PlacementType.objects.update_or_create(
            code=code,
            defaults={
                "label": label,
                "sort_order": order,
                "counts_as_ordinary_hours": ordinary,
                company_flag: company,
                "is_paid": paid,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("companies", "0001_squashed_0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
