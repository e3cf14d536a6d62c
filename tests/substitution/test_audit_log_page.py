"""The revisionslog page names objects and changed fields in Danish (issue 14, defect 1)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from cases.placements.models import WorkAgreement
from companies.models import MappingSession
from substitution import audit
from substitution.models import AuditAction, User
from tests.conftest import client_for
from tests.factories.companies import MappingSessionFactory
from tests.factories.placements import WorkAgreementFactory, make_company


def test_object_and_fields_are_shown_by_their_danish_names(leder: User) -> None:
    assert leder.unit is not None
    session = MappingSessionFactory.create(company=make_company(leder.unit))
    # A row written before MappingSession had a __str__ keeps Django's default text.
    audit.write(
        leder,
        AuditAction.CREATE,
        session,
        object_repr=f"MappingSession object ({session.pk})",
    )
    agreement = WorkAgreementFactory.create()
    audit.write(
        leder,
        AuditAction.CHANGE,
        agreement,
        changes={
            "sub_goals": ["", "Mødestabilitet"],
            "ordinary_hours_terms": ["paa_sigt", "fra_start"],
            "jobcentre_mentor": [None, "Mia"],
        },
    )
    html = client_for(leder).get(reverse("audit_log")).content.decode()
    assert "object (" not in html
    assert f"Opgavekortlægning {session.pk}" in html
    for name in ("sub_goals", "ordinary_hours_terms", "jobcentre_mentor"):
        assert name not in html
    for name in ("sub_goals", "ordinary_hours_terms", "jobcentre_mentor"):
        label = str(getattr(WorkAgreement._meta.get_field(name), "verbose_name", ""))
        assert label in html


def test_a_mapping_session_has_a_danish_text() -> None:
    assert str(MappingSession(held_on=dt.date(2026, 11, 3))) == ("Opgavekortlægning 03.11.2026")
