"""Manager dashboard benchmark (docs/performance.md, "Manager dashboard"): the page, its XLSX
export and the cohort view as the demo leder, straight through Django's test client in this
process (PostgreSQL), after a warm-up.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a seeded copy>
    .venv/bin/python benchmarks/manager.py [--runs 10] [--month 2026-11]

Prints, per page, the number of SQL queries of one request and the p50 / p95 wall time. The
pages write audit rows (the export), so run it on a copy of a seeded database.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "substitution.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--month", default="")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from cases.citizens.models import Citizen
    from substitution.models import Team, User

    leder = User.objects.get(username="leder")
    client = Client(HTTP_HOST="localhost")
    client.force_login(leder, backend="django.contrib.auth.backends.ModelBackend")
    params = {"periode": args.month} if args.month else {}
    print(
        f"{Citizen.objects.count()} citizens, {Team.objects.count()} teams; "
        f"{args.runs} runs after a warm-up"
    )
    for name, url in (
        ("manager dashboard", "/styring/leder/"),
        ("manager trend", "/styring/leder/udvikling/"),
        ("manager XLSX", "/styring/leder/eksport.xlsx"),
        ("cohort view", "/styring/kohorter/"),
    ):
        client.get(url, params)
        count = [0]

        def counted(execute, sql, params_, many, context, count=count):  # type: ignore[no-untyped-def]
            count[0] += 1
            return execute(sql, params_, many, context)

        # The request closes its connection at the end (CONN_MAX_AGE), so count with a
        # wrapper on every new connection instead of CaptureQueriesContext.
        from django.core.signals import request_started

        def wrap(**_kwargs: object) -> None:
            connection.execute_wrappers.append(counted)

        request_started.connect(wrap)
        client.get(url, params)
        request_started.disconnect(wrap)
        connection.execute_wrappers.remove(counted)
        queries = count[0]
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            assert client.get(url, params).status_code == 200
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(
            f"{name:20} queries {queries:4}  "
            f"p50 {statistics.median(times):8.0f} ms  p95 {p95:8.0f} ms"
        )


if __name__ == "__main__":
    main()
