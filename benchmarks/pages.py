"""Page benchmark: the daily pages against a seeded PostgreSQL database (docs/performance.md).

    createdb -h 127.0.0.1 -U postgres -T subst_demo33 bench33     # a copy: pages write audit rows
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench33
    psql -h 127.0.0.1 -U postgres -d bench33 -c ANALYZE
    DEBUG=false .venv/bin/python manage.py collectstatic --noinput  # the manifest production uses
    .venv/bin/python benchmarks/pages.py [--runs 21] [--http-runs 60] [--only caseload]
                                         [--json benchmarks/results/scale33.json]
                                         [--compare benchmarks/results/scale3.json]

Production settings (``DEBUG`` off, ``benchmarks.settings`` = ``substitution.settings`` plus
one floor page). For each page, as the user who uses it daily:

- **queries**: the number of SQL queries of one request;
- **CPU**: the median of ``--runs`` requests (after two warm-ups, straight through Django's
  WSGI handler in this process) of the server CPU per request = this process's CPU (Python)
  + the CPU of the PostgreSQL backend serving it (``/proc/<backend pid>/schedstat``, nanoseconds);
- **p50 / p95**: wall clock of ``--http-runs`` sequential requests through gunicorn
  (2 sync workers, same settings, session cookie of the same user) after a warm-up;
- **×floor**: the page's CPU over the floor page's, measured in the same run (a 40-row table
  from one trivial query through the same middleware).

Both measurements run in interleaved rounds (each page once per round, the floor first), so a
slower stretch of a shared virtual machine weighs on every page alike.

With ``--compare`` (the JSON of a run on another data set, e.g. ``--scale 3.3``) it also
prints each page's CPU ratio to that run, and the ratio of the ×floor figures (which cancels a
difference in the two runs' machine speed). Pages write their audit rows as usual, so run it on
a copy of the seeded database, never on one somebody uses.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
os.environ.setdefault("DEBUG", "false")

HOST = "localhost"


@dataclass
class Page:
    name: str
    user: str  # key into the users dict
    url: str
    htmx: bool = False


@dataclass
class Result:
    name: str
    queries: int = 0
    cpu_ms: float = 0.0
    py_ms: float = 0.0
    pg_ms: float = 0.0
    p50_ms: float | None = None
    p95_ms: float | None = None
    bytes: int = 0
    cpu_runs: list[float] = field(default_factory=list)


def schedstat_ns(pid: int) -> int:
    """Nanoseconds the process has run on a CPU (Linux)."""
    with open(f"/proc/{pid}/schedstat") as f:
        return int(f.read().split()[0])


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def pick_objects() -> tuple[dict[str, Any], dict[str, int]]:
    """The users and objects the pages are measured with: the jobformidler with the largest
    active caseload, a teamleder of that team, a leder and a virksomhedskonsulent of the
    jobcentre, that jobformidler's citizen with the most conversations, and the company with
    the most placements."""
    from django.db.models import Count

    from cases.citizens.models import Citizen, CitizenStatus, Conversation
    from cases.placements.models import Placement
    from substitution.models import Membership, Role, User

    jf_id = (
        Citizen.objects.filter(status=CitizenStatus.AKTIV)
        .exclude(jobformidler=None)
        .values("jobformidler")
        .annotate(n=Count("pk"))
        .order_by("-n", "jobformidler")
        .values_list("jobformidler", flat=True)[0]
    )
    jf = User.objects.get(pk=jf_id)
    team_id = Membership.objects.filter(user=jf, role=Role.JOBFORMIDLER).values_list(
        "team_id", flat=True
    )[0]

    def with_role(role: str, **extra: Any) -> User:
        membership = (
            Membership.objects.filter(role=role, team__unit_id=jf.unit_id, **extra)
            .order_by("pk")
            .select_related("user")
            .first()
        )
        assert membership is not None, role
        return membership.user

    users = {
        "jobformidler": jf,
        "teamleder": with_role(Role.TEAMLEDER, team_id=team_id),
        "leder": with_role(Role.LEDER),
        "virksomhedskonsulent": with_role(Role.VIRKSOMHEDSKONSULENT),
    }
    citizen_id = (
        Conversation.objects.filter(citizen__jobformidler=jf)
        .values("citizen")
        .annotate(n=Count("pk"))
        .order_by("-n", "citizen")
        .values_list("citizen", flat=True)[0]
    )
    company_id = (
        Placement.objects.filter(citizen__unit_id=jf.unit_id)
        .values("company")
        .annotate(n=Count("pk"))
        .order_by("-n", "company")
        .values_list("company", flat=True)[0]
    )
    return users, {"citizen": citizen_id, "company": company_id}


def build_pages(objects: dict[str, int]) -> list[Page]:
    from django.urls import reverse

    from cases.citizens.filters import SORTS

    caseload = reverse("cases:caseload")
    citizen, company = objects["citizen"], objects["company"]
    pages = [
        Page("floor (40-row table, 1 query)", "jobformidler", reverse("benchmark_floor")),
        Page("Min dag (jobformidler)", "jobformidler", reverse("cases:my_day")),
        Page("Min dag alerts panel", "jobformidler", reverse("cases:my_alerts"), htmx=True),
    ]
    for role in ("jobformidler", "teamleder", "leder"):
        pages.append(Page(f"caseload, {role}", role, caseload))
        for sort in SORTS:
            if sort != "navn":
                pages.append(
                    Page(f"caseload, {role}, sorter={sort}", role, f"{caseload}?sorter={sort}")
                )
    pages += [
        Page("caseload, leder, whole team filter trin=2", "leder", f"{caseload}?trin=2"),
        Page("citizen page", "jobformidler", reverse("cases:citizen_detail", args=[citizen])),
        Page(
            "citizen placements panel",
            "jobformidler",
            reverse("cases:citizen_placements", args=[citizen]),
            htmx=True,
        ),
        Page(
            "citizen matches panel",
            "jobformidler",
            reverse("cases:citizen_matches", args=[citizen]),
            htmx=True,
        ),
        Page("hours grid (jobformidler)", "jobformidler", reverse("cases:hours_grid")),
        Page(
            "company page",
            "virksomhedskonsulent",
            reverse("companies:company_detail", args=[company]),
        ),
        Page(
            "company placements panel",
            "virksomhedskonsulent",
            reverse("cases:company_placements", args=[company]),
            htmx=True,
        ),
        Page("pipeline", "virksomhedskonsulent", reverse("companies:pipeline")),
        # The citizen page's sections that load on demand (issue 14), the search from every
        # page, and the reporting pages (issues 10 and 11).
        *(
            Page(
                f"citizen section {name}",
                "jobformidler",
                reverse("cases:citizen_section", args=[citizen, name]),
                htmx=True,
            )
            for name in ("plan", "tidslinje", "profil", "samtykke")
        ),
        Page("search 'hansen'", "jobformidler", reverse("cases:search") + "?q=hansen"),
        Page("team lead dashboard", "teamleder", reverse("reporting:team_lead")),
        Page(
            "team lead sparklines (13 months)",
            "teamleder",
            reverse("reporting:team_trend"),
            htmx=True,
        ),
        Page(
            "drill-down contact_cadence (team)",
            "teamleder",
            reverse("reporting:drill_down", args=["contact_cadence"]),
        ),
        Page("manager dashboard", "leder", reverse("reporting:manager")),
        Page("manager trend (13 months)", "leder", reverse("reporting:manager_trend"), htmx=True),
        Page("fidelity page", "leder", reverse("reporting:fidelity")),
    ]
    return pages


def call_wsgi(application: Any, page: Page, session: str) -> bytes:
    """One GET straight through Django's WSGI handler (no test client: it records every
    rendered template's context, which costs CPU a real request does not have)."""
    path, _, query = page.url.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": HOST,
        "SERVER_PORT": "443",
        "HTTP_HOST": HOST,
        "HTTP_COOKIE": f"sessionid={session}",
        "HTTP_X_FORWARDED_PROTO": "https",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if page.htmx:
        environ["HTTP_HX_REQUEST"] = "true"
    status: list[str] = []
    body = b"".join(application(environ, lambda s, h, *a: status.append(s)))
    assert status[0].startswith("200"), (page.url, status[0])
    return body


def measure_in_process(
    pages: list[Page], cookies: dict[str, str], runs: int, results: dict[str, Result]
) -> None:
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    application = WSGIHandler()

    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]

    def get(page: Page) -> bytes:
        return call_wsgi(application, page, cookies[page.user])

    for page in pages:
        get(page)
        get(page)  # warm-up: templates, code lists, caches
        with CaptureQueriesContext(connection) as captured:
            body = get(page)
        result = results.setdefault(page.name, Result(page.name))
        result.queries = len(captured.captured_queries)
        result.bytes = len(body)

    # Interleaved rounds (every page once per round, the floor first): a slower stretch of a
    # shared machine then costs every page the same, and ×floor stays comparable.
    py_runs: dict[str, list[float]] = {page.name: [] for page in pages}
    pg_runs: dict[str, list[float]] = {page.name: [] for page in pages}
    for _ in range(runs):
        for page in pages:
            py0, pg0 = time.process_time_ns(), schedstat_ns(backend)
            get(page)
            py_runs[page.name].append((time.process_time_ns() - py0) / 1e6)
            pg_runs[page.name].append((schedstat_ns(backend) - pg0) / 1e6)
    for page in pages:
        result = results[page.name]
        result.cpu_runs = [
            py + pg for py, pg in zip(py_runs[page.name], pg_runs[page.name], strict=True)
        ]
        result.cpu_ms = statistics.median(result.cpu_runs)
        result.py_ms = statistics.median(py_runs[page.name])
        result.pg_ms = statistics.median(pg_runs[page.name])
        print(
            f"  {page.name}: {result.queries} queries, CPU {result.cpu_ms:.1f} ms "
            f"(python {result.py_ms:.1f}, postgres {result.pg_ms:.1f})",
            file=sys.stderr,
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def measure_gunicorn(
    pages: list[Page], cookies: dict[str, str], runs: int, results: dict[str, Result]
) -> None:
    import http.client

    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "substitution.wsgi:application",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(ROOT),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)

        def fetch(page: Page) -> float:
            headers = {
                "Host": HOST,
                "X-Forwarded-Proto": "https",
                "Cookie": f"sessionid={cookies[page.user]}",
            }
            if page.htmx:
                headers["HX-Request"] = "true"
            started = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", page.url, headers=headers)
            response = conn.getresponse()
            response.read()
            conn.close()
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status == 200, (page.url, response.status)
            return elapsed

        for page in pages:
            for _ in range(4):  # warm both workers
                fetch(page)
        times: dict[str, list[float]] = {page.name: [] for page in pages}
        for _ in range(runs):  # interleaved rounds, as in process
            for page in pages:
                times[page.name].append(fetch(page))
        for page in pages:
            result = results[page.name]
            result.p50_ms = percentile(times[page.name], 0.5)
            result.p95_ms = percentile(times[page.name], 0.95)
            print(
                f"  {page.name}: p50 {result.p50_ms:.1f} ms, p95 {result.p95_ms:.1f} ms",
                file=sys.stderr,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


def report(
    results: list[Result], compare: dict[str, dict[str, Any]] | None, print_: Callable = print
) -> None:
    floor = results[0].cpu_ms
    head = "| page | queries | CPU ms (py + pg) | ×floor | p50 ms | p95 ms |"
    rule = "|---|---|---|---|---|---|"
    other_floor = None
    if compare:
        head += " CPU ms other run | ratio | ×floor ratio |"
        rule += "---|---|---|"
        other_floor = compare.get(results[0].name, {}).get("cpu_ms")
    print_(head)
    print_(rule)
    for r in results:
        http = f"{r.p50_ms:.1f} | {r.p95_ms:.1f}" if r.p50_ms is not None and r.p95_ms else "– | –"
        line = (
            f"| {r.name} | {r.queries} | {r.cpu_ms:.1f} ({r.py_ms:.1f} + {r.pg_ms:.1f}) | "
            f"{r.cpu_ms / floor:.1f} | {http} |"
        )
        if compare:
            other = compare.get(r.name)
            if other:
                ratio = r.cpu_ms / other["cpu_ms"]
                floor_ratio = f"{ratio * other_floor / floor:.2f}" if other_floor else "–"
                line += f" {other['cpu_ms']:.1f} | {ratio:.2f} | {floor_ratio} |"
            else:
                line += " – | – | – |"
        print_(line)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=21, help="in-process requests per page")
    parser.add_argument("--http-runs", type=int, default=60, help="gunicorn requests per page")
    parser.add_argument("--no-http", action="store_true", help="skip the gunicorn part")
    parser.add_argument("--only", default="", help="pages whose name contains this text")
    parser.add_argument("--json", help="write the results to this file")
    parser.add_argument("--compare", help="JSON of another run: print the CPU ratio to it")
    args = parser.parse_args()
    # Stopped with SIGTERM: unwind, so the gunicorn started below is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))

    import django

    django.setup()
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client

    if connection.vendor != "postgresql":
        sys.exit("Run with DATABASE_URL pointing at PostgreSQL (see the docstring).")
    # One connection (one backend to read the CPU of) for the in-process requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    users, objects = pick_objects()
    pages = build_pages(objects)
    floor_page = pages[0]
    if args.only:
        pages = [floor_page] + [p for p in pages[1:] if args.only in p.name]
    clients: dict[str, Any] = {}
    for key, user in users.items():
        client = Client(HTTP_HOST=HOST)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        clients[key] = client
        print(f"{key}: {user.username}", file=sys.stderr)
    from cases.citizens.models import Citizen

    print(
        f"data: {Citizen.objects.count():,} citizens; jobformidler's active caseload "
        f"{Citizen.objects.filter(jobformidler=users['jobformidler'], status='aktiv').count()}; "
        f"citizen {objects['citizen']}, company {objects['company']}",
        file=sys.stderr,
    )
    results: dict[str, Result] = {}
    cookies = {key: c.cookies["sessionid"].value for key, c in clients.items()}
    measure_in_process(pages, cookies, args.runs, results)
    if not args.no_http:
        measure_gunicorn(pages, cookies, args.http_runs, results)
    ordered = [results[p.name] for p in pages]
    compare = json.loads(Path(args.compare).read_text()) if args.compare else None
    report(ordered, compare)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(
            json.dumps({r.name: asdict(r) for r in ordered}, indent=1, ensure_ascii=False)
        )


if __name__ == "__main__":
    main()
