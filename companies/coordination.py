""" "Én indgang": warn when too many different staff members contact a company.

A company is warned about when more than ``coordination_staff_limit`` (threshold, default 2)
different staff members logged a contact with it in the last 7 days (today and the six days
before). Companies complain about "10 til 15 henvendelser om ugen" (Teknologisk Institut,
*Evaluering af "Vækst med Social Bundlinje – Payment by Results"*; docs/domain.md, "The
company side").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Q, QuerySet

from companies.models import Company
from substitution import days, thresholds
from substitution.models import Unit, User

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

WINDOW_DAYS = 7


def window_start(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=WINDOW_DAYS - 1)


def in_window(today: dt.date, contact: str = "") -> Q:
    """Contacts logged in the window ending ``today``; ``contact`` is the path to the contact
    (``"contacts__"`` from a company, ``"company_contacts__"`` from a staff member)."""
    return Q(
        **{
            f"{contact}occurred_on__gte": window_start(today),
            f"{contact}occurred_on__lte": today,
        }
    )


def limit_for(unit: Unit | int | None) -> int:
    return thresholds.get_int("coordination_staff_limit", unit)


class RecentStaff(TypedDict):
    recent_staff: int


def with_recent_staff(
    companies: QuerySet[Company], today: dt.date
) -> QuerySet[WithAnnotations[Company, RecentStaff]]:
    """Annotate ``recent_staff``: distinct staff with a logged contact in the window."""
    return companies.annotate(
        recent_staff=Count(
            "contacts__staff",
            filter=in_window(today, "contacts__"),
            distinct=True,
        )
    )


@dataclass(frozen=True)
class Warning:
    company: Company
    staff_count: int
    limit: int
    staff_names: list[str]


def warning_for(company: Company, today: dt.date | None = None) -> Warning | None:
    """The warning for one company, or None. Two queries (threshold, staff)."""
    today = today or days.today()
    limit = limit_for(company.unit_id)
    staff = list(
        User.objects.filter(
            in_window(today, "company_contacts__"), company_contacts__company=company
        )
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )
    if len(staff) <= limit:
        return None
    return Warning(company, len(staff), limit, [str(s) for s in staff])


def warnings_for_fixed_contact(user: User, today: dt.date | None = None) -> list[Warning]:
    """Warnings for the companies where ``user`` is the fixed contact. Two queries."""
    today = today or days.today()
    limit = limit_for(user.unit_id)
    companies = with_recent_staff(
        Company.objects.visible_to(user).filter(fixed_contact=user), today
    ).filter(recent_staff__gt=limit)
    return [Warning(c, c.recent_staff, limit, []) for c in companies.order_by("name", "pk")]
