"""Logging conversations (htmx quick-log on the citizen page and on Min dag), correcting
them, and marking follow-ups done. Without JavaScript every form is a plain POST/redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.citizens import conversations, followups
from cases.citizens.forms import ConversationEditForm, ConversationForm
from cases.citizens.models import Citizen, Conversation
from cases.citizens.queries import visible_citizen
from cases.citizens.views.citizen import detail_context, render_detail
from cases.citizens.views.my_day import caseload_for_log, my_day_context
from substitution import audit
from substitution.models import AuditAction, FollowUp
from substitution.roles import Cap, require


def _record_new(request: HttpRequest, conversation: Conversation, form: ConversationForm) -> None:
    changes = audit.form_changes(form)
    changes.pop("citizen", None)
    audit.record(
        request,
        AuditAction.CREATE,
        conversation,
        citizen_id=conversation.citizen_id,
        changes=changes,
        object_repr=_("Samtale med %(name)s") % {"name": conversation.citizen.full_name},
    )


@require_POST
def conversation_create(request: HttpRequest, pk: int) -> HttpResponse:
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
    conversation = conversations.log(form.save(commit=False))
    _record_new(request, conversation, form)
    if not request.htmx:
        messages.success(request, _("Samtalen er gemt."))
        return redirect(f"{citizen.get_absolute_url()}#tidslinje")
    context = detail_context(request, pk, log_form=ConversationForm())
    context["logged"] = conversation
    return render(request, "cases/citizens/citizen/logged.html", context)


def quick_log(request: HttpRequest) -> HttpResponse:
    """The quick-log form on Min dag, with a citizen select limited to my caseload."""
    require(request.user, Cap.CONVERSATIONS_LOG)
    if request.method != "POST":
        return redirect("cases:my_day")
    form = ConversationForm(
        request.POST,
        instance=Conversation(author=request.user),
        citizens=caseload_for_log(request.user),
    )
    if form.is_valid():
        form.instance.citizen = form.cleaned_data["citizen"]
        conversation = conversations.log(form.save(commit=False))
        _record_new(request, conversation, form)
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


def conversation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a conversation: freely within the window, with a reason and a kept revision
    after it (see ``cases.conversations`` for who may)."""
    conversation = get_object_or_404(
        Conversation.objects.filter(
            citizen__in=Citizen.objects.visible_to(request.user)
        ).select_related("citizen", "author", "kind", "channel"),
        pk=pk,
    )
    if not conversations.may_edit(conversation, request.user):
        raise PermissionDenied
    reason_required = not conversations.freely_editable(conversation, request.user)
    before = conversations.snapshot(conversation)
    if request.method == "GET":  # the form shows the conversation's note: a view
        audit.record(
            request, AuditAction.VIEW, conversation.citizen, citizen_id=conversation.citizen_id
        )
    form = ConversationEditForm(
        request.POST or None, instance=conversation, reason_required=reason_required
    )
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data.get("reason", "")
        conversations.correct(
            form.save(commit=False), before, request.user, reason, keep_revision=reason_required
        )
        changes = audit.form_changes(form)
        audit.record(
            request,
            AuditAction.CHANGE,
            conversation,
            citizen_id=conversation.citizen_id,
            changes=changes,
            object_repr=_("Samtale med %(name)s") % {"name": conversation.citizen.full_name},
        )
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
            "revisions": conversation.revisions.select_related("by"),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def followup_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a follow-up done: the owner's own, or one on a citizen the user may see."""
    visible = followups.visible_citizen_followups(request.user).values("pk")
    follow_up = get_object_or_404(
        FollowUp.objects.filter(Q(owner=request.user) | Q(pk__in=visible)).select_related("owner"),
        pk=pk,
    )
    if followups.mark_done(follow_up):
        is_citizen = follow_up.subject_type_id == followups.citizen_type().pk
        audit.record(
            request,
            AuditAction.CHANGE,
            follow_up,
            citizen_id=follow_up.subject_id if is_citizen else None,
            changes={"done_at": [None, follow_up.done_at.isoformat()]},
        )
    if request.htmx:
        followups.annotate_overdue([follow_up])
        return render(request, "cases/citizens/followups/_item.html", {"item": follow_up})
    messages.success(request, _("Opfølgningen er markeret som udført."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "cases:my_day"
    return redirect(target or "cases:my_day")
