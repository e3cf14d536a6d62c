"""Logging conversations (htmx quick-log on the citizen page and on Min dag), correcting
them, and marking follow-ups done. Without JavaScript every form is a plain POST/redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.citizens import conversations, followups, queries, services
from cases.citizens.forms import ConversationEditForm, ConversationForm
from cases.citizens.models import Conversation
from cases.citizens.queries import visible_citizen
from cases.citizens.views.citizen import detail_context, render_detail
from cases.citizens.views.my_day import my_day_context
from substitution import audit, calendar_invite
from substitution.audit import AuditContext
from substitution.http import AuthenticatedHttpRequest, announce
from substitution.models import AuditAction
from substitution.roles import Cap, require


@require_POST
def conversation_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The quick-log form on the citizen page."""
    require(request.user, Cap.CONVERSATIONS_LOG)
    citizen = visible_citizen(request, pk)
    form = ConversationForm(
        request.POST, instance=Conversation(citizen=citizen, author=request.user)
    )
    if not form.is_valid():
        if request.htmx:
            context = {"log_form": form, "citizen": citizen, "log_url": "cases:conversation_create"}
            return render(request, "cases/citizens/citizen/detail.html#quick_log", context)
        return render_detail(request, pk, log_form=form)
    conversation = services.log_conversation(
        form, actor=request.user, context=AuditContext.of(request)
    )
    if not request.htmx:
        messages.success(request, _("Samtalen er gemt."))
        return redirect(f"{citizen.get_absolute_url()}#tidslinje")
    context = detail_context(request, pk, log_form=ConversationForm())
    context["logged"] = conversation
    return render(request, "cases/citizens/citizen/logged.html", context)


def quick_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The quick-log form on Min dag, with a citizen select limited to my caseload."""
    require(request.user, Cap.CONVERSATIONS_LOG)
    if request.method != "POST":
        return redirect("cases:my_day")
    form = ConversationForm(
        request.POST,
        instance=Conversation(author=request.user),
        citizens=queries.caseload_for_log(request.user),
    )
    if form.is_valid():
        conversation = services.log_conversation(
            form, actor=request.user, context=AuditContext.of(request)
        )
        if not request.htmx:
            messages.success(request, _("Samtalen er gemt."))
            return redirect("cases:my_day")
        context = my_day_context(request)
        context["logged"] = conversation
        return render(request, "cases/citizens/my_day/logged.html", context)
    if request.htmx:
        context = {"log_form": form, "log_url": "cases:quick_log"}
        return render(request, "cases/citizens/my_day/page.html#quick_log", context)
    return render(
        request,
        "cases/citizens/my_day/page.html",
        my_day_context(request, log_form=form),
        status=400,
    )


def conversation_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Correct a conversation: freely within the window, with a reason and a kept revision
    after it (``cases.citizens.conversations`` decides who may)."""
    conversation = queries.visible_conversation(request.user, pk)
    if not conversations.may_correct(conversation, request.user):
        raise PermissionDenied
    reason_required = conversations.reason_required(conversation, request.user)
    if request.method == "GET":  # the form shows the conversation's note: a view
        audit.record(
            request, AuditAction.VIEW, conversation.citizen, citizen_id=conversation.citizen_id
        )
    form = ConversationEditForm(
        request.POST or None, instance=conversation, reason_required=reason_required
    )
    if request.method == "POST" and form.is_valid():
        services.correct_conversation(form, actor=request.user, context=AuditContext.of(request))
        messages.success(request, _("Samtalen er rettet."))
        return redirect(f"{conversation.citizen.get_absolute_url()}#tidslinje")
    return render(
        request,
        "cases/citizens/conversations/edit.html",
        {
            "form": form,
            "conversation": conversation,
            "citizen": conversation.citizen,
            "reason_required": reason_required,
            "revisions": queries.conversation_revisions(conversation),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def followup_done(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark a follow-up done: the owner's own, or one on a citizen the user may see."""
    follow_up = queries.visible_follow_up(request.user, pk)
    services.mark_follow_up_done(follow_up, actor=request.user, context=AuditContext.of(request))
    if request.htmx:
        followups.annotate_overdue([follow_up])
        response = render(request, "cases/citizens/followups/_item.html", {"item": follow_up})
        done = _("Opfølgningen er markeret som udført: %(title)s.") % {"title": follow_up.title}
        return announce(response, done, focus=f"#opfoelgning-{follow_up.pk}")
    messages.success(request, _("Opfølgningen er markeret som udført."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "cases:my_day"
    return redirect(target or "cases:my_day")


def followup_calendar(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The follow-up as a calendar invitation (.ics) for the user's own calendar: the owner's
    own, or one on a citizen they may see (404 otherwise). A read of personal data: audited."""
    follow_up = queries.visible_follow_up(request.user, pk)
    citizen = followups.citizen_of(follow_up)
    name = calendar_invite.short_name(citizen.full_name) if citizen else ""
    summary = f"{follow_up.title} – {name}" if name else follow_up.title
    target = citizen.get_absolute_url() if citizen else reverse("cases:my_day")
    content = calendar_invite.invitation(
        follow_up, summary=summary, url=request.build_absolute_uri(target)
    )
    audit.record(
        request,
        AuditAction.EXPORT,
        follow_up,
        citizen_id=citizen.pk if citizen else None,
        object_repr=_("Kalenderinvitation: %(title)s") % {"title": follow_up.title},
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="opfoelgning-{follow_up.pk}.ics"'
    return response
