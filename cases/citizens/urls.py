"""Pages of the citizen side: Min dag, the caseload, the citizen record, plan, conversations,
follow-ups and the citizen import (under /borgere/)."""

from django.urls import path

from cases.citizens.views import caseload, citizen, conversations, imports, my_day, plan, search

urlpatterns = [
    path("min-dag/", my_day.my_day, name="my_day"),
    path("ny/", citizen.citizen_create, name="citizen_create"),
    path("<int:pk>/", citizen.citizen_detail, name="citizen_detail"),
    path("<int:pk>/sektion/<slug:name>/", citizen.citizen_section, name="citizen_section"),
    path("<int:pk>/rediger/", citizen.citizen_edit, name="citizen_edit"),
    path("<int:pk>/cpr/", citizen.reveal_cpr, name="reveal_cpr"),
    path("<int:pk>/profil/", citizen.profile_edit, name="profile_edit"),
    path("<int:pk>/jobmaal/", citizen.job_goal_add, name="job_goal_add"),
    path("jobmaal/<int:pk>/afslut/", citizen.job_goal_end, name="job_goal_end"),
    path("<int:pk>/samtykke/", citizen.consent_add, name="consent_add"),
    path("samtykke/<int:pk>/tilbagekald/", citizen.consent_withdraw, name="consent_withdraw"),
    path("<int:pk>/plan/", plan.plan_edit, name="plan_edit"),
    path("<int:pk>/plan/delmaal/", plan.sub_goal_add, name="sub_goal_add"),
    path("delmaal/<int:pk>/rediger/", plan.sub_goal_edit, name="sub_goal_edit"),
    path("<int:pk>/plan/revisioner/", plan.plan_revisions, name="plan_revisions"),
    path("<int:pk>/progression/", plan.review_create, name="review_create"),
    path("<int:pk>/samtaler/ny/", conversations.conversation_create, name="conversation_create"),
    path("samtaler/ny/", conversations.quick_log, name="quick_log"),
    path("samtaler/<int:pk>/rediger/", conversations.conversation_edit, name="conversation_edit"),
    path("opfoelgninger/<int:pk>/udfoert/", conversations.followup_done, name="followup_done"),
    path(
        "opfoelgninger/<int:pk>/kalender.ics",
        conversations.followup_calendar,
        name="followup_calendar",
    ),
    path("", caseload.caseload, name="caseload"),
    path("eksport.csv", caseload.caseload_export, name="caseload_export"),
    path("valg/", caseload.citizen_choices, name="citizen_choices"),
    path(
        "jobformidlere/valg/",
        caseload.jobformidler_choices,
        name="caseload_jobformidler_choices",
    ),
    path("soeg/", search.search, name="search"),
    path("omfordel/", caseload.reassign, name="reassign"),
    path(
        "omfordel/jobformidlere/",
        caseload.reassign_target_choices,
        name="reassign_target_choices",
    ),
    path("import/", imports.import_citizens, name="import_citizens"),
]
