"""No test reads the wall clock: every test body runs under the suite's frozen instant
(tests/conftest.py, ``_frozen_clock``), so a read of the clock is only unfrozen where it runs
before that fixture — at import (module or class level, default arguments, decorator
arguments) or in a fixture wider than one test. This check finds such reads in tests/."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent

# Attribute calls that read the clock: timezone.now(), date.today(), days.today(), ...
CLOCK_READS = {
    ("timezone", "now"),
    ("timezone", "localdate"),
    ("timezone", "localtime"),
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "today"),
    ("datetime", "utcnow"),
    ("time", "time"),
    ("days", "today"),
    ("days", "now"),
}
WIDE_SCOPES = {"session", "package", "module", "class"}


def _is_clock_read(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Attribute):
        owner = func.value
        name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
        return (name, func.attr) in CLOCK_READS
    return False


def _wide_fixture(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in function.decorator_list:
        if isinstance(decorator, ast.Call):
            for keyword in decorator.keywords:
                if (
                    keyword.arg == "scope"
                    and isinstance(keyword.value, ast.Constant)
                    and keyword.value.value in WIDE_SCOPES
                ):
                    return True
    return False


def unfrozen_clock_reads(source: str) -> list[int]:
    """Line numbers of clock reads that run outside a test's frozen clock."""
    found: list[int] = []

    def visit(node: ast.AST, frozen: bool) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            # Decorators and default values run at definition time, the body when called.
            for outer in [*node.decorator_list, *node.args.defaults, *node.args.kw_defaults]:
                if outer is not None:
                    visit(outer, frozen)
            body_frozen = not _wide_fixture(node)
            for statement in node.body:
                visit(statement, body_frozen)
            return
        if isinstance(node, ast.Lambda):
            for default in node.args.defaults:
                visit(default, frozen)
            visit(node.body, True)  # called later, from inside a test
            return
        if not frozen and _is_clock_read(node):
            found.append(getattr(node, "lineno", 0))
        for child in ast.iter_child_nodes(node):
            visit(child, frozen)

    visit(ast.parse(source), frozen=False)
    return found


def test_the_checker_finds_unfrozen_reads() -> None:
    source = (
        "import datetime as dt\n"
        "from django.utils import timezone\n"
        "TODAY = dt.date.today()\n"  # line 3: at import
        "def test_a(day=timezone.localdate()):\n"  # line 4: default argument
        "    return timezone.now()\n"  # frozen: inside a test
        "@pytest.fixture(scope='session')\n"
        "def wide():\n"
        "    return timezone.now()\n"  # line 8: before any test's clock
        "class TestX:\n"
        "    NOW = timezone.now()\n"  # line 10: class body
        "    def test_b(self):\n"
        "        return dt.datetime.now()\n"  # frozen
        "LAZY = factory.LazyFunction(lambda: timezone.now())\n"  # frozen: called in a test
    )
    assert unfrozen_clock_reads(source) == [3, 4, 8, 10]


def test_no_test_reads_the_wall_clock() -> None:
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        for line in unfrozen_clock_reads(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(TESTS.parent)}:{line}")
    assert offenders == [], (
        "These read the real clock before a test's frozen clock applies; compute the value "
        f"inside the test or a function-scoped fixture: {offenders}"
    )


def test_no_test_opts_out_of_the_frozen_clock() -> None:
    """``wall_clock`` exists for a test that truly needs real time; none does today."""
    users = [
        str(path.relative_to(TESTS.parent))
        for path in sorted(TESTS.rglob("test_*.py"))
        if path != Path(__file__).resolve() and "mark.wall_clock" in path.read_text("utf-8")
    ]
    assert users == []
