"""Danish default values of the cases code lists (DOMAIN.md §3, §4), loaded by migration 0002.

After that they are data: administrators edit, add and retire values in the admin.
"""

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

# Barrier -> requirement tags (companies.codes.REQUIREMENT_TAGS) it rules out in matching.
BARRIER_EXCLUDES: dict[str, set[str]] = {
    "transport": {"koerekort"},
    "kan-ikke-loefte": {"tunge-loeft"},
    "helbred-fysisk": {"tunge-loeft", "staaende-arbejde"},
    "sprog": {"danskkundskaber"},
}
