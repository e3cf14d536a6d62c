from django.urls import path  # noqa: F401

from cases.views import caseload, citizen, conversations, imports, my_day, plan

app_name = "cases"

urlpatterns: list = []

# cases-A: citizen record, conversations, follow-ups, plan, reviews, Min dag.
urlpatterns += [
    path("min-dag/", my_day.my_day, name="my_day"),
    path("ny/", citizen.citizen_create, name="citizen_create"),
    path("<int:pk>/", citizen.citizen_detail, name="citizen_detail"),
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
]

# cases-B: caseload list, export, bulk reassignment, CSV import.
urlpatterns += [
    path("", caseload.caseload, name="caseload"),
    path("eksport.csv", caseload.caseload_export, name="caseload_export"),
    path("omfordel/", caseload.reassign, name="reassign"),
    path("import/", imports.import_citizens, name="import_citizens"),
]

# placements engineer: placements, work agreements, ordinary hours, alerts.
from cases.views import company_panels as company_panel_views  # noqa: E402
from cases.views import hours as hours_views  # noqa: E402
from cases.views import placements as placement_views  # noqa: E402

urlpatterns += [
    path("<int:pk>/forloeb/ny/", placement_views.placement_create, name="placement_create"),
    path(
        "forloeb/opgavefelt/",
        placement_views.placement_task_field,
        name="placement_task_field",
    ),
    path(
        "match/<int:pk>/forloeb/",
        placement_views.placement_from_proposal,
        name="placement_from_proposal",
    ),
    path("forloeb/<int:pk>/", placement_views.placement_detail, name="placement_detail"),
    path("forloeb/<int:pk>/rediger/", placement_views.placement_edit, name="placement_edit"),
    path("forloeb/<int:pk>/afslut/", placement_views.placement_end, name="placement_end"),
    path("forloeb/<int:pk>/arbejdsaftale/", placement_views.agreement_edit, name="agreement_edit"),
    path("forloeb/<int:pk>/arbejdsaftale.pdf", placement_views.agreement_pdf, name="agreement_pdf"),
    path("<int:pk>/forloeb/", placement_views.citizen_placements, name="citizen_placements"),
    path("min-dag/advarsler/", placement_views.my_alerts, name="my_alerts"),
    path(
        "virksomhed/<int:company_pk>/forloeb/",
        company_panel_views.company_placements,
        name="company_placements",
    ),
    path("timer/", hours_views.hours_grid, name="hours_grid"),
    path("timer/celle/", hours_views.hours_cell, name="hours_cell"),
    path("timer/import/", hours_views.hours_import, name="hours_import"),
]

# companies/matching engineer: matching panels, proposals, candidate overview.
from cases.views import matching as matching_views  # noqa: E402

urlpatterns += [
    path("<int:pk>/match/", matching_views.citizen_matches, name="citizen_matches"),
    path(
        "opgaver/<int:task_pk>/kandidater/",
        matching_views.task_candidates,
        name="task_candidates",
    ),
    path(
        "opgaver/<int:task_pk>/kandidatoversigt/",
        matching_views.candidate_overview,
        name="candidate_overview",
    ),
    path("match/gem/", matching_views.save_proposal, name="save_proposal"),
]
