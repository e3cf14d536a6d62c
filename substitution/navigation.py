"""Navigation and landing pages by role.

Entries name URL patterns as strings so the project package does not import the apps that
provide them; an entry whose URL does not exist (yet) is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from substitution.models import Role
from substitution.roles import Cap, roles_with

ALL = frozenset(Role.values)
STAFF = ALL


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    roles: frozenset[str]


NAV_ITEMS: list[NavItem] = [
    NavItem("home", _("Forside"), ALL),
    NavItem("cases:my_day", _("Min dag"), frozenset({Role.JOBFORMIDLER, Role.MENTOR})),
    NavItem(
        "cases:caseload",
        _("Borgere"),
        frozenset({Role.JOBFORMIDLER, Role.MENTOR, Role.TEAMLEDER, Role.LEDER, Role.ADMINISTRATOR}),
    ),
    NavItem("cases:hours_grid", _("Timer"), frozenset({Role.JOBFORMIDLER, Role.TEAMLEDER})),
    NavItem("companies:pipeline", _("Virksomheder"), roles_with(Cap.COMPANIES_VIEW)),
    NavItem("reporting:dashboard", _("Styring"), roles_with(Cap.DASHBOARD_VIEW)),
    NavItem("reporting:report_archive", _("Rapporter"), roles_with(Cap.REPORTS_EXPORT)),
    NavItem("reporting:fidelity", _("Fidelitet"), roles_with(Cap.DASHBOARD_VIEW)),
    # Staff answer fidelity surveys (reporting.fidelity): their own forms only.
    NavItem("reporting:fidelity_mine", _("Spørgeskemaer"), frozenset({Role.JOBFORMIDLER})),
    NavItem("audit_log", _("Revisionslog"), roles_with(Cap.AUDIT_VIEW)),
    NavItem("cases:import_citizens", _("Import"), roles_with(Cap.IMPORTS_RUN)),
    NavItem("reporting:api_tokens", _("API-nøgler"), roles_with(Cap.ADMIN_SITE)),
    NavItem("admin:index", _("Administration"), roles_with(Cap.ADMIN_SITE)),
]

# The page each role lands on after logging in. While a URL does not exist (the dashboards of
# reporting: reporting:dashboard) the generic landing page for the role is shown.
LANDING: dict[str, str] = {
    Role.JOBFORMIDLER: "cases:my_day",
    Role.MENTOR: "cases:my_day",
    Role.VIRKSOMHEDSKONSULENT: "companies:pipeline",
    Role.TEAMLEDER: "reporting:dashboard",
    Role.LEDER: "reporting:manager",
}


def try_reverse(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def items_for(roles: set[str], is_superuser: bool = False) -> list[tuple[str, str | Promise]]:
    result = []
    for item in NAV_ITEMS:
        if not (is_superuser or roles & item.roles):
            continue
        url = try_reverse(item.url_name)
        if url is not None:
            result.append((url, item.label))
    return result
