#!/usr/bin/env python
"""Container health checks for docker-compose.yml (standard library only).

    python scripts/healthcheck.py http://127.0.0.1:8000/healthz
        Healthy when the URL answers 200. The Host header is the first of ALLOWED_HOSTS, so
        Django accepts the request whatever the public host name is.
    python scripts/healthcheck.py --beat /var/lib/celery/beat-schedule [MAX_AGE_SECONDS]
        Healthy when Celery beat has written its schedule file recently (beat saves it at
        least every few minutes while it runs; the default limit is 15 minutes).

Exit status 0 is healthy, 1 is not (what Docker expects).
"""

from __future__ import annotations

import glob
import os
import sys
import time
import urllib.error
import urllib.request


def check_url(url: str) -> int:
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    headers = {}
    if hosts and hosts[0] != "*":
        headers["Host"] = hosts[0].lstrip(".")
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            body = response.read().decode("utf-8", "replace")
            status = response.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read().decode("utf-8", "replace"), exc.code
    except OSError as exc:
        print(f"unhealthy: {url}: {exc}")
        return 1
    print(f"{status} {body[:200]}")
    return 0 if status == 200 else 1


def check_beat(path: str, max_age: float) -> int:
    # The shelve module may add a suffix (.db, .dat, ...) depending on the dbm in use.
    files = glob.glob(glob.escape(path) + "*")
    if not files:
        print(f"unhealthy: no beat schedule at {path}")
        return 1
    age = time.time() - max(os.path.getmtime(f) for f in files)
    print(f"beat schedule written {age:.0f}s ago")
    return 0 if age <= max_age else 1


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "--beat":
        return check_beat(argv[1], float(argv[2]) if len(argv) > 2 else 15 * 60)
    if len(argv) == 1:
        return check_url(argv[0])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
