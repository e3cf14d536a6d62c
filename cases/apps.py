from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Borgere og forløb")

    def ready(self) -> None:
        # The company page shows this app's placements and hours panel (companies/panels.py).
        from companies.panels import register_company_panel

        register_company_panel(str(_("Virksomhedsforløb og timer")), "cases:company_placements")
        # The task page shows the citizens matching the task (cases.matching).
        from companies.panels import register_task_panel

        register_task_panel(str(_("Kandidater fra din sagsstamme")), "cases:task_candidates")
        # The citizen's timeline shows entries of the packages above citizens.
        from cases.citizens.timeline import register_source
        from cases.matching.timeline import shares
        from cases.placements.timeline import milestones, placements

        register_source(shares)
        register_source(placements)
        register_source(milestones)
        # The placement part of the facts per citizen and month, and the signals that make
        # the measures compute live when a flag or threshold they read changes.
        from cases.placements import month_facts

        month_facts.connect()
