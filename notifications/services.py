"""Sending notifications. Every app's services and reminder sweeps call `notify`."""

import contextlib

from django.contrib.auth import get_user_model
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


# Sweeps are processed in chunks so every query stays small.
CHUNK = 2000


def notify_bulk(*, kind: str, messages) -> int:
    """Send many reminders of one kind at once, each once. `messages` is an iterable of
    (recipient_id, target, step, title, body, url). Used by the sweeps, which may cover tens
    of thousands of records: the keys already sent are skipped in one query, the rest are
    inserted in bulk (a key inserted meanwhile by another sweep is ignored by the unique
    constraint), and the email/SMS deliveries are queued after the transaction commits.
    Returns how many notifications were new."""
    messages = list(messages)
    if len(messages) > CHUNK:
        return sum(
            notify_bulk(kind=kind, messages=messages[start : start + CHUNK])
            for start in range(0, len(messages), CHUNK)
        )
    if not messages:
        return 0
    content_types = {}
    rows = {}
    for recipient_id, target, step, title, body, url in messages:
        model = type(target)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(model)
        key = (content_types[model].pk, target.pk, recipient_id, step)
        rows.setdefault(key, (title, body, url))
    sent = set(
        Notification.objects.filter(
            kind=kind,
            content_type__in=[ct.pk for ct in content_types.values()],
            object_id__in={key[1] for key in rows},
            step__in={key[3] for key in rows},
        ).values_list("content_type", "object_id", "recipient", "step")
    )
    new = [
        Notification(
            kind=kind,
            content_type_id=key[0],
            object_id=key[1],
            recipient_id=key[2],
            step=key[3],
            title=title[:200],
            body=body,
            url=url,
        )
        for key, (title, body, url) in rows.items()
        if key not in sent
    ]
    if not new:
        return 0
    with transaction.atomic():
        Notification.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
        _queue_deliveries(kind, new)
    return len(new)


def _queue_deliveries(kind, notifications) -> None:
    recipient_ids = {n.recipient_id for n in notifications}
    User = get_user_model()
    users = {
        user.pk: user
        for user in User.objects.filter(pk__in=recipient_ids)
        .select_related("notification_preference")
        .only("pk", "email", "phone", "notification_preference")
    }
    wanted = {pk: set(channels_for(user)) for pk, user in users.items()}
    if not any(wanted.values()):
        return
    created = list(
        Notification.objects.filter(
            kind=kind,
            recipient__in=[pk for pk, channels in wanted.items() if channels],
            content_type__in={n.content_type_id for n in notifications},
            object_id__in={n.object_id for n in notifications},
            step__in={n.step for n in notifications},
            deliveries__isnull=True,
        ).values_list("pk", "recipient")
    )
    Delivery.objects.bulk_create(
        [
            Delivery(notification_id=pk, channel=channel)
            for pk, recipient_id in created
            for channel in wanted[recipient_id]
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    pending = list(
        Delivery.objects.filter(
            notification__in=[pk for pk, _ in created],
            status=Delivery.Status.PENDING,
            attempts=0,
        ).values_list("pk", flat=True)
    )
    transaction.on_commit(lambda: _enqueue_batches(pending))


BATCH = 100


def _enqueue_batches(delivery_ids) -> None:
    from .tasks import deliver_batch

    for start in range(0, len(delivery_ids), BATCH):
        with contextlib.suppress(Exception):
            deliver_batch.delay(delivery_ids[start : start + BATCH])


def channels_for(user) -> list[str]:
    try:
        preference = user.notification_preference
    except Preference.DoesNotExist:
        preference = None
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


def preference_set(*, user, email: bool, sms: bool) -> Preference:
    """The outside channels a user wants notifications on; in-app ones are always kept."""
    preference, _created = Preference.objects.update_or_create(
        user=user, defaults={"email": email, "sms": sms}
    )
    if hasattr(user, "_state") and "notification_preference" in user._state.fields_cache:
        user._state.fields_cache["notification_preference"] = preference
    return preference
