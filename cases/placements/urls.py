"""Pages of placements, work agreements, ordinary hours and placement alerts (under /borgere/)."""

from django.urls import path

from cases.placements.views import company_panels as company_panel_views
from cases.placements.views import history as history_views
from cases.placements.views import hours as hours_views
from cases.placements.views import placements as placement_views

urlpatterns = [
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
    path("forloeb/<int:pk>/bekraeft/", placement_views.placement_confirm, name="placement_confirm"),
    path("forloeb/<int:pk>/aflys/", placement_views.placement_cancel, name="placement_cancel"),
    path("forloeb/<int:pk>/arbejdsaftale/", placement_views.agreement_edit, name="agreement_edit"),
    path(
        "forloeb/<int:pk>/arbejdsaftale/kontaktperson/",
        placement_views.agreement_contact_create,
        name="agreement_contact_create",
    ),
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
    path("historik/import/", history_views.history_import, name="history_import"),
]
