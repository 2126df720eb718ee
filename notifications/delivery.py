"""Sending one delivery through its channel, claimed so it goes out once."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import timezone

from lib import versions

from .models import Channel, Delivery, Notification
from .sms import TransientSMSError, default_text, get_backend

# A claim older than this belongs to a worker that died mid-send; it may be taken again.
STALE_CLAIM = timedelta(minutes=10)


class TransientDeliveryError(Exception):
    pass


class ConsentWithdrawn(Exception):
    """The person withdrew their consent to SMS after the message was queued: it fails
    for good (sending it again fails again until they agree once more)."""


def consent_withdrawn(notification) -> bool:
    """Asked at the moment of sending, so a consent withdrawn after the message was queued
    (or before a retry) is respected."""
    from .models import SmsConsent

    person = Q()
    if notification.resident_id:
        person |= Q(resident_id=notification.resident_id)
    if notification.contact_id:
        person |= Q(contact_id=notification.contact_id)
    recipient = notification.recipient
    if recipient is not None and recipient.resident_id:
        person |= Q(resident_id=recipient.resident_id)
    if recipient is not None and recipient.contact_id:
        person |= Q(contact_id=recipient.contact_id)
    if not person:
        return False
    return SmsConsent.objects.filter(person, consent=SmsConsent.Consent.WITHDRAWN).exists()


def claim(delivery_id: int) -> bool:
    """Take the delivery to send it: pending, failed, or left by a dead worker; an SMS held
    for the end of quiet hours is not taken before then (redeliver_stuck queues it)."""
    now = timezone.now()
    return (
        Delivery.objects.filter(pk=delivery_id)
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
        .filter(
            Q(status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED])
            | Q(status=Delivery.Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
        )
        .update(status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
        == 1
    )


def send(delivery_id: int, *, final_attempt: bool = False) -> None:
    if not claim(delivery_id):
        return
    delivery = Delivery.objects.select_related(
        "notification__recipient",
        "notification__resident",
        "notification__contact",
        "notification__community",
    ).get(pk=delivery_id)
    notification = delivery.notification
    try:
        if delivery.channel == Channel.EMAIL:
            _send_email(notification)
        elif delivery.channel == Channel.SMS:
            if consent_withdrawn(notification):
                from django.utils.translation import gettext

                raise ConsentWithdrawn(gettext("The person withdrew their consent to SMS."))
            get_backend().send(notification.phone, sms_text_of(notification))
    except Exception as error:
        # A withdrawn consent reads as what it is; a gateway's error keeps its kind.
        text = (
            str(error)
            if isinstance(error, ConsentWithdrawn)
            else f"{type(error).__name__}: {error}"
        )
        Delivery.objects.filter(pk=delivery_id).update(
            status=Delivery.Status.FAILED, last_error=text[:2000]
        )
        _shown_elsewhere(notification)
        transient = isinstance(error, (TransientSMSError, OSError))
        if transient and not final_attempt:
            raise TransientDeliveryError(str(error)) from error
        _forget_secret(notification)
        return
    Delivery.objects.filter(pk=delivery_id).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    _shown_elsewhere(notification)
    _forget_secret(notification)


def _shown_elsewhere(notification) -> None:
    """A delivery's state is shown on its community's pages (a meeting's invitations, 发送记录):
    pages cached from before it changed are stale (lib.versions; update() sends no signal)."""
    versions.changed(
        versions.community(notification.community_id) if notification.community_id else versions.ALL
    )


def sms_text_of(notification) -> str:
    """The SMS as the sender wrote it, or made from the title and the community."""
    if notification.sms_text:
        return notification.sms_text
    community = notification.community
    if community is None and notification.content_type_id:
        from core.audit import community_id_of

        target = notification.target
        community_id = community_id_of(target) if target is not None else None
        if community_id:
            from communities.models import Community

            community = Community.objects.filter(pk=community_id).first()
    return default_text(community.name if community else "", notification.title)


def _forget_secret(notification) -> None:
    """A one-time code or link stays in the database only until its message went out (or
    failed for good): the body keeps the message with the secret hidden."""
    if notification.secret and (notification.sms_text or notification.url):
        Notification.objects.filter(pk=notification.pk).update(sms_text="", url="")


def _send_email(notification) -> None:
    link = f"{settings.SITE_URL}{notification.url}" if notification.url else ""
    text = f"{notification.body}\n\n{link}".strip()
    message = EmailMultiAlternatives(
        subject=notification.title, body=text, to=[notification.recipient.email]
    )
    if notification.attachment_name:
        message.attach(
            notification.attachment_name,
            notification.attachment_content,
            notification.attachment_mimetype or "application/octet-stream",
        )
    message.send()


# A pending delivery this old was probably never queued (the broker was down).
UNQUEUED_AFTER = timedelta(minutes=5)


def requeue_stuck() -> int:
    from .tasks import deliver

    now = timezone.now()
    ids = list(
        Delivery.objects.filter(
            Q(status=Delivery.Status.PENDING, created_at__lt=now - UNQUEUED_AFTER)
            | Q(status=Delivery.Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
            # SMS held through quiet hours, due now.
            | Q(status=Delivery.Status.PENDING, not_before__lte=now)
        )
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
        .values_list("pk", flat=True)[:5000]
    )
    for pk in ids:
        deliver.delay(pk)
    return len(ids)
