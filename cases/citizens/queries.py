"""The one way views fetch a citizen: through ``Citizen.objects.visible_to`` (404 otherwise)."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from cases.citizens.models import Citizen


def visible_citizen(request: HttpRequest, pk: int) -> Citizen:
    """The citizen ``pk`` if the user may see it, else 404 (existence is not revealed)."""
    return get_object_or_404(Citizen.objects.visible_to(request.user), pk=pk)
