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

        # The citizen's access export holds the case review decisions about them, and
        # anonymising a long-closed case blanks them.
        from cases.privacy.access import Extra, register
        from cases.privacy.anonymise import register_fields
        from reporting.dashboards.models import CaseReviewItem

        register(
            Extra(
                key="sagssparringer",
                title="Sagssparringer",
                model=CaseReviewItem,
                rows=lambda citizen: CaseReviewItem.objects.filter(citizen=citizen).select_related(
                    "review", "decided_by", "follow_up"
                ),
                skip=frozenset({"citizen"}),
            )
        )
        register_fields(CaseReviewItem, "citizen", {"decision": ""})
