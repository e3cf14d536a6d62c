"""The role matrix in docs/roles.md and substitution/roles.py agree, and ``can`` applies it."""

from __future__ import annotations

from pathlib import Path

import pytest

from substitution.models import Membership, Role, Team, User
from substitution.roles import MATRIX, SCOPE, Cap, can, require
from tests.factories.org import UserFactory, make_staff

DOC = Path(__file__).resolve().parents[2] / "docs" / "roles.md"
ROLE_BY_LABEL = {str(role.label): role for role in Role}


def _tables(markdown: str) -> list[list[list[str]]]:
    """Every markdown table in the text, as rows of stripped cells (separator rows dropped)."""
    tables: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in [*markdown.splitlines(), ""]:
        if line.startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if not all(set(cell) <= {"-", ":"} for cell in cells):
                current.append(cells)
        elif current:
            tables.append(current)
            current = []
    return tables


def _table_with_header(first_cell: str) -> list[list[str]]:
    for table in _tables(DOC.read_text(encoding="utf-8")):
        if table[0][0] == first_cell:
            return table
    raise AssertionError(f"no table starting with {first_cell!r} in {DOC}")


def test_capability_table_matches_matrix() -> None:
    header, *rows = _table_with_header("Capability")
    roles = [ROLE_BY_LABEL[label] for label in header[2:]]
    assert set(roles) == set(Role)
    documented: dict[str, frozenset[str]] = {}
    for row in rows:
        key = row[1].strip("`")
        assert all(cell in {"✓", "–"} for cell in row[2:]), row
        documented[key] = frozenset(
            role for role, cell in zip(roles, row[2:], strict=True) if cell == "✓"
        )
    assert documented == {str(cap): frozenset(map(str, MATRIX[cap])) for cap in Cap}


def test_scope_table_matches_scope() -> None:
    header, *rows = _table_with_header("Role")
    assert header[1].startswith("Citizens")
    documented = {ROLE_BY_LABEL[row[0]]: row[1] for row in rows}
    assert documented == {role: str(scope) for role, scope in SCOPE.items()}
    assert all(row[2] == "hele jobcentret" for row in rows)


def test_every_capability_has_a_row_and_every_role_a_scope() -> None:
    assert set(MATRIX) == set(Cap)
    assert set(SCOPE) == set(Role)


@pytest.mark.parametrize("cap", list(Cap))
@pytest.mark.parametrize("role", list(Role))
def test_can_follows_matrix(team: Team, role: Role, cap: Cap) -> None:
    user = make_staff(role, team, username=f"u_{role}")
    assert can(user, cap) is (role in MATRIX[cap])


def test_roles_from_several_teams_add_up(team: Team, other_team: Team) -> None:
    user = make_staff(Role.MENTOR, team, username="both")
    assert not can(user, Cap.AUDIT_VIEW)
    Membership.objects.create(user=user, team=other_team, role=Role.LEDER)
    user = User.objects.get(pk=user.pk)  # roles() is cached per instance
    assert can(user, Cap.AUDIT_VIEW)
    assert can(user, Cap.HOURS_CHANGE)


def test_superuser_can_everything_and_roleless_or_inactive_nothing(team: Team) -> None:
    superuser = UserFactory.create(username="root", is_superuser=True, unit=team.unit)
    roleless = UserFactory.create(username="nobody", unit=team.unit)
    inactive = make_staff(Role.LEDER, team, username="gone", is_active=False)
    for cap in Cap:
        assert can(superuser, cap)
        assert not can(roleless, cap)
        assert not can(inactive, cap)


def test_anonymous_cannot_and_require_raises(leder: User) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    assert not can(AnonymousUser(), Cap.COMPANIES_VIEW)
    require(leder, Cap.AUDIT_VIEW)
    with pytest.raises(PermissionDenied):
        require(leder, Cap.IMPORTS_RUN)
