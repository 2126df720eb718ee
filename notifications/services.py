"""Sending notifications. Every app's services and reminder sweeps call `notify`."""

import contextlib

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Channel, Delivery, Notification, Preference


def notify(
    *,
    recipient,
    kind: str,
    title: str,
    body: str,
    target,
    step: str = "",
    url: str = "",
    attachment: tuple[str, str, str] | None = None,
) -> Notification | None:
    """Send one notification, once. Returns None if this (kind, target, recipient, step)
    was already sent, so sweeps can run as often as they like.

    The in-app notification is stored at once; email and SMS deliveries are queued after
    the surrounding transaction commits, through the channels the recipient chose.
    `attachment` is (filename, mimetype, text content), e.g. an .ics invitation.
    """
    fields = {
        "recipient": recipient,
        "kind": kind,
        "content_type": ContentType.objects.get_for_model(target),
        "object_id": target.pk,
        "step": step,
    }
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                **fields,
                title=title[:200],
                body=body,
                url=url,
                attachment_name=attachment[0] if attachment else "",
                attachment_mimetype=attachment[1] if attachment else "",
                attachment_content=attachment[2] if attachment else "",
            )
    except IntegrityError:
        return None
    for channel in channels_for(recipient):
        delivery = Delivery.objects.create(notification=notification, channel=channel)
        transaction.on_commit(lambda pk=delivery.pk: _enqueue_delivery(pk))
    return notification


def channels_for(user) -> list[str]:
    preference = Preference.objects.filter(user=user).first()
    email = preference.email if preference else True
    sms = preference.sms if preference else False
    channels = []
    if email and user.email:
        channels.append(Channel.EMAIL)
    if sms and user.phone:
        channels.append(Channel.SMS)
    return channels


def _enqueue_delivery(delivery_id: int) -> None:
    from .tasks import deliver

    with contextlib.suppress(Exception):
        deliver.delay(delivery_id)


def notification_mark_read(*, notification, actor) -> None:
    if notification.recipient_id != actor.pk or notification.read_at:
        return
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_mark_all_read(*, actor) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
