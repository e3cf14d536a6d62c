"""The search from every page (issue 14): citizens by name, companies by name or CVR, tasks by
title, each through its own ``visible_to``, so a search never finds what the user may not
see. A CPR number is never searched here: the text travels in a URL (``?q=``), and a CPR
number belongs in the caseload's POST lookup ("Find borger på CPR-nummer"), so text with a
digit finds no citizen and the page says where to look up a CPR number instead."""

from __future__ import annotations

from dataclasses import dataclass, field

from cases.citizens import queries
from cases.citizens.models import Citizen
from companies import queries as company_queries
from companies.models import Company, Task
from substitution.models import User

# How many hits of each kind the page shows; "more" links to the full list.
LIMIT = 8


@dataclass
class Results:
    text: str
    citizens: list[Citizen] = field(default_factory=list)
    companies: list[Company] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    more_citizens: bool = False
    more_companies: bool = False
    more_tasks: bool = False

    @property
    def digits(self) -> bool:
        """The text has a digit: perhaps a CPR number, which is not searched for citizens."""
        return any(ch.isdigit() for ch in self.text)

    @property
    def empty(self) -> bool:
        return not (self.citizens or self.companies or self.tasks)


def search(user: User, text: str) -> Results:
    """At most ``LIMIT`` of each kind, by name; three queries (four with the tasks' company)."""
    text = text.strip()[:100]
    results = Results(text)
    if len(text) < 2:
        return results
    citizens = queries.citizen_choices(user, text, mine_only=False, limit=LIMIT + 1)
    results.citizens, results.more_citizens = citizens[:LIMIT], len(citizens) > LIMIT
    companies = company_queries.company_choices(user, text)[: LIMIT + 1]
    results.companies, results.more_companies = companies[:LIMIT], len(companies) > LIMIT
    tasks = company_queries.task_search(user, text, LIMIT + 1)
    results.tasks, results.more_tasks = tasks[:LIMIT], len(tasks) > LIMIT
    return results
