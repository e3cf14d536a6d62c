from django.urls import path

from companies import views

app_name = "companies"

urlpatterns: list = [
    path("", views.pipeline_view, name="pipeline"),
    path("ny/", views.company_create, name="company_create"),
    path("valg/", views.company_choices, name="company_choices"),
    path("<int:pk>/", views.company_detail, name="company_detail"),
    path("<int:pk>/rediger/", views.company_edit, name="company_edit"),
    path("<int:pk>/status/", views.status_change, name="status_change"),
    path("<int:pk>/kontakt/", views.contact_create, name="contact_create"),
    path("<int:pk>/kontaktperson/", views.contact_person_create, name="contact_person_create"),
    path("<int:pk>/aftale/", views.agreement_create, name="agreement_create"),
    path(
        "kontaktpersoner/<int:pk>/rediger/",
        views.contact_person_edit,
        name="contact_person_edit",
    ),
    path("aftaler/<int:pk>/rediger/", views.agreement_edit, name="agreement_edit"),
    path("<int:pk>/kortlaegning/", views.mapping_create, name="mapping_create"),
    path("<int:pk>/opgave/", views.task_create, name="task_create"),
    path("opgaver/<int:pk>/", views.task_detail, name="task_detail"),
    path("opgaver/<int:pk>/rediger/", views.task_edit, name="task_edit"),
]
