"""Benchmark: each report rendered to PDF (reporting/reports, docs/reports.md) on the current
database, as a worker makes it (``rendering.render``: the figures, the HTML, WeasyPrint).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python benchmarks/reports.py \\
        [--month 2026-11] [--only maanedlig_status]

Each report runs in a fresh Python process (so its peak memory is its own: ``ru_maxrss`` of
that process, Python + WeasyPrint, not PostgreSQL's) and prints the wall time split into
the figures (the measures and queries) and the PDF (template and WeasyPrint), the queries,
the pages and the file size. The caseload report and the results statement are for the team
with the most citizens; the monthly status for the jobcentre; the fidelity report for the
latest round, if there is one. Target (issue 12): the monthly status for the ``--scale 33``
jobcentre under 20 s and 1 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "substitution.settings")

TYPES = ["maanedlig_status", "sagsstamme", "resultatopgoerelse", "fidelitet"]


def one(kind: str, month: str) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.template.loader import render_to_string
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from reporting.measures import Period
    from reporting.reports import rendering
    from reporting.reports.params import Params
    from substitution.models import Team, Unit
    from substitution.pdf import render_html_pages

    unit = Unit.objects.order_by("pk").first()
    assert unit is not None, "no jobcentre: seed the database first"
    team = Team.objects.filter(unit=unit).annotate(n=Count("citizens")).order_by("-n", "pk").first()
    assert team is not None
    period = Period.parse(month)
    round_id = None
    if kind == "fidelitet":
        from reporting.fidelity.models import Round

        latest = Round.objects.filter(unit=unit).order_by("-opened_on", "-pk").first()
        if latest is None:
            return {"type": kind, "skipped": "no fidelity round"}
        round_id, period = latest.pk, Period(latest.period_first, latest.period_last)
    if kind == "resultatopgoerelse":
        period = Period(period.months_back(12).first, period.last)
    team_id = None if kind == "maanedlig_status" else team.pk
    params = Params(kind, unit.pk, team_id, period, round_id=round_id)

    # The same steps as rendering.render, timed apart: the figures, then the PDF.
    builder, template = rendering.BUILDERS[kind]
    team_obj = Team.objects.get(pk=team_id) if team_id else None
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        context = builder(params, unit, team_obj, rendering.no_progress)
        figures_s = time.perf_counter() - started
    context.update(
        title=rendering.title_for(params, unit, team_obj),
        unit=unit,
        team=team_obj,
        params=params,
        period_label=rendering.period_label(params),
        generated_at=timezone.now(),
    )
    started = time.perf_counter()
    html = render_to_string(template, context)
    pdf, pages = render_html_pages(html, pdf_variant=rendering.PDF_VARIANT)
    pdf_s = time.perf_counter() - started
    return {
        "type": kind,
        "scope": team_obj.name if team_obj else unit.name,
        "period": str(period),
        "citizens_in_team": team.n,  # type: ignore[attr-defined]
        "figures_s": round(figures_s, 2),
        "pdf_s": round(pdf_s, 2),
        "total_s": round(figures_s + pdf_s, 2),
        "queries": len(queries.captured_queries),
        "pages": pages,
        "bytes": len(pdf),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--month", default="2026-11", help="YYYY-MM")
    parser.add_argument("--only", action="append", default=[], help="only these types")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.month)))
        return
    kinds = args.only or TYPES
    print(
        f"{'report':<20} {'figures s':>9} {'pdf s':>7} {'total s':>8} {'queries':>8} "
        f"{'pages':>6} {'KB':>7} {'peak MB':>8}"
    )
    for kind in kinds:
        out = subprocess.run(
            [sys.executable, __file__, "--one", kind, "--month", args.month],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        row = json.loads(out.stdout.strip().splitlines()[-1])
        if "skipped" in row:
            print(f"{kind:<20} skipped: {row['skipped']}")
            continue
        print(
            f"{kind:<20} {row['figures_s']:>9} {row['pdf_s']:>7} {row['total_s']:>8} "
            f"{row['queries']:>8} {row['pages']:>6} {row['bytes'] // 1024:>7} "
            f"{row['peak_mb']:>8}   ({row['scope']}, {row['period']})"
        )


if __name__ == "__main__":
    main()
