"""Re-exports the models of reporting's feature packages for Django and the migrations; code
imports a model from its own package (``reporting.dashboards.models``, …)."""

from reporting.api.models import *  # noqa: F403
from reporting.dashboards.models import *  # noqa: F403
from reporting.fidelity.models import *  # noqa: F403
from reporting.reports.models import *  # noqa: F403
