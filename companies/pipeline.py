"""The pipeline's order: *emne* → *kontaktet* → *kortlagt* → *samarbejde*, with *inaktiv* outside
it (docs/domain.md, "The company side").

A logged contact, a mapping session and an agreement move a company *forward* to kontaktet,
kortlagt and samarbejde; they never move it back, and never move an inaktiv company. The
consultant may set any status by hand (the status form). The writers are in
``companies.services``; this module only answers whether a move is forward.
"""

from __future__ import annotations

from companies.models import PipelineStatus

# Order of the active pipeline; "inaktiv" stands outside it.
ORDER = [
    PipelineStatus.EMNE,
    PipelineStatus.KONTAKTET,
    PipelineStatus.KORTLAGT,
    PipelineStatus.SAMARBEJDE,
]


def is_forward(status: str, target: str) -> bool:
    """True if ``status`` comes before ``target`` in the active pipeline (so an event that
    reaches ``target`` moves the company on)."""
    return status in ORDER and ORDER.index(PipelineStatus(status)) < ORDER.index(
        PipelineStatus(target)
    )
