"""companies/pipeline.py: the pipeline's order; inaktiv stands outside it."""

from __future__ import annotations

import pytest

from companies.models import PipelineStatus
from companies.pipeline import is_forward


@pytest.mark.parametrize(
    ("status", "target", "forward"),
    [
        (PipelineStatus.EMNE, PipelineStatus.KONTAKTET, True),
        (PipelineStatus.KONTAKTET, PipelineStatus.SAMARBEJDE, True),
        (PipelineStatus.KORTLAGT, PipelineStatus.KONTAKTET, False),
        (PipelineStatus.SAMARBEJDE, PipelineStatus.KORTLAGT, False),
        (PipelineStatus.KORTLAGT, PipelineStatus.KORTLAGT, False),
        (PipelineStatus.INAKTIV, PipelineStatus.KONTAKTET, False),
    ],
)
def test_events_move_a_company_forward_only(status: str, target: str, forward: bool) -> None:
    assert is_forward(status, target) is forward
