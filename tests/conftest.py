"""Shared fixtures: organisation, logged-in clients, and the real-browser harness.

Services: without DATABASE_URL the suite runs on SQLite; tests marked ``redis`` need
REDIS_URL, tests marked ``browser`` need Debian's Chromium. They are skipped, with the reason
printed, when those are missing, except with CI=true, where a missing service fails the run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
from collections.abc import Iterator
from typing import Any

import factory.random
import pytest
import time_machine
from django.test import Client

from substitution.models import Role, Team, Unit, User
from tests import clock
from tests.factories.org import PASSWORD, TeamFactory, UnitFactory, make_staff

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# alongside it are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock",
        default=os.environ.get("TEST_CLOCK", "default"),
        help=(
            "The frozen instant every test runs at: 'default', a name from tests/clock.py "
            "(e.g. spring-0130), an ISO 8601 instant, or 'sweep' (tests marked clock_sweep "
            "run once at every hard instant). Also TEST_CLOCK."
        ),
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``--clock sweep``: a test marked ``clock_sweep`` runs once per hard instant."""
    if (
        metafunc.config.getoption("clock") == "sweep"
        and metafunc.definition.get_closest_marker("clock_sweep")
        and not metafunc.definition.get_closest_marker("not_swept")
        and "clock_instant" in metafunc.fixturenames
    ):
        names = list(clock.HARD_INSTANTS)
        metafunc.parametrize(
            "clock_instant",
            [clock.HARD_INSTANTS[name] for name in names],
            ids=[f"clock={name}" for name in names],
        )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``--clock sweep`` leaves out the tests marked ``not_swept``: they vary the data, not the
    date (a page's query count with 5 and with 60 rows), and run once in the main suite."""
    if config.getoption("clock") != "sweep":
        return
    swept = [item for item in items if not item.get_closest_marker("not_swept")]
    if len(swept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i.get_closest_marker("not_swept")])
        items[:] = swept


@pytest.fixture
def clock_instant(request: pytest.FixtureRequest) -> dt.datetime:
    """The instant this test is frozen at (see tests/clock.py)."""
    name = request.config.getoption("clock")
    return clock.resolve("default" if name == "sweep" else name)


@pytest.fixture(autouse=True)
def _seeded_factories() -> None:
    """Factory data (Faker names, addresses) is the same on every run of a test, so a test's
    outcome never depends on which random name a staff member got."""
    factory.random.reseed_random("substitution-tests")


@pytest.fixture(autouse=True)
def _frozen_clock(
    request: pytest.FixtureRequest, clock_instant: dt.datetime
) -> Iterator[time_machine.Traveller | None]:
    """Every test runs at a frozen instant, never the wall clock; a test that travels itself
    (``time_machine.travel``) nests inside this one. ``@pytest.mark.wall_clock`` opts out."""
    if request.node.get_closest_marker("wall_clock"):
        yield None
        return
    with time_machine.travel(clock_instant, tick=False) as traveller:
        yield traveller


def _missing(service: str, reason: str) -> None:
    if CI:
        pytest.fail(f"CI=true but {service} is not available: {reason}", pytrace=False)
    pytest.skip(f"{service} not available: {reason}")


_wall_clock_travel: time_machine.travel | None = None


def pytest_configure(config: pytest.Config) -> None:
    """``TEST_WALL_CLOCK=<ISO instant or name from tests/clock.py>`` moves this process's wall
    clock there (ticking) for the whole run, as a machine with its clock set there would: the
    suite must pass whatever it says, because every test freezes its own instant."""
    global _wall_clock_travel
    wall = os.environ.get("TEST_WALL_CLOCK")
    if wall:
        _wall_clock_travel = time_machine.travel(clock.resolve(wall), tick=True)
        _wall_clock_travel.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _wall_clock_travel is not None:
        _wall_clock_travel.stop()


def pytest_sessionstart(session: pytest.Session) -> None:
    """With CI=true the suite must run on PostgreSQL: stop at once, before any test runs."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if CI and engine != "django.db.backends.postgresql":
        pytest.exit(
            f"CI=true but PostgreSQL is not available: DATABASE_URL gives {engine} "
            "(set DATABASE_URL=postgres://...)",
            returncode=1,
        )


def pytest_report_header(config: pytest.Config) -> list[str]:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    name = config.getoption("clock")
    frozen = "sweep" if name == "sweep" else clock.resolve(name).isoformat()
    return [
        f"substitution: tests frozen at {frozen}; this process's wall clock "
        f"{dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}",
        f"substitution: database={engine} redis={'yes' if os.environ.get('REDIS_URL') else 'no'} "
        f"chromium={'yes' if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM) else 'no'} "
        f"CI={CI}",
    ]


@pytest.fixture(autouse=True)
def _services(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("redis"):
        url = os.environ.get("REDIS_URL")
        if not url:
            _missing("Redis", "REDIS_URL is not set")
        else:
            import redis

            try:
                redis.Redis.from_url(url, socket_connect_timeout=2).ping()
            except Exception as exc:  # noqa: BLE001
                _missing("Redis", f"{url}: {exc}")
    if request.node.get_closest_marker("postgres"):
        from django.conf import settings

        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            _missing("PostgreSQL", "DATABASE_URL does not point at PostgreSQL")


# --- organisation ----------------------------------------------------------------------------


@pytest.fixture
def unit(db: None) -> Unit:
    return UnitFactory.create(name="Jobcenter Test")


@pytest.fixture
def team(unit: Unit) -> Team:
    return TeamFactory.create(unit=unit, name="Team A")


@pytest.fixture
def other_team(unit: Unit) -> Team:
    return TeamFactory.create(unit=unit, name="Team B")


@pytest.fixture
def jobformidler(team: Team) -> User:
    return make_staff(Role.JOBFORMIDLER, team, username="jf")


@pytest.fixture
def other_jobformidler(other_team: Team) -> User:
    return make_staff(Role.JOBFORMIDLER, other_team, username="jf_other")


@pytest.fixture
def konsulent(team: Team) -> User:
    return make_staff(Role.VIRKSOMHEDSKONSULENT, team, username="vk")


@pytest.fixture
def teamleder(team: Team) -> User:
    return make_staff(Role.TEAMLEDER, team, username="tl")


@pytest.fixture
def leder(team: Team) -> User:
    return make_staff(Role.LEDER, team, username="leder")


@pytest.fixture
def administrator(team: Team) -> User:
    return make_staff(Role.ADMINISTRATOR, team, username="adm")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def jf_client(jobformidler: User) -> Client:
    return client_for(jobformidler)


@pytest.fixture
def password() -> str:
    return PASSWORD


# --- browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _playwright_browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        _missing("Chromium", f"{CHROMIUM} not found (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def code_lists(transactional_db: None) -> None:
    """Live-server (transactional) tests flush every table after each test, including the code
    lists the data migrations seed; reload them (the loaders are idempotent)."""
    from importlib import import_module

    from django.apps import apps

    import_module("companies.migrations.0003_code_lists").load(apps, None)
    import_module("cases.migrations.0003_code_lists").load(apps, None)
    # The later code-list values: placement type flags, cadence flags, exit categories.
    import_module("companies.migrations.0007_placementtype_flags").load(apps, None)
    import_module("cases.migrations.0008_measures_data_values").load(apps, None)


@pytest.fixture
def page(_playwright_browser: Any, live_server: Any, code_lists: None) -> Iterator[Any]:
    """A fresh browser page; ``page.base_url`` is the live server's address."""
    context = _playwright_browser.new_context(locale="da-DK", base_url=live_server.url)
    context.set_default_timeout(10_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.console_errors = errors
    yield pg
    # Let requests the page still has in flight (htmx sections loading after the last step)
    # finish before the test's database is flushed: a live-server request holding locks
    # while the flush truncates deadlocks it.
    with contextlib.suppress(Exception):
        pg.wait_for_load_state("networkidle", timeout=5_000)
    context.close()


def login(page: Any, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    # Landing pages load panels with htmx; let them finish so tests start from a quiet page.
    page.wait_for_load_state("networkidle")


def assert_accessible(page: Any) -> None:
    """No serious or critical axe-core violations on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = [
        v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}
    ]
    assert not violations, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + ", ".join(str(n.get("target")) for n in v["nodes"][:5])
        for v in violations
    )


def assert_no_csp_errors(page: Any) -> None:
    csp = [e for e in page.console_errors if "Content Security Policy" in e]
    assert not csp, csp
