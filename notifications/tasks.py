import random

from celery import shared_task
from django.conf import settings

from . import delivery

MAX_RETRIES = 6


def backoff(retries: int) -> float:
    """Exponential backoff with jitter: base, 2×base, 4×base … capped at an hour.
    The base is settings.NOTIFICATION_RETRY_BASE_SECONDS (30 s by default)."""
    base = getattr(settings, "NOTIFICATION_RETRY_BASE_SECONDS", 30)
    delay = min(base * 2**retries, 3600)
    return delay / 2 + random.uniform(0, delay / 2)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def deliver(self, delivery_id: int) -> None:
    """Send one email or SMS. Safe to run twice: the delivery row is claimed first. A
    transient failure is recorded on the row (last_error) and retried with backoff; the
    last attempt leaves the row FAILED for an admin to retry from the admin."""
    try:
        delivery.send(delivery_id, final_attempt=self.request.retries >= self.max_retries)
    except delivery.TransientDeliveryError as error:
        raise self.retry(exc=error, countdown=backoff(self.request.retries)) from error


@shared_task
def deliver_batch(delivery_ids: list[int]) -> None:
    """Send many deliveries queued by one sweep (one message per hundred, so a sweep over
    tens of thousands of records publishes quickly). A transient failure goes on to the
    single-delivery task, which retries it with backoff."""
    for delivery_id in delivery_ids:
        try:
            delivery.send(delivery_id)
        except delivery.TransientDeliveryError:
            deliver.apply_async((delivery_id,), countdown=backoff(0))


@shared_task
def redeliver_stuck() -> int:
    """Queue again the deliveries that never went out: pending ones older than a few
    minutes (the broker was down when they were queued) and claims left by a dead worker."""
    return delivery.requeue_stuck()


@shared_task
def send_digests() -> int:
    """The daily digests: one email and one SMS per person and kind of duty, at most one a
    day (notifications.digests)."""
    from .digests import send_digests as send

    return send()
