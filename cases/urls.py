"""The cases app's URLs (namespace ``cases``, under /borgere/): each feature package routes its
own pages."""

from cases.citizens.urls import urlpatterns as citizens
from cases.matching.urls import urlpatterns as matching
from cases.placements.urls import urlpatterns as placements
from cases.privacy.urls import urlpatterns as privacy

app_name = "cases"

urlpatterns = [*citizens, *placements, *matching, *privacy]
