"""The Danish default values of the code lists, loaded once. After that they are data:
administrators edit, add and retire values in the admin. The values are this migration's own
copy (a migration never imports live code)."""

from django.db import migrations

CODE_LISTS: dict[str, list[tuple[str, str]]] = {
    "BenefitType": [
        ("kontanthjaelp", "Kontanthjælp"),
        ("uddannelseshjaelp", "Uddannelseshjælp"),
        ("integrationsydelse", "Integrationsydelse"),
        ("selvforsoergelses-hjemrejseydelse", "Selvforsørgelses- og hjemrejseydelse"),
        ("overgangsydelse", "Overgangsydelse"),
        ("sygedagpenge", "Sygedagpenge"),
        ("ressourceforloebsydelse", "Ressourceforløbsydelse"),
        ("ledighedsydelse", "Ledighedsydelse"),
        ("dagpenge", "Arbejdsløshedsdagpenge"),
    ],
    "ReadinessCategory": [
        ("aktivitetsparat", "Aktivitetsparat"),
        ("jobparat", "Jobparat"),
        ("uddannelsesparat", "Uddannelsesparat"),
    ],
    "VisitationGroup": [
        ("gruppe-1", "Gruppe 1 – indsats"),
        ("gruppe-2", "Gruppe 2 – rehabilitering"),
        ("gruppe-3", "Gruppe 3 – ukontaktbar"),
        ("udskudt", "Udskudt"),
    ],
    "ConversationKind": [
        ("individuel", "Individuel samtale"),
        ("trepartssamtale", "Trepartssamtale"),
        ("gruppe", "Gruppesamtale"),
        ("drop-in", "Drop-in"),
        ("opfoelgning-arbejdsplads", "Opfølgning på arbejdspladsen"),
    ],
    "Channel": [
        ("fremmoede", "Fremmøde"),
        ("telefon", "Telefon"),
        ("video", "Video"),
        ("sms", "SMS"),
        ("hjemmebesoeg", "Hjemmebesøg"),
        ("i-virksomheden", "I virksomheden"),
    ],
    "ExitReason": [
        ("ordinaert-job", "Ordinært job"),
        ("uddannelse", "Ordinær uddannelse"),
        ("fleksjob", "Fleksjob"),
        ("foertidspension", "Førtidspension"),
        ("ressourceforloeb", "Ressourceforløb"),
        ("flyttet", "Fraflyttet kommunen"),
        ("anden-forsoergelse", "Anden forsørgelse"),
        ("oevrige", "Øvrige"),
    ],
    "Barrier": [
        ("sprog", "Sproglige udfordringer"),
        ("helbred-fysisk", "Fysiske helbredsproblemer"),
        ("helbred-psykisk", "Psykiske helbredsproblemer"),
        ("misbrug", "Misbrug"),
        ("boligsituation", "Boligsituation"),
        ("boernepasning", "Børnepasning"),
        ("transport", "Transport / intet kørekort"),
        ("manglende-erfaring", "Manglende arbejdserfaring"),
        ("kan-ikke-loefte", "Kan ikke løfte tungt"),
        ("faglige-kompetencer", "Manglende faglige kompetencer"),
    ],
    "PlacementEndReason": [
        ("ordinaert-job", "Overgang til ordinært job"),
        ("uddannelse", "Overgang til uddannelse"),
        ("planmaessigt", "Afsluttet planmæssigt"),
        ("afbrudt-borger", "Afbrudt af borgeren"),
        ("afbrudt-virksomhed", "Afbrudt af virksomheden"),
        ("sygdom", "Sygdom"),
        ("andet", "Andet"),
    ],
}

HEALTH_BARRIERS = {"helbred-fysisk", "helbred-psykisk", "misbrug"}
JOB_END_REASONS = {"ordinaert-job", "uddannelse"}

# Barrier -> requirement tags it rules out in matching (codes of the companies code-list
# migration's REQUIREMENT_TAGS).
BARRIER_EXCLUDES: dict[str, set[str]] = {
    "transport": {"koerekort"},
    "kan-ikke-loefte": {"tunge-loeft"},
    "helbred-fysisk": {"tunge-loeft", "staaende-arbejde"},
    "sprog": {"danskkundskaber"},
}


def load(apps, schema_editor):
    for model_name, rows in CODE_LISTS.items():
        model = apps.get_model("cases", model_name)
        for order, (code, label) in enumerate(rows):
            defaults = {"label": label, "sort_order": order}
            if model_name == "Barrier":
                defaults["is_health"] = code in HEALTH_BARRIERS
            if model_name == "PlacementEndReason":
                defaults["is_job"] = code in JOB_END_REASONS
            model.objects.update_or_create(code=code, defaults=defaults)
    Barrier = apps.get_model("cases", "Barrier")
    RequirementTag = apps.get_model("companies", "RequirementTag")
    for barrier_code, tag_codes in BARRIER_EXCLUDES.items():
        barrier = Barrier.objects.get(code=barrier_code)
        barrier.excludes_requirements.set(RequirementTag.objects.filter(code__in=tag_codes))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_squashed_0002_initial"), ("companies", "0003_code_lists")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
