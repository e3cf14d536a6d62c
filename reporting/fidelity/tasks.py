"""The fidelity rounds' daily job (Celery beat, ``fidelity-rounds`` in settings): close the
rounds whose closing date has passed and remind those who have not answered before a round
closes (threshold ``fidelity_reminder_days``)."""

from __future__ import annotations

from celery import shared_task


@shared_task
def fidelity_rounds() -> dict[str, int]:
    from reporting.fidelity import services

    reminded = services.send_reminders()
    closed = services.close_due()
    return {"reminded": reminded, "closed": closed}
