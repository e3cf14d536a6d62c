from django.urls import path

from cases.privacy import views

urlpatterns = [
    path(
        "<int:pk>/indsigt.json",
        views.access_export,
        {"fmt": "json"},
        name="citizen_access_json",
    ),
    path(
        "<int:pk>/indsigt.pdf",
        views.access_export,
        {"fmt": "pdf"},
        name="citizen_access_pdf",
    ),
]
