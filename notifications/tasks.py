from celery import shared_task

from . import delivery


@shared_task(
    bind=True,
    autoretry_for=(delivery.TransientDeliveryError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=6,
)
def deliver(self, delivery_id: int) -> None:
    """Send one email or SMS. Safe to run twice: the delivery row is claimed first."""
    delivery.send(delivery_id, final_attempt=self.request.retries >= self.max_retries)


@shared_task
def redeliver_stuck() -> int:
    """Queue again the deliveries that never went out: pending ones older than a few
    minutes (the broker was down when they were queued) and claims left by a dead worker."""
    return delivery.requeue_stuck()
