"""Benchmark: match one citizen against 5,000 companies with 20,000 tasks on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres subst_bench_companies
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/subst_bench_companies \\
        .venv/bin/python benchmarks/matching.py [--scale 33] [--runs 15]

Migrates, seeds the organisation and the companies (``--scale 33`` ~ 5,000 companies with
~20,000 tasks; idempotent, so a second run reuses the data), adds a few citizens with job
goals, consents and barriers, then times ``cases.matching.scoring.rank_tasks`` (one citizen against
every open task) and ``rank_citizens`` (one task against the caseload) and prints the
median and spread of several runs. Target: median < 300 ms for rank_tasks.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "substitution.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=33)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--citizens", type=int, default=200)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from faker import Faker

    if connection.vendor != "postgresql":
        sys.exit("Run with DATABASE_URL pointing at PostgreSQL (see the docstring).")
    call_command("migrate", verbosity=0)

    from cases.citizens.models import Barrier, Citizen, Consent, JobGoal
    from cases.matching.scoring import rank_citizens, rank_tasks
    from companies import demo as companies_demo
    from companies.models import Company, Task
    from substitution import demo as org_demo
    from substitution.models import User

    faker = Faker("da_DK")
    faker.seed_instance(2026)
    ctx = org_demo.DemoContext(
        seed=2026, scale=args.scale, rng=random.Random(2026), faker=faker, stdout=sys.stdout
    )
    started = time.perf_counter()
    with transaction.atomic():
        org_demo.seed(ctx)
        companies_demo.seed(ctx)
    print(f"seed: {time.perf_counter() - started:.1f} s")

    unit = ctx.data["unit"]
    team = ctx.data["teams"][0]
    konsulent = User.objects.get(username="konsulent")
    goals = ["Lagermedarbejder", "Butiksassistent", "Kok", "Rengøring", "Pakning på lager"]
    with transaction.atomic():
        have = Citizen.objects.filter(unit=unit, cpr__startswith="99").count()
        for n in range(have, args.citizens):
            citizen = Citizen.objects.create(
                unit=unit,
                team=team,
                cpr=f"99{n:08d}",
                first_name=faker.first_name(),
                last_name=faker.last_name(),
                postal_code=random.Random(n).choice(["8000", "8200", "8260", "8600", "2100"]),
            )
            JobGoal.objects.create(citizen=citizen, title=goals[n % len(goals)], hours_per_week=15)
            if n % 2:
                Consent.objects.create(citizen=citizen, given_on="2025-01-01", scope="Deling")
            if n % 5 == 0:
                citizen.barriers.set(Barrier.objects.filter(code="transport"))
    citizen = Citizen.objects.filter(unit=unit, cpr__startswith="99").order_by("pk").first()
    citizen.barriers.set(Barrier.objects.filter(code="transport"))
    companies = Company.objects.filter(unit=unit).count()
    tasks = Task.objects.filter(company__unit=unit).count()
    open_tasks = Task.objects.filter(company__unit=unit).open().count()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"data: {companies} companies, {tasks} tasks ({open_tasks} open), caseload of "
        f"{Citizen.objects.visible_to(konsulent).count()} citizens"
    )

    def timed(fn) -> list[float]:  # type: ignore[no-untyped-def]
        fn()  # warm-up
        result = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            fn()
            result.append((time.perf_counter() - t0) * 1000)
        return result

    task = Task.objects.filter(company__unit=unit).open().order_by("pk").first()
    for name, fn in [
        (
            "rank_tasks (1 citizen vs all open tasks, top 20)",
            lambda: rank_tasks(citizen, konsulent),
        ),
        ("rank_citizens (1 task vs caseload, top 20)", lambda: rank_citizens(task, konsulent)),
    ]:
        runs = timed(fn)
        print(
            f"{name}: median {statistics.median(runs):.1f} ms, min {min(runs):.1f}, "
            f"max {max(runs):.1f} ({args.runs} runs)"
        )
    top = rank_tasks(citizen, konsulent)
    print(
        f"best match: {top.matches[0].task.title} ({top.matches[0].score}); "
        f"excluded by requirements: {top.excluded.count}"
    )


if __name__ == "__main__":
    main()
