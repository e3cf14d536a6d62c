from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from substitution import widgets
from substitution.audit import field_labels, object_label, shown_citizen
from substitution.http import AuthenticatedHttpRequest
from substitution.models import AuditEvent, Role, User
from substitution.navigation import LANDING, try_reverse
from substitution.roles import Cap, require


class LoginView(auth_views.LoginView):
    """Django's log-in, plus the single sign-on button when OIDC is configured."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sso_enabled"] = settings.OIDC_ENABLED
        context["sso_failed"] = self.request.GET.get("sso") == "fejl"
        return context


def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Send each user to their role's landing page."""
    role = request.user.primary_role()
    target = try_reverse(LANDING[role]) if role in LANDING else None
    if target is not None and target != request.path:
        return redirect(target)
    template = f"landing/{role}.html" if role else "landing/none.html"
    role_label = Role(role).label if role else ""
    return render(request, template, {"role": role, "role_label": role_label})


def _database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, "ok"
    except Exception as exc:  # noqa: BLE001 - health reports any failure
        return False, exc.__class__.__name__


def _broker_ok() -> tuple[bool, str]:
    if not settings.REDIS_URL:
        return True, "eager"
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
        return True, "ok"
    except Exception as exc:  # noqa: BLE001
        return False, exc.__class__.__name__


@login_not_required
@never_cache
@require_GET
# Not wrapped in ATOMIC_REQUESTS' transaction: that would connect before the view runs, so
# an unreachable database would give a 500 page instead of this JSON 503.
@transaction.non_atomic_requests
def healthz(request: HttpRequest) -> JsonResponse:
    db_ok, db_detail = _database_ok()
    broker_ok, broker_detail = _broker_ok()
    healthy = db_ok and broker_ok
    return JsonResponse(
        {
            "status": "ok" if healthy else "error",
            "database": db_detail,
            "broker": broker_detail,
        },
        status=200 if healthy else 503,
    )


def audit_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Managers and administrators search the audit log."""
    require(request.user, Cap.AUDIT_VIEW)
    events = AuditEvent.objects.select_related("user", "object_type")
    if request.user.unit_id and not request.user.is_superuser:
        events = events.filter(user__unit_id=request.user.unit_id)
    q_user = request.GET.get("bruger", "").strip()
    q_action = request.GET.get("handling", "").strip()
    q_citizen = request.GET.get("borger", "").strip()
    q_object = request.GET.get("objekt", "").strip()
    if q_user:
        events = events.filter(user__username__icontains=q_user)
    if q_action:
        events = events.filter(action=q_action)
    if q_citizen.isdigit():
        # The citizen's own rows and the list rows (caseload, Min dag, hours grid) that showed them.
        events = events.filter(shown_citizen(int(q_citizen)))
    if q_object:
        events = events.filter(object_repr__icontains=q_object)
    page = Paginator(events, 50).get_page(request.GET.get("side"))
    for event in page:
        # Danish names, never "MappingSession object (84)" or "ordinary_hours_terms".
        event.label = object_label(event)  # type: ignore[attr-defined]
        event.field_labels = field_labels(event)  # type: ignore[attr-defined]
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "actions": AuditEvent._meta.get_field("action").choices,
            "query": {
                "bruger": q_user,
                "handling": q_action,
                "borger": q_citizen,
                "objekt": q_object,
            },
        },
    )


@login_not_required
def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, object] | None = None,
) -> HttpResponse:
    """django-axes' lockout response: a Danish page with 429 Too Many Requests."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


def staff_choices(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Options of the searchable staff field (widgets.Combobox): active staff of my jobcentre
    whose name or user name contains every word typed; ``?rolle=mentor`` limits to a role."""
    staff = User.objects.filter(is_active=True)
    unit_id = request.user.unit_id
    if unit_id is not None:
        staff = staff.filter(unit_id=unit_id)
    elif not request.user.is_superuser:
        staff = staff.none()
    role = request.GET.get("rolle", "")
    if role in Role.values:
        staff = staff.filter(memberships__role=role)
    for word in widgets.search_text(request).split():
        staff = staff.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
        )
    found = staff.distinct().order_by("first_name", "last_name", "username")[: widgets.SEARCH_LIMIT]
    return widgets.render_options(
        request, ((u.pk, u.get_full_name() or u.username, u.username) for u in found)
    )
