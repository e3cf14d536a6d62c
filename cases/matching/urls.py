"""Pages of matching: a citizen's matches, a task's candidates, the candidate overview and
saving a proposal (under /borgere/)."""

from django.urls import path

from cases.matching import views as matching_views

urlpatterns = [
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
