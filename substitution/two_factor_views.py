"""The second step of the log-in (a TOTP code) and setting up an authenticator app."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from substitution import audit, two_factor
from substitution.http import AuthenticatedHttpRequest
from substitution.models import AuditAction


def _next(request: AuthenticatedHttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@never_cache
def otp_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not two_factor.has_device(request.user):
        return redirect("otp_setup")
    form = two_factor.TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error(
            "token",
            _("Koden passer ikke, eller der er prøvet for mange gange. Vent lidt og prøv igen."),
        )
    return render(request, "registration/otp_verify.html", {"form": form, "next": _next(request)})


@never_cache
def otp_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Add an authenticator app: scan the code, type one code to confirm."""
    if two_factor.has_device(request.user) and not request.user.is_verified():  # type: ignore[attr-defined]
        return redirect("otp_verify")
    device = two_factor.unconfirmed_device(request.user)
    form = two_factor.TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.verify(request.user, form.cleaned_data["token"], device=device):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit.record(
                request,
                AuditAction.CHANGE,
                request.user,
                object_repr=f"To-faktor-login slået til for {request.user.username}",
                changes={"totp": ["", "godkendelsesapp"]},
            )
            messages.success(request, _("To-faktor-login er slået til."))
            return redirect(_next(request))
        form.add_error("token", _("Koden passer ikke. Tjek uret på telefonen, og prøv igen."))
    return render(
        request,
        "registration/otp_setup.html",
        {
            "form": form,
            "next": _next(request),
            "qr": two_factor.qr_data_uri(device),
            "secret": two_factor.secret_for_typing(device),
            "required": two_factor.required_for(request.user),
        },
    )
