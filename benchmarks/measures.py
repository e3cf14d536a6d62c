"""Benchmark: the measures (reporting/measures.py) on the large demo data set (PostgreSQL).

    createdb -h 127.0.0.1 -U postgres subst_bench_measures
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/subst_bench_measures \\
        .venv/bin/python manage.py migrate
    DATABASE_URL=... .venv/bin/python manage.py seed_demo --scale 33
    psql -h 127.0.0.1 -U postgres subst_bench_measures -c ANALYZE
    DATABASE_URL=... .venv/bin/python benchmarks/measures.py [--runs 5] [--month 2026-11]

Prints, for the team with the most citizens and one calendar month (default: the last whole
month), each measure's median time and query count; then every measure for one team
(target: under 150 ms), every measure for every team plus the jobcentre (target: under
1.5 s) and a dashboard's 13 months of every measure for one team, each the median of
``--runs`` runs after a warm-up. Wall time in this process: the queries' time in PostgreSQL
plus Python's. The months up to the facts' horizon read the facts per citizen and month
(``manage.py month_facts --rebuild`` first); ``--live`` computes everything from the raw
tables instead (``measures.live()``, the reference).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "substitution.settings")


def schedstat_ns(pid: int) -> int:
    """Nanoseconds the process has run on a CPU (Linux)."""
    with open(f"/proc/{pid}/schedstat") as f:
        return int(f.read().split()[0])


CPU: list[float] = []  # the CPU ms (this process + its PostgreSQL backend) of the last timed()


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, int]:
    """Median wall ms and the query count; the median CPU ms (Python + the PostgreSQL
    backend, less sensitive to a busy machine than wall time) is left in ``CPU``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm up
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    with CaptureQueriesContext(connection) as queries:
        fn()
    times, cpu = [], []
    for _ in range(runs):
        py0, pg0 = time.process_time_ns(), schedstat_ns(backend)
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time_ns() - py0 + schedstat_ns(backend) - pg0) / 1e6)
    CPU[:] = [statistics.median(cpu)]
    return statistics.median(times), len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--month", help="YYYY-MM (default: the last whole month)")
    parser.add_argument("--measure", action="append", default=[], help="only these slugs")
    parser.add_argument("--no-totals", action="store_true", help="skip the all-measures runs")
    parser.add_argument("--live", action="store_true", help="never read the month facts")
    args = parser.parse_args()

    import django

    django.setup()
    if args.live:
        from reporting.measures import _LIVE

        _LIVE.set(True)
    from django.db.models import Count

    from cases.citizens.models import Citizen
    from reporting import measures
    from substitution import days
    from substitution.models import Team, Unit

    if args.month:
        period = measures.Period.parse(args.month)
    else:
        last = days.month_start(days.today()) - dt.timedelta(days=1)
        period = measures.Period.month(last.year, last.month)
    unit = Unit.objects.annotate(n=Count("citizens")).order_by("-n").first()
    assert unit is not None, "no jobcentre: seed the database first"
    teams = list(Team.objects.filter(unit=unit).order_by("name"))
    largest = (
        Citizen.objects.filter(unit=unit).values("team").annotate(n=Count("pk")).order_by("-n")[0]
    )
    team = Team.objects.get(pk=largest["team"])
    population = measures.Population(unit_id=unit.pk, team_ids=(team.pk,))
    print(
        f"{unit.name}: {Citizen.objects.filter(unit=unit).count()} citizens, {len(teams)} teams; "
        f"team {team.name} ({largest['n']} citizens); period {period}; "
        f"month facts: {'yes' if measures.facts_cover(period) else 'no (live)'}"
    )
    print(f"{'measure':40} {'ms':>8} {'cpu ms':>8} {'queries':>8}  figure")
    chosen = [measures.BY_SLUG[s] for s in args.measure] or measures.MEASURES
    for measure in chosen:
        ms, queries = timed(
            lambda m=measure: measures.compute(population, period, [m.slug]), args.runs
        )
        figure = measures.compute(population, period, [measure.slug])[measure.slug]
        print(f"{measure.slug:40} {ms:8.1f} {CPU[0]:8.1f} {queries:8d}  {figure.display}")
    if args.no_totals:
        return
    ms, queries = timed(lambda: measures.compute(population, period), args.runs)
    print(
        f"\nevery measure, one team:                 {ms:8.1f} ms (cpu {CPU[0]:7.1f}) "
        f"{queries:5d} queries"
    )

    def everything() -> None:  # what manage.py measures does without --team
        measures.teams_and_total(
            measures.Population(unit_id=unit.pk), [t.pk for t in teams], period
        )

    ms, queries = timed(everything, max(1, args.runs // 2))
    print(
        f"every measure, {len(teams)} teams + jobcentre: {ms:8.1f} ms (cpu {CPU[0]:7.1f}) "
        f"{queries:5d} queries"
    )

    def trend() -> None:  # a dashboard's 13 months of one team
        month = period.first
        for _ in range(13):
            measures.compute(population, measures.Period.month(month.year, month.month))
            month = days.add_months(month, -1)

    ms, queries = timed(trend, max(1, args.runs // 2))
    print(
        f"every measure, one team, 13 months:      {ms:8.1f} ms (cpu {CPU[0]:7.1f}) "
        f"{queries:5d} queries"
    )


if __name__ == "__main__":
    main()
