"""The reports feature's routes (joined under /styring/ by ``reporting/urls.py``)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
