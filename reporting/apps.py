from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Styring og rapporter")

    def ready(self) -> None:
        # The citizen's timeline shows the decisions of case reviews (reporting.dashboards).
        from cases.citizens.timeline import register_source
        from reporting.dashboards.timeline import decisions

        register_source(decisions)
