"""The fidelity feature's routes (joined under /styring/ by ``reporting/urls.py``)."""

from django.urls import URLPattern, URLResolver, path

from reporting.fidelity import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("fidelitet/", views.fidelity, name="fidelity"),
    path("fidelitet/ny/", views.round_new, name="fidelity_round_new"),
    path("fidelitet/mine/", views.my_rounds, name="fidelity_mine"),
    path("fidelitet/<int:pk>/", views.round_detail, name="fidelity_round"),
    path("fidelitet/<int:pk>/luk/", views.round_close, name="fidelity_round_close"),
    path("fidelitet/<int:pk>/forlaeng/", views.round_extend, name="fidelity_round_extend"),
    path("fidelitet/<int:pk>/genberegn/", views.round_recompute, name="fidelity_round_recompute"),
    path("fidelitet/<int:pk>/svar/", views.answer, name="fidelity_answer"),
]
