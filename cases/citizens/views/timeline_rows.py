"""The citizen page's timeline entries, built in Python with the markup the template had.

Twenty-five entries of up to ten kinds through the template engine (an ``{% if %}`` chain per
entry, a ``|date`` and a ``{% url %}`` or ``get_absolute_url`` per link, ``get_FOO_display``
per label) were most of the timeline section's Python (docs/performance.md, issue 13). Here
each entry is one ``format_html``; the links are resolved once per page
(``substitution.links.pk_url``), the fixed texts and the choice labels translated once.

The entries of the packages above citizens (placements, matching's shares, reporting's case
review decisions) are read by their attributes only, as the template read them; no import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from typing import Any

from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.citizens.models import ConversationOutcome, ReviewOutcome
from cases.citizens.timeline import Entry
from substitution import links


def _at(value: dt.datetime) -> str:
    """``|date:"d.m.Y H:i"`` of an aware datetime: in the current time zone."""
    return f"{timezone.localtime(value):%d.%m.%Y %H:%M}"


def _on(value: dt.date) -> str:
    """``|date:"d.m.Y"`` of a date."""
    return f"{value:%d.%m.%Y}"


def _lines(value: str) -> SafeString:
    """``|linebreaksbr`` with autoescaping."""
    return linebreaksbr(value, autoescape=True)


def _blocktrans(translated: str, **values: object) -> SafeString:
    """What ``{% blocktrans with … %}`` gives: the translation with its values escaped."""
    return mark_safe(  # noqa: S308 - the values are escaped; the text is the catalogue's
        translated % {name: conditional_escape(str(value)) for name, value in values.items()}
    )


class _Texts:
    """The fixed texts, the choice labels and the links, once per page."""

    def __init__(self) -> None:
        self.job_focused = _("jobrettet")
        self.next_step = _("Aftalt næste skridt:")
        self.deadline = _("frist")
        self.reason = _("Begrundelse:")
        self.earlier = _("Tidligere udgave:")
        self.correct = _("Ret samtale")
        self.plan = _("Plan ændret:")
        self.due = _("Frist")
        self.follow_up = _("Opfølgning:")
        self.done = _("Udført")
        self.overdue = _("Overskredet")
        self.open = _("Åben")
        self.started = _("Forløb startet:")
        self.agreement = _("Arbejdsaftale indgået:")
        self.ended = _("Forløb afsluttet:")
        self.follow_up_by = _("opfølgning senest")
        self.milestone = _("Milepæl nået:")
        self.review = _("Progressionsmåling:")
        self.conversation_outcomes = links.choice_labels(ConversationOutcome.choices)
        self.review_outcomes = links.choice_labels(ReviewOutcome.choices)
        self.placement_url = links.pk_url("cases:placement_detail")
        self.edit_url = links.pk_url("cases:conversation_edit")


def _conversation(o: Any, t: _Texts, correctable: Collection[int]) -> SafeString:
    parts = [
        format_html(
            '<li class="conversation" id="samtale-{}">\n'
            '        <span class="when">{} · {}</span>\n'
            "        <div><strong>{}</strong> · {} · {}{}</div>",
            o.pk,
            _at(o.occurred_at),
            o.author,
            o.kind,
            o.channel,
            t.conversation_outcomes.get(o.outcome, o.outcome),
            format_html(" · {}", t.job_focused) if o.job_focused else "",
        )
    ]
    if o.note:
        parts.append(format_html('        <p class="note">{}</p>', _lines(o.note)))
    if o.next_step:
        parts.append(
            format_html(
                '        <div class="small">{} {}{}</div>',
                t.next_step,
                o.next_step,
                format_html(" ({} {})", t.deadline, _on(o.next_step_due))
                if o.next_step_due
                else "",
            )
        )
    revisions = o.revision_list  # timeline.build's, newest first
    if revisions:
        n = len(revisions)
        items = mark_safe(  # noqa: S308 - every part went through format_html
            "".join(
                format_html(
                    '<li>{} · {} · {} {}<br><span class="muted">{} {} · {} · {} · {} · {}'
                    "</span></li>",
                    _at(rev.at),
                    rev.by,
                    t.reason,
                    rev.reason,
                    t.earlier,
                    *(
                        rev.snapshot.get(key, "")
                        for key in ("occurred_at", "kind", "channel", "outcome_label", "note")
                    ),
                )
                for rev in revisions
            )
        )
        parts.append(
            format_html(
                '        <details class="small"><summary>{}</summary>\n'
                '          <ul class="plain">{}</ul>\n'
                "        </details>",
                ngettext("Rettet %(n)s gang", "Rettet %(n)s gange", n) % {"n": n},
                items,
            )
        )
    if o.pk in correctable:
        parts.append(
            format_html('        <a class="small" href="{}">{}</a>', t.edit_url(o.pk), t.correct)
        )
    parts.append(mark_safe("      </li>"))
    return mark_safe("\n".join(parts))  # noqa: S308 - every part went through format_html


def _plan(o: Any, t: _Texts) -> SafeString:
    return format_html(
        '<li class="plan"><span class="when">{} · {}</span><div>{} {}</div></li>',
        _at(o.at),
        o.by,
        t.plan,
        o.summary,
    )


def _followup(o: Any, t: _Texts) -> SafeString:
    if o.done_at:
        badge = format_html('<span class="badge ok">{}</span>', t.done)
    elif o.overdue:
        badge = format_html('<span class="badge danger">{}</span>', t.overdue)
    else:
        badge = format_html('<span class="badge">{}</span>', t.open)
    return format_html(
        '<li class="followup{}"><span class="when">{} {} · {}</span>\n'
        "        <div>{} {} {}</div></li>",
        " overdue" if o.overdue else "",
        t.due,
        _on(o.due_on),
        o.owner,
        t.follow_up,
        o.title,
        badge,
    )


def _share(o: Any, t: _Texts) -> SafeString:
    return format_html(
        '<li class="share"><span class="when">{} · {}</span><div>{}</div></li>',
        _at(o.shared_at),
        o.shared_by,
        _blocktrans(
            _("Delt med %(company)s (kandidatoversigt til %(task)s)"),
            company=o.task.company.name,
            task=o.task.title,
        ),
    )


def _placement_link(o: Any, t: _Texts, text: str) -> SafeString:
    return format_html('<a href="{}">{}</a>', t.placement_url(o.pk), text)


def _placement_start(o: Any, t: _Texts) -> SafeString:
    return format_html(
        '<li class="placement"><span class="when">{}{}</span><div>{} {}{}</div></li>',
        _on(o.starts_on),
        format_html(" · {}", o.created_by) if o.created_by else "",
        t.started,
        _placement_link(o, t, f"{o.type.label} · {o.company.name}"),
        format_html(" ({})", o.task.title) if o.task else "",
    )


def _agreement(o: Any, t: _Texts) -> SafeString:
    return format_html(
        '<li class="placement"><span class="when">{}</span><div>{} {} · {}</div></li>',
        _on(o.agreement.agreed_on),
        t.agreement,
        _placement_link(o, t, o.company.name),
        o.agreement.get_ordinary_hours_terms_display(),
    )


def _placement_end(o: Any, t: _Texts) -> SafeString:
    return format_html(
        '<li class="placement"><span class="when">{}</span><div>{} {}{}</div></li>',
        _on(o.ends_on),
        t.ended,
        _placement_link(o, t, f"{o.type.label} · {o.company.name}"),
        format_html(" ({})", o.end_reason) if o.end_reason else "",
    )


def _case_review(o: Any, t: _Texts) -> SafeString:
    return format_html(
        '<li class="case-review"><span class="when">{} · {}</span><div>{} {}{}</div></li>',
        _at(o.decided_at),
        o.decided_by,
        _blocktrans(_("Sagssparring med %(jf)s:"), jf=o.review.jobformidler),
        _lines(o.decision),
        format_html(' <span class="small">({} {})</span>', t.follow_up_by, _on(o.follow_up.due_on))
        if o.follow_up
        else "",
    )


def _milestone(o: Any, t: _Texts) -> SafeString:
    return format_html(
        '<li class="milestone"><span class="when">{}</span><div>{} {}</div></li>',
        _on(o.reached_on),
        t.milestone,
        o.label,
    )


def _review(o: Any, t: _Texts) -> SafeString:
    return format_html(
        '<li class="review"><span class="when">{} · {}</span><div>{} {} – {}{}</div></li>',
        _on(o.reviewed_on),
        o.by,
        t.review,
        o.sub_goal.title,
        t.review_outcomes.get(o.outcome, o.outcome),
        format_html(" ({})", o.note) if o.note else "",
    )


_KINDS: dict[str, Callable[[Any, _Texts], SafeString]] = {
    "plan": _plan,
    "followup": _followup,
    "share": _share,
    "placement_start": _placement_start,
    "agreement": _agreement,
    "placement_end": _placement_end,
    "case_review": _case_review,
    "milestone": _milestone,
}


def rows_html(entries: list[Entry], correctable: Collection[int]) -> SafeString:
    """The ``<li>`` of each entry (a progression review for any kind not named, as the
    template's last branch did); ``correctable``: the conversations the user may correct."""
    texts = _Texts()
    rows = []
    for entry in entries:
        if entry.kind == "conversation":
            rows.append(_conversation(entry.obj, texts, correctable))
        else:
            rows.append(_KINDS.get(entry.kind, _review)(entry.obj, texts))
    return mark_safe("\n      ".join(rows))  # noqa: S308 - every part went through format_html
