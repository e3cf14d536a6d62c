"""Benchmark: placements and ordinary hours pages on the large demo data set (PostgreSQL).

    createdb -h 127.0.0.1 -U postgres subst_bench_placements
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/subst_bench_placements \\
        .venv/bin/python manage.py migrate
    DATABASE_URL=... .venv/bin/python manage.py seed_demo --scale 33   # ~200,000 placements
    DATABASE_URL=... .venv/bin/python benchmarks/placements.py [--runs 11]

Times, through the Django test client (full request: middleware, queries, templates):
the hours grid of the jobformidler with the largest caseload, the citizen panel (chart,
milestones, alerts) of the citizen with the most weekly rows, the company panel of the company
with the most placements, Min dag's alert panel, and the four alerts over the whole jobcentre
(every row loaded, and counted only).
Prints median / min / max and the number of queries of each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def timed(fn: Callable[[], Any], runs: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm up
    with CaptureQueriesContext(connection) as queries:
        fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times, len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, reset_queries

    # Keep one connection and its query log across requests so the query counts are captured.
    request_started.disconnect(reset_queries)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    if connection.vendor != "postgresql":
        sys.exit("Run with DATABASE_URL pointing at PostgreSQL (see the docstring).")
    from cases.citizens.models import Citizen
    from cases.placements import alerts
    from cases.placements.models import Placement, WeeklyHours
    from substitution.models import User

    today = timezone.localdate()
    print(
        f"placements={Placement.objects.count():,} weekly_hours={WeeklyHours.objects.count():,} "
        f"citizens={Citizen.objects.count():,}"
    )
    jf_id = (
        Citizen.objects.exclude(jobformidler=None)
        .values("jobformidler")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("jobformidler", flat=True)[0]
    )
    jf = User.objects.get(pk=jf_id)
    citizen_id = (
        WeeklyHours.objects.filter(placement__citizen__jobformidler=jf)
        .values("placement__citizen")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("placement__citizen", flat=True)[0]
    )
    company_id = (
        Placement.objects.filter(citizen__jobformidler=jf)
        .values("company")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("company", flat=True)[0]
    )
    client = Client(HTTP_HOST="localhost")  # ALLOWED_HOSTS has no "testserver"
    client.force_login(jf, backend="django.contrib.auth.backends.ModelBackend")
    caseload = Citizen.objects.filter(jobformidler=jf).count()
    print(f"jobformidler {jf.username}: {caseload} citizens")

    def get(url: str) -> Callable[[], Any]:
        def call() -> Any:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return call

    def all_alerts() -> None:
        for result in alerts.evaluate(Placement.objects.filter(citizen__unit_id=jf.unit_id), today):
            len(result.placements)

    def alert_counts() -> None:  # what a dashboard needs: one COUNT per alert
        unit_placements = Placement.objects.filter(citizen__unit_id=jf.unit_id)
        for alert in alerts.ALERTS:
            alert.fn(unit_placements, today, jf.unit_id).count()

    cases = [
        ("hours grid (own caseload)", get(reverse("cases:hours_grid"))),
        ("hours grid (whole team, page 1)", get(reverse("cases:hours_grid") + "?alle=1")),
        (
            "citizen panel, 52 weeks",
            get(reverse("cases:citizen_placements", args=[citizen_id]) + "?uger=52"),
        ),
        ("company panel", get(reverse("cases:company_placements", args=[company_id]))),
        ("Min dag alerts", get(reverse("cases:my_alerts"))),
        ("all four alerts, whole jobcentre (rows)", all_alerts),
        ("all four alerts, whole jobcentre (counts)", alert_counts),
    ]
    print("| page | median | min | max | queries | runs |\n|---|---|---|---|---|---|")
    for name, fn in cases:
        times, queries = timed(fn, args.runs)
        print(
            f"| {name} | {statistics.median(times):.1f} ms | {min(times):.1f} ms | "
            f"{max(times):.1f} ms | {queries} | {args.runs} |"
        )


if __name__ == "__main__":
    main()
