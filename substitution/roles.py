"""The role matrix: what each role may see and change, as data.

docs/roles.md shows the same matrix as tables; tests/substitution/test_roles.py proves they
agree. Which *rows* a user sees (own team, led teams, whole jobcentre) is decided by the
``visible_to(user)`` querysets; ``SCOPE`` documents that rule per role.

Views check a capability with ``can(request.user, Cap.X)`` (or ``require(...)``, which raises
PermissionDenied). A new capability is added here and as a row in docs/roles.md.
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from substitution.models import Role, User

JF = Role.JOBFORMIDLER
VK = Role.VIRKSOMHEDSKONSULENT
MENTOR = Role.MENTOR
TL = Role.TEAMLEDER
LEDER = Role.LEDER
ADM = Role.ADMINISTRATOR


class Cap(StrEnum):
    CITIZENS_VIEW = "citizens.view"
    CITIZENS_CHANGE = "citizens.change"
    CITIZENS_ASSIGN = "citizens.assign"
    CPR_REVEAL = "citizens.reveal_cpr"
    CONVERSATIONS_LOG = "conversations.log"
    COMPANIES_VIEW = "companies.view"
    COMPANIES_CHANGE = "companies.change"
    COMPANY_CONTACTS_LOG = "companies.log_contact"
    MATCHES_PROPOSE = "matches.propose"
    CANDIDATES_SHARE = "candidates.share"
    PLACEMENTS_VIEW = "placements.view"
    PLACEMENTS_CHANGE = "placements.change"
    HOURS_CHANGE = "hours.change"
    DASHBOARD_VIEW = "reports.dashboard"
    REPORTS_EXPORT = "reports.export"
    AUDIT_VIEW = "audit.view"
    IMPORTS_RUN = "imports.run"
    ADMIN_SITE = "admin.site"


# Capability -> the roles that have it. A superuser has every capability.
MATRIX: dict[Cap, frozenset[Role]] = {
    Cap.CITIZENS_VIEW: frozenset({JF, VK, MENTOR, TL, LEDER, ADM}),
    Cap.CITIZENS_CHANGE: frozenset({JF, TL, ADM}),
    Cap.CITIZENS_ASSIGN: frozenset({TL, LEDER, ADM}),
    Cap.CPR_REVEAL: frozenset({JF, TL, ADM}),
    Cap.CONVERSATIONS_LOG: frozenset({JF, VK, MENTOR, TL}),
    Cap.COMPANIES_VIEW: frozenset({JF, VK, MENTOR, TL, LEDER, ADM}),
    Cap.COMPANIES_CHANGE: frozenset({VK, TL, LEDER, ADM}),
    # Everyone who contacts a company logs it: the "én indgang" warning needs every contact.
    Cap.COMPANY_CONTACTS_LOG: frozenset({JF, VK, MENTOR, TL, LEDER, ADM}),
    # Case work on the citizen's placement: not leder (reads only), mentor or administrator.
    Cap.MATCHES_PROPOSE: frozenset({JF, VK, TL}),
    # Personal data to a third party: the citizen's jobformidler, the consultant, teamleder.
    Cap.CANDIDATES_SHARE: frozenset({JF, VK, TL}),
    Cap.PLACEMENTS_VIEW: frozenset({JF, VK, MENTOR, TL, LEDER, ADM}),
    Cap.PLACEMENTS_CHANGE: frozenset({JF, VK, TL, ADM}),
    Cap.HOURS_CHANGE: frozenset({JF, VK, MENTOR, TL}),
    Cap.DASHBOARD_VIEW: frozenset({TL, LEDER, ADM}),
    Cap.REPORTS_EXPORT: frozenset({TL, LEDER, ADM}),
    Cap.AUDIT_VIEW: frozenset({LEDER, ADM}),
    Cap.IMPORTS_RUN: frozenset({ADM}),
    Cap.ADMIN_SITE: frozenset({ADM}),
}


class Scope(StrEnum):
    """Which citizens and placements a role sees (companies: always the whole jobcentre)."""

    OWN_TEAMS = "egne teams"
    OWN_AND_LED_TEAMS = "egne og ledede teams"
    UNIT = "hele jobcentret"


SCOPE: dict[Role, Scope] = {
    JF: Scope.OWN_TEAMS,
    VK: Scope.OWN_TEAMS,
    MENTOR: Scope.OWN_TEAMS,
    TL: Scope.OWN_AND_LED_TEAMS,
    LEDER: Scope.UNIT,
    ADM: Scope.UNIT,
}


def roles_with(capability: Cap) -> frozenset[Role]:
    return MATRIX[capability]


def can(user: User | AnonymousUser, capability: Cap) -> bool:
    """True if ``user`` holds a role (in any team) that has ``capability``."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(user.roles() & MATRIX[capability])


def require(user: User | AnonymousUser, capability: Cap) -> None:
    """Raise PermissionDenied (Danish 403 page) unless ``can(user, capability)``."""
    if not can(user, capability):
        raise PermissionDenied
