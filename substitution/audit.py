"""Writing the audit log. Every view of a citizen, CPR reveal, create, change and delete goes
through here; the application never updates or deletes audit rows.

Services (the only writers, docs/architecture.md) call ``write`` with the acting user and an
``AuditContext``, never an ``HttpRequest``: a call from Celery, a management command or the
shell audits the same way as one from a view. Views record reads (a citizen page, a CPR
reveal) with ``record(request, ...)`` and build the context for services with
``AuditContext.of(request)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from substitution.models import AuditAction, AuditEvent

if TYPE_CHECKING:
    from substitution.models import User


@dataclass(frozen=True)
class AuditContext:
    """Where an action comes from, beyond who acts: the client's address for a web request,
    nothing for Celery, a management command or the shell."""

    ip_address: str | None = None

    @classmethod
    def of(cls, request: HttpRequest | None) -> AuditContext:
        if request is None:
            return SYSTEM
        return cls(ip_address=request.META.get("REMOTE_ADDR") or None)


SYSTEM = AuditContext()


def event(
    actor: User | None,
    action: str | AuditAction,
    obj: models.Model | None = None,
    *,
    context: AuditContext = SYSTEM,
    citizen_id: int | None = None,
    changes: dict[str, Any] | None = None,
    object_repr: str | None = None,
) -> AuditEvent:
    """One audit event by ``actor`` (None: the system itself, e.g. the nightly status refresh),
    not yet saved: ``write`` inserts one, ``write_many`` many in one statement. ``citizen_id``
    ties it to a citizen's access history."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AuditEvent(
        user=actor,
        action=str(action),
        object_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(object_repr if object_repr is not None else str(obj or ""))[:300],
        citizen_id=citizen_id,
        changes=changes or {},
        ip_address=context.ip_address,
    )


def write(
    actor: User | None,
    action: str | AuditAction,
    obj: models.Model | None = None,
    *,
    context: AuditContext = SYSTEM,
    citizen_id: int | None = None,
    changes: dict[str, Any] | None = None,
    object_repr: str | None = None,
) -> AuditEvent:
    """Insert one audit event (see ``event``)."""
    row = event(
        actor,
        action,
        obj,
        context=context,
        citizen_id=citizen_id,
        changes=changes,
        object_repr=object_repr,
    )
    row.save(force_insert=True)
    return row


def write_many(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """Insert many audit events (built with ``event``) in batched multi-row INSERTs: for a
    writer that changes many rows at once, instead of one INSERT per row."""
    return AuditEvent.objects.bulk_create(list(events), batch_size=1000)


def record(
    request: HttpRequest | None,
    action: str | AuditAction,
    obj: models.Model | None = None,
    *,
    citizen_id: int | None = None,
    changes: dict[str, Any] | None = None,
    object_repr: str | None = None,
) -> AuditEvent:
    """Insert one audit event for a view (reads: a citizen page, a CPR reveal, an export).
    Writes are audited by their service with ``write``."""
    user = getattr(request, "user", None) if request is not None else None
    return write(
        user,
        action,
        obj,
        context=AuditContext.of(request),
        citizen_id=citizen_id,
        changes=changes,
        object_repr=object_repr,
    )


def record_list(
    request: HttpRequest,
    description: str,
    citizen_ids: Iterable[int | None],
    filters: dict[str, Any] | None = None,
) -> AuditEvent:
    """One audit row for one page view of a list showing personal data (the caseload, Min
    dag, the hours grid): the citizens shown (``changes["viste"]``, sorted, no duplicates) and
    the list's filters (``changes["filtre"]``), not one row per citizen. ``citizen_id`` stays
    empty; ``shown_citizen`` finds the row by any citizen it showed."""
    shown = sorted({pk for pk in citizen_ids if pk is not None})
    return record(
        request,
        AuditAction.VIEW,
        None,
        object_repr=description,
        changes={LIST_KEY: shown, "filtre": filters or {}},
    )


# The key under which a list row keeps the ids of the citizens it showed.
LIST_KEY = "viste"


def shown_citizen(citizen_id: int) -> models.Q:
    """Audit rows about ``citizen_id``: their own rows and list rows that showed them. On
    PostgreSQL a jsonb containment (``@>``); on SQLite, which has no JSON containment, a
    regular expression on the stored array's text that matches the whole number only."""
    if connection.vendor == "postgresql":
        in_list = models.Q(**{f"changes__{LIST_KEY}__contains": [citizen_id]})
    else:
        in_list = models.Q(**{f"changes__{LIST_KEY}__regex": rf"[\[,]\s*{citizen_id}\s*[,\]]"})
    return models.Q(citizen_id=citizen_id) | in_list


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value differs, as JSON-safe strings."""
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def form_changes(form: Any) -> dict[str, list[Any]]:
    """Changed fields of a bound, valid ModelForm, using its initial data as "before"."""
    return {
        name: [_plain(form.initial.get(name)), _plain(form.cleaned_data.get(name))]
        for name in form.changed_data
    }


# --- showing a row ---------------------------------------------------------------------------

# Django's default ``str()`` of a model without its own: "MappingSession object (84)".
_DEFAULT_REPR = re.compile(r"^\w+ object \((?P<pk>[^)]*)\)$")


def object_label(event: AuditEvent) -> str:
    """What the row is about in Danish: its stored text, or, when that is Django's default
    "MappingSession object (84)" (rows written before the model had a ``__str__``), the
    model's verbose name and the id ("Opgavekortlægning 84")."""
    match = _DEFAULT_REPR.match(event.object_repr)
    if match is None:
        return event.object_repr
    model = event.object_type.model_class() if event.object_type is not None else None
    noun = str(model._meta.verbose_name) if model is not None else _("objekt")
    return f"{capfirst(noun)} {event.object_id or match['pk']}"


def field_labels(event: AuditEvent) -> list[str]:
    """The changed fields of a row by their Danish names (the model field's verbose name),
    not the code's (``ordinary_hours_terms`` → "ordinære timer på sigt")."""
    model = event.object_type.model_class() if event.object_type is not None else None
    labels = []
    for key in event.changes:
        label = str(_KEY_LABELS[key]) if key in _KEY_LABELS else None
        if label is None and model is not None:
            try:
                label = str(model._meta.get_field(key).verbose_name)  # type: ignore[union-attr]
            except FieldDoesNotExist:
                label = None
        labels.append(label or key.replace("_", " "))
    return labels


# Keys of ``changes`` that are not model fields.
_KEY_LABELS = {LIST_KEY: gettext_lazy("viste borgere"), "filtre": gettext_lazy("filtre")}
