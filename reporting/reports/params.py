"""What a report is asked for: the jobcentre, the team (or none: the jobcentre), the period and
the report's options, as stored in ``ReportRun.parameters`` and read back by the builders."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reporting.measures import Period, Population

# progress(percent, what is being done): the builders report how far they are.
Progress = Callable[[int, str], None]


def no_progress(percent: int, step: str) -> None:
    return None


@dataclass(frozen=True)
class Params:
    report_type: str
    unit_id: int
    team_id: int | None
    period: Period
    # Resultatopgørelse: only paid jobs (the schemes' proposed rule) or every forløb.
    paid_only: bool = False
    # A note typed by the requester, printed on the first page (escaped like all user text).
    note: str = ""
    # Fidelitetsrapport: the fidelity round.
    round_id: int | None = None

    @property
    def population(self) -> Population:
        teams = (self.team_id,) if self.team_id is not None else ()
        return Population(self.unit_id, teams)

    def as_json(self) -> dict[str, Any]:
        """The run's ``parameters`` (unit and team are columns of the run)."""
        data: dict[str, Any] = {"period": str(self.period)}
        if self.paid_only:
            data["paid_only"] = True
        if self.note:
            data["note"] = self.note
        if self.round_id is not None:
            data["round"] = self.round_id
        return data

    def request_key(self) -> str:
        """One string per distinct request: the same request twice gives the same key."""
        canonical = json.dumps(
            [self.report_type, self.unit_id, self.team_id, self.as_json()],
            sort_keys=True,
            ensure_ascii=False,
        )
        return hashlib.sha256(canonical.encode()).hexdigest()

    @classmethod
    def of(
        cls, report_type: str, unit_id: int, team_id: int | None, data: dict[str, Any]
    ) -> Params:
        return cls(
            report_type,
            unit_id,
            team_id,
            Period.parse(str(data["period"])),
            paid_only=bool(data.get("paid_only", False)),
            note=str(data.get("note", "")),
            round_id=int(data["round"]) if data.get("round") is not None else None,
        )


def short_name(first_name: str, last_name: str) -> str:
    """A citizen's name shortened for a report that leaves the case: first name and the last
    name's initial ("Anna B."); never the CPR number."""
    initial = f" {last_name.strip()[0]}." if last_name.strip() else ""
    return f"{first_name.strip()}{initial}"


def months_between(start: dt.date, end: dt.date) -> float:
    """Calendar months from ``start`` to ``end`` (inclusive), with the part month as a fraction
    of its days: 1 March to 31 May is 3.0."""
    from substitution import days

    whole = 0
    while days.add_months(start, whole + 1) <= end + dt.timedelta(days=1):
        whole += 1
    anchor = days.add_months(start, whole)
    following = days.add_months(start, whole + 1)
    rest = (end + dt.timedelta(days=1) - anchor).days / max((following - anchor).days, 1)
    return round(whole + max(rest, 0.0), 1)
