"""The reporting app's URLs (namespace ``reporting``, under /styring/): each feature package
routes its own pages."""

from reporting.api.urls import urlpatterns as api
from reporting.dashboards.urls import urlpatterns as dashboards
from reporting.fidelity.urls import urlpatterns as fidelity
from reporting.reports.urls import urlpatterns as reports

app_name = "reporting"

urlpatterns = [*dashboards, *api, *fidelity, *reports]
