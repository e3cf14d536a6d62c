"""The reports feature's routes (joined under /styring/ by ``reporting/urls.py``)."""

from django.urls import URLPattern, URLResolver, path

from reporting.reports import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("rapporter/", views.report_archive, name="report_archive"),
    path("rapporter/bestil/", views.request_report, name="report_request"),
    path("rapporter/<int:pk>/", views.report_run, name="report_run"),
    path("rapporter/<int:pk>/status/", views.report_progress, name="report_progress"),
    path("rapporter/<int:pk>/hent/", views.report_download, name="report_download"),
]
