"""EXPLAIN ANALYZE of the caseload's page query for the leder and the teamleder sorted or
filtered by trin (docs/performance.md), with the users ``benchmarks/pages.py`` measures:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a seeded copy> \
        .venv/bin/python benchmarks/explain_caseload.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from benchmarks.pages import pick_objects  # noqa: E402
from cases.citizens import queries  # noqa: E402
from cases.citizens.filters import CaseloadFilter, with_defaults  # noqa: E402

CASES = [
    ("leder", "sorter=trin"),
    ("leder", "sorter=-trin"),
    ("teamleder", "sorter=trin"),
    ("leder", "trin=2"),
]


def main() -> None:
    users, _objects = pick_objects()
    for role, params in CASES:
        user = users[role]
        request = RequestFactory().get("/", QueryDict(params))
        request.user = user
        filterset = CaseloadFilter(
            with_defaults(user, request.GET), queryset=queries.caseload_list(user), request=request
        )
        sql, sql_params = filterset.qs[:50].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE " + sql, sql_params)
            print(f"=== {role} {params}")
            for (line,) in cursor.fetchall():
                print(line)


if __name__ == "__main__":
    main()
