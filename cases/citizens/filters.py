"""Filters, search and sorting of the caseload list (django-filter).

The queryset handed in must already be ``Citizen.objects.visible_to(user)``
(``cases.citizens.queries.caseload_list``): filters only narrow it. A filter or sort by a row
fact works on the whole list: days since contact, the next follow-up and the step on today
are maintained columns (``cases.citizens.facts``), each with an index for the sorts of a
whole jobcentre or team.

Search: a name (every word must match a first or last name). This is a GET, so its text
ends up in the URL: a CPR number typed here finds no one (static/js/caseload.js stops it
being sent at all); CPR numbers are looked up by POST on the same page
(``cases.citizens.views.caseload.cpr_lookup``), which never puts the number in a URL.
"""

from __future__ import annotations

import re
from typing import Any

import django_filters
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _

from cases.citizens import queries
from cases.citizens.models import BenefitType, Citizen, CitizenStatus, VisitationGroup
from cases.citizens.steps import STEP_CHOICES
from substitution.forms import PlainSelect
from substitution.models import Membership, Role, User
from substitution.widgets import SearchOnlyCombobox

CPR_LIKE = re.compile(r"[\d\s-]*\d[\d\s-]*")

SCOPE_MINE = "mine"
SCOPE_ALL = "alle"
PERSONAL_ROLES = (Role.JOBFORMIDLER, Role.MENTOR)

SORTS: dict[str, list[Any]] = {
    "navn": [F("last_name").asc(), F("first_name").asc(), F("pk").asc()],
    "-navn": [F("last_name").desc(), F("first_name").desc(), F("pk").desc()],
    # The step on today, maintained (cases.citizens.facts), with the name as the tie-break.
    "trin": [F("current_step").asc(), F("last_name").asc(), F("first_name").asc(), F("pk").asc()],
    "-trin": [
        F("current_step").desc(),
        F("last_name").asc(),
        F("first_name").asc(),
        F("pk").asc(),
    ],
    # Days since the last held conversation: "kontakt" = fewest days first. Both facts are
    # maintained columns (cases.citizens.facts), so a sort over a whole jobcentre is a plain
    # sort, not a subquery per citizen.
    "kontakt": [F("last_held_conversation_at").desc(nulls_last=True), F("pk").asc()],
    "-kontakt": [F("last_held_conversation_at").asc(nulls_first=True), F("pk").asc()],
    "opfoelgning": [F("next_follow_up_on").asc(nulls_last=True), F("pk").asc()],
    "-opfoelgning": [F("next_follow_up_on").desc(nulls_last=True), F("pk").asc()],
}
SORT_CHOICES = [
    ("navn", _("Navn (A-Å)")),
    ("-navn", _("Navn (Å-A)")),
    ("trin", _("Trin (laveste først)")),
    ("-trin", _("Trin (højeste først)")),
    ("-kontakt", _("Længst siden samtale")),
    ("kontakt", _("Kortest siden samtale")),
    ("opfoelgning", _("Næste opfølgning (tidligste først)")),
    ("-opfoelgning", _("Næste opfølgning (seneste først)")),
]


def is_cpr_query(value: str) -> bool:
    """True when the search text is meant as a CPR number (digits, spaces, dashes)."""
    return bool(CPR_LIKE.fullmatch(value.strip()))


def default_scope(user: User) -> str:
    """Jobformidlere and mentors start on their own caseload; others on everything."""
    return SCOPE_MINE if user.primary_role() in PERSONAL_ROLES else SCOPE_ALL


def with_defaults(user: User, params: QueryDict) -> QueryDict:
    """The request's filter parameters with defaults for those the user has not set."""
    data = params.copy()
    data.setdefault("visning", default_scope(user))
    data.setdefault("status", CitizenStatus.AKTIV)
    data.setdefault("sorter", "navn")
    return data


def jobformidler_choices(request: HttpRequest | None) -> QuerySet[User]:
    """Jobformidlere in the teams whose citizens the user can see (the teams come from the
    one access rule, Citizen.objects.visible_to)."""
    if request is None or not isinstance(request.user, User):
        return User.objects.none()
    return jobformidlere_seen_by(request.user)


def jobformidlere_seen_by(user: User, text: str = "") -> QuerySet[User]:
    """The jobformidler filter's choices (``jobformidler_choices``), by name; with ``text``,
    those whose name or user name contains every word of it (the searchable field)."""
    teams = Citizen.objects.visible_to(user).values("team_id")
    memberships = Membership.objects.filter(role=Role.JOBFORMIDLER, team_id__in=teams)
    found = User.objects.filter(pk__in=memberships.values("user_id"))
    return queries.users_named(found, text)


class CaseloadFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Søg efter navn"),
        method="filter_search",
    )
    visning = django_filters.ChoiceFilter(
        widget=PlainSelect,
        label=_("Vis"),
        choices=[(SCOPE_MINE, _("Min sagsstamme")), (SCOPE_ALL, _("Hele teamet"))],
        method="filter_scope",
        empty_label=None,
    )
    trin = django_filters.ChoiceFilter(
        widget=PlainSelect,
        label=_("Trin"),
        choices=STEP_CHOICES,
        empty_label=_("Alle"),
        method="filter_step",
    )
    ydelse = django_filters.ModelChoiceFilter(
        widget=PlainSelect,
        label=_("Ydelse"),
        field_name="benefit_type",
        queryset=BenefitType.objects.all(),
        empty_label=_("Alle"),
    )
    visitationsgruppe = django_filters.ModelChoiceFilter(
        widget=PlainSelect,
        label=_("Visitationsgruppe"),
        field_name="visitation_group",
        queryset=VisitationGroup.objects.all(),
        empty_label=_("Alle"),
    )
    # Hundreds in a large jobcentre: a searchable field (``views.caseload.jobformidler_choices``)
    # that renders only the chosen one, not an option per jobformidler on every request.
    jobformidler = django_filters.ModelChoiceFilter(
        widget=SearchOnlyCombobox("cases:caseload_jobformidler_choices"),
        label=_("Jobformidler"),
        field_name="jobformidler",
        queryset=jobformidler_choices,
        empty_label=_("Alle"),
    )
    status = django_filters.ChoiceFilter(
        widget=PlainSelect, label=_("Status"), choices=CitizenStatus.choices, empty_label=_("Alle")
    )
    sorter = django_filters.ChoiceFilter(
        widget=PlainSelect,
        label=_("Sortér efter"),
        choices=SORT_CHOICES,
        method="sort",
        empty_label=None,
    )

    class Meta:
        model = Citizen
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None and user.is_unit_wide:
            self.filters["visning"].extra["choices"] = [
                (SCOPE_MINE, _("Min sagsstamme")),
                (SCOPE_ALL, _("Hele jobcentret")),
            ]

    def filter_search(self, queryset: QuerySet[Citizen], name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        if is_cpr_query(value):
            return queryset.none()  # CPR numbers: the POST lookup, never a URL
        for word in value.split():
            queryset = queryset.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        return queryset

    def filter_scope(self, queryset: QuerySet[Citizen], name: str, value: str) -> QuerySet:
        if value != SCOPE_MINE or self.request is None:
            return queryset
        # "Mine": my caseload as jobformidler, and the citizens I mentor on an active
        # placement: the same rule as Min dag (queries.mine).
        return queryset.filter(queries.mine(self.request.user))

    def filter_step(self, queryset: QuerySet[Citizen], name: str, value: str) -> QuerySet:
        return queryset.filter(current_step=value)

    def sort(self, queryset: QuerySet[Citizen], name: str, value: str) -> QuerySet:
        value = value if value in SORTS else "navn"
        return queryset.order_by(*SORTS[value])
