from celery import shared_task
from django.utils import timezone


@shared_task
def heartbeat() -> str:
    """A trivial task that proves the Celery wiring (worker, broker, beat)."""
    return timezone.now().isoformat()


@shared_task
def add(x: int, y: int) -> int:
    return x + y


@shared_task
def purge_audit_log() -> int:
    """The audit retention (substitution/retention.py): the only deleter of audit rows."""
    from substitution.retention import purge_audit_log as purge

    return purge().deleted
