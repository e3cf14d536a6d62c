from celery import shared_task
from django.utils import timezone


@shared_task
def heartbeat() -> str:
    """A trivial task that proves the Celery wiring (worker, broker, beat)."""
    return timezone.now().isoformat()


@shared_task
def add(x: int, y: int) -> int:
    return x + y
