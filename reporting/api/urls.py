"""The API's routes (joined under /styring/ by ``reporting/urls.py``)."""

from django.urls import URLPattern, URLResolver, path

from reporting.api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/maalinger/", views.measures_json, name="api_measures"),
    path("api/noegler/", views.tokens, name="api_tokens"),
    path("api/noegler/<int:pk>/tilbagekald/", views.revoke, name="api_revoke"),
]
