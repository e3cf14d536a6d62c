"""Optimistic locking for edit forms (docs/architecture.md, "Concurrent edits").

A model that people edit in a form carries ``version`` (1 on creation). The edit form carries
the version it was loaded with, and when, in hidden fields (``VersionedForm``); the service
that saves calls ``claim`` first, which takes the next version in one
``UPDATE … SET version = version + 1 WHERE pk = … AND version = …``. If another save came
first the UPDATE matches no row and ``claim`` raises ``StaleEdit``, a ``ValidationError`` whose
Danish message says who changed what and when (from the audit log); the view shows the bound
form again with it, so nothing the user typed is lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import F
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from substitution.forms import LimitedText
from substitution.models import AuditAction, AuditEvent

FIELD = "version"
LOADED_AT = "version_loaded_at"


@dataclass(frozen=True)
class Loaded:
    """What an edit form was loaded with: the version (None: not posted, so the stored one is
    taken as read), when (for the message: the changes since), and its fields' labels."""

    version: int | None = None
    at: dt.datetime | None = None
    labels: Mapping[str, str] = field(default_factory=dict)


class StaleEdit(ValidationError):
    """A save based on a version that is no longer the stored one. ``current`` is the stored
    version now: a form shown again carries it, so a deliberate second save goes through."""

    def __init__(self, message: str, *, current: int, changed: list[str]) -> None:
        super().__init__(message, code="stale")
        self.current = current
        self.changed = changed


class _VersionField(forms.IntegerField):
    def has_changed(self, initial: Any, data: Any) -> bool:
        return False  # not the user's change: never in ``changed_data`` or the audit row


class _LoadedAtField(forms.DateTimeField):
    def has_changed(self, initial: Any, data: Any) -> bool:
        return False


class VersionedForm(LimitedText, forms.ModelForm):
    """A ModelForm with hidden fields for the version it was loaded with and when.

    A POST without the version (an old client, a script) is checked against the version read
    in the same request, i.e. it is not refused."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[FIELD] = _VersionField(widget=forms.HiddenInput, required=False, min_value=1)
        self.fields[FIELD].initial = getattr(self.instance, FIELD, 1)
        self.fields[LOADED_AT] = _LoadedAtField(widget=forms.HiddenInput, required=False)
        self.fields[LOADED_AT].initial = timezone.now().isoformat()

    def loaded(self) -> Loaded:
        """The version the user loaded and when (call after ``is_valid``)."""
        data = getattr(self, "cleaned_data", {})
        version = data.get(FIELD)
        return Loaded(
            version=int(version) if version is not None else None,
            at=data.get(LOADED_AT),
            labels={name: str(f.label) for name, f in self.fields.items() if f.label},
        )

    def show_stale(self, error: StaleEdit) -> None:
        """Add the conflict message above the fields and carry the current version (loaded
        now), keeping every value the user typed."""
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        data[self.add_prefix(FIELD)] = str(error.current)
        data[self.add_prefix(LOADED_AT)] = timezone.now().isoformat()
        self.data = data
        self.add_error(None, error)


def claim(
    instance: models.Model,
    loaded: Loaded | None,
    *,
    noun: str,
    derived: Sequence[str] = (),
) -> None:
    """Take the next version of ``instance`` if the stored one is still the loaded one (no
    version loaded: the one on ``instance``), atomically; the caller saves the row in the same
    transaction. Raises ``StaleEdit`` otherwise, its message naming ``noun`` ("Borgeren").

    ``derived``: fields that writers outside the forms change with a new version but no audit
    row (a task's status, set by the placements), named when the audit log has no change."""
    if instance.pk is None:
        return
    loaded = loaded or Loaded()
    expected = loaded.version if loaded.version is not None else getattr(instance, FIELD)
    model = type(instance)
    rows = model._default_manager.filter(pk=instance.pk, **{FIELD: expected})
    if rows.update(**bumped()):
        setattr(instance, FIELD, expected + 1)
        return
    current = model._default_manager.filter(pk=instance.pk).values_list(FIELD, flat=True).get()
    raise _stale(instance, loaded, expected, current, noun=noun, derived=derived)


def bumped() -> dict[str, Any]:
    """The ``update()`` keywords that take a new version, for writers outside the edit forms
    that change a field a form edits (``qs.update(status=…, **bumped())``)."""
    return {FIELD: F(FIELD) + 1}


def _stale(
    instance: models.Model,
    loaded: Loaded,
    expected: int,
    current: int,
    *,
    noun: str,
    derived: Sequence[str],
) -> StaleEdit:
    """The conflict: who saved last and when, and the fields changed since the form was
    loaded: the audit log's change rows since then (without the load time: the last one per
    version since)."""
    events = AuditEvent.objects.filter(
        object_type=ContentType.objects.get_for_model(instance),
        object_id=str(instance.pk),
        action=AuditAction.CHANGE,
    ).order_by("-at", "-pk")
    if loaded.at is not None:
        found = list(events.filter(at__gte=loaded.at).select_related("user"))
    else:
        found = list(events.select_related("user")[: max(current - expected, 1)])
    names: list[str] = []
    for key in [key for event in found for key in event.changes or {}] or derived:
        label = _label(instance, key, loaded.labels)
        if label not in names:
            names.append(label)
    fields = ", ".join(names) if names else _("ukendt")
    if not found:
        message = _(
            "%(noun)s er ændret automatisk, mens du redigerede. Dine ændringer er ikke gemt; "
            "felterne nedenfor viser hvad du skrev. Ændret siden: %(fields)s"
        ) % {"noun": noun, "fields": fields}
        return StaleEdit(message, current=current, changed=names)
    last = found[0]
    who = (last.user.get_full_name() or last.user.get_username()) if last.user else _("systemet")
    message = _(
        "%(noun)s er ændret af %(who)s kl. %(time)s, mens du redigerede. Dine ændringer er "
        "ikke gemt; felterne nedenfor viser hvad du skrev. Ændret siden: %(fields)s"
    ) % {
        "noun": noun,
        "who": who,
        "time": timezone.localtime(last.at).strftime("%H:%M"),
        "fields": fields,
    }
    return StaleEdit(message, current=current, changed=names)


def _label(instance: models.Model, key: str, labels: Mapping[str, str]) -> str:
    """A changed field's name as the form shows it (else the model's verbose name)."""
    if key in labels:
        return labels[key]
    try:
        verbose = str(getattr(instance._meta.get_field(key), "verbose_name", key))
    except FieldDoesNotExist:
        return key
    return verbose[:1].upper() + verbose[1:]
