"""What makes a placement valid: the one statement of the rules the placement form shows as
field errors and the services enforce (a call from the shell or Celery gets the same checks).

- the company belongs to the citizen's jobcentre;
- a task, if any, is one of the company's tasks;
- the end date, if any, is not before the start date;
- planned hours per week are 0 to 80 (``hours.MAX_HOURS``).

A placement's status by its dates is ``cases.placements.models.status_on``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from cases.placements.hours import MAX_HOURS
from companies.models import Company, Task


def placement_errors(
    *,
    company: Company | None = None,
    task: Task | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    planned_hours_per_week: Decimal | None = None,
    unit_id: int | None = None,
) -> dict[str, list[str]]:
    """{field: [Danish messages]} for the rules the given values break (empty: valid). A value
    left out (None) is not checked, so a form can check what it has parsed."""
    errors: dict[str, list[str]] = {}
    if company is not None and unit_id is not None and company.unit_id != unit_id:
        errors.setdefault("company", []).append(_("Virksomheden hører til et andet jobcenter."))
    if company is not None and task is not None and task.company_id != company.pk:
        errors.setdefault("task", []).append(_("Opgaven hører ikke til den valgte virksomhed."))
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        errors.setdefault("ends_on", []).append(_("Slutdatoen ligger før startdatoen."))
    if planned_hours_per_week is not None and not 0 <= planned_hours_per_week <= MAX_HOURS:
        errors.setdefault("planned_hours_per_week", []).append(
            _("Planlagte timer skal være mellem 0 og 80.")
        )
    return errors
