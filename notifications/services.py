"""Sending notifications. Every app's services and reminder sweeps call `notify`."""

import contextlib
import logging

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from access.notifications import can_retry_delivery
from communities.models import OrganizationContact, Resident
from core.audit import community_id_of
from lib import versions
from lib.errors import DomainError
from lib.phones import is_mobile

from .models import Channel, Delivery, Notification, Preference, SmsConsent
from .sms import SEGMENT

logger = logging.getLogger("yishi.sms")


def is_person(recipient) -> bool:
    """A resident or an organization's contact, reached without an account."""
    return isinstance(recipient, Resident | OrganizationContact)


def sms_withdrawn(person) -> bool:
    """Whether the person (a resident or a contact) withdrew their consent to SMS. Reads
    the reverse one-to-one, so lists select_related("sms_consent")."""
    try:
        consent = person.sms_consent
    except SmsConsent.DoesNotExist:
        return False
    return consent is not None and consent.withdrawn


def sms_reachable(person) -> bool:
    """Whether a person without an account can be reached: a mobile number on record,
    and no withdrawn consent to SMS (they get a printed slip instead)."""
    return is_mobile(getattr(person, "phone", "") or "") and not sms_withdrawn(person)


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
    sms_text: str = "",
    community=None,
    secret: bool = False,
    channels: list[str] | None = None,
) -> Notification | None:
    """Send one notification, once. Returns None if this (kind, target, recipient, step)
    was already sent, so sweeps can run as often as they like, and None for a person
    without an account who has no mobile number (nothing can reach them: print instead).

    `recipient` is a user: the in-app notification is stored at once, and email and SMS
    deliveries through the channels they chose. Or a person without an account (a
    `Resident` or an `OrganizationContact`): one SMS to the number on record. Deliveries
    are queued after the surrounding transaction commits. `sms_text` is the SMS as the
    caller wrote it (naming the community, within one segment, with the link); without
    it the SMS is made from the title. `attachment` is (filename, mimetype, text
    content), e.g. an .ics invitation. `community` is where the message belongs (by
    default the target's). The notification's `channels` lists the outside channels its
    deliveries take: for a user, those they chose, or `channels` when the sender chose
    (a one-time password link goes where the admin sends it), each only with an address
    to send to and SMS never to a person who withdrew their consent.
    """
    person = is_person(recipient)
    # No mobile number, or the person withdrew their consent to SMS: nothing reaches them.
    if person and not sms_reachable(recipient):
        return None
    if sms_text and len(sms_text) > SEGMENT:
        logger.warning("SMS of %s is %d characters, over one segment", kind, len(sms_text))
    if person:
        who = {"resident": recipient} if isinstance(recipient, Resident) else {"contact": recipient}
    else:
        who = {"recipient": recipient}
    if community is None:
        community_id = community_id_of(target) or (
            recipient.community_id if isinstance(recipient, Resident) else None
        )
    else:
        community_id = community.pk
    fields = {
        **who,
        "kind": kind,
        "content_type": ContentType.objects.get_for_model(target),
        "object_id": target.pk,
        "step": step,
    }
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                **fields,
                community_id=community_id,
                title=title[:200],
                body=body,
                url=url,
                sms_text=sms_text,
                secret=secret,
                attachment_name=attachment[0] if attachment else "",
                attachment_mimetype=attachment[1] if attachment else "",
                attachment_content=attachment[2] if attachment else "",
            )
    except IntegrityError:
        return None
    if person:
        notification.channels = [Channel.SMS]
    elif channels is not None:
        notification.channels = [
            c
            for c in channels
            if (c == Channel.EMAIL and recipient.email)
            or (c == Channel.SMS and recipient.phone and not user_sms_withdrawn(recipient))
        ]
    else:
        notification.channels = channels_for(recipient)
    for channel in notification.channels:
        delivery = Delivery.objects.create(notification=notification, channel=channel)
        transaction.on_commit(lambda pk=delivery.pk: _enqueue_delivery(pk))
    return notification


# Sweeps are processed in chunks so every query stays small.
CHUNK = 2000


def notify_bulk(*, kind: str, messages) -> int:
    """Send many reminders of one kind at once, each once. `messages` is an iterable of
    (recipient_id, target, step, title, body, url). Used by the sweeps, which may cover tens
    of thousands of records: each chunk is one INSERT that skips the keys already sent (the
    unique constraint) and returns the rows it created, then one INSERT of their email/SMS
    deliveries, queued when the chunk commits. Returns how many notifications were
    new."""
    content_types = {}
    rows = {}
    for recipient_id, target, step, title, body, url in messages:
        model = type(target)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(model).pk
        key = (content_types[model], target.pk, recipient_id, step)
        rows.setdefault(key, (title[:200], body, url))
    if not rows:
        return 0
    items = list(rows.items())
    now = timezone.now()
    sent = 0
    # A chunk commits with its deliveries: a sweep killed midway keeps what it sent, and
    # the next run sends only the rest.
    for start in range(0, len(items), CHUNK):
        with transaction.atomic():
            created = _insert_notifications(kind, items[start : start + CHUNK], now)
            deliveries = _insert_deliveries(created, now)
            # Raw inserts send no signal: each recipient's unread count moved.
            versions.changed(*{versions.user(recipient) for _pk, recipient in created})
            transaction.on_commit(lambda ids=deliveries: _enqueue_batches(ids))
        sent += len(created)
    return sent


def _insert(model, columns, rows, returning) -> list[tuple]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING, in SQL that PostgreSQL and SQLite share:
    bulk_create cannot say which rows a conflict skipped, and building model instances for
    tens of thousands of rows costs more than the insert itself. Values go to the driver as
    they are: prepare dates with `_db_value` first."""
    if not rows:
        return []
    fields = [model._meta.get_field(name) for name in columns]
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = "INSERT INTO {} ({}) VALUES {} ON CONFLICT DO NOTHING RETURNING {}".format(
        connection.ops.quote_name(model._meta.db_table),
        ", ".join(connection.ops.quote_name(field.column) for field in fields),
        ", ".join([placeholders] * len(rows)),
        ", ".join(
            connection.ops.quote_name(model._meta.get_field(name).column) for name in returning
        ),
    )
    params = [value for row in rows for value in row]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _db_value(model, name, value):
    return model._meta.get_field(name).get_db_prep_save(value, connection)


NOTIFICATION_COLUMNS = (
    "kind",
    "content_type",
    "object_id",
    "recipient",
    "step",
    "title",
    "body",
    "url",
    "attachment_name",
    "attachment_mimetype",
    "attachment_content",
    "sms_text",
    "secret",
    "created_at",
)


def _insert_notifications(kind, items, now) -> list[tuple[int, int]]:
    """(notification id, recipient id) of the rows created."""
    now = _db_value(Notification, "created_at", now)
    return _insert(
        Notification,
        NOTIFICATION_COLUMNS,
        [
            (kind, *key, title, body, url, "", "", "", "", False, now)
            for key, (title, body, url) in items
        ],
        returning=("id", "recipient"),
    )


def _insert_deliveries(created, now) -> list[int]:
    """The email/SMS deliveries of a chunk's new notifications, through each recipient's
    channels."""
    users = (
        get_user_model()
        .objects.filter(pk__in={recipient_id for _pk, recipient_id in created})
        .values_list(
            "pk",
            "email",
            "phone",
            "notification_preference__email",
            "notification_preference__sms",
            "resident__sms_consent__consent",
            "contact__sms_consent__consent",
        )
    )
    wanted = {
        pk: _channels(email, phone, wants_email, wants_sms, resident_consent or contact_consent)
        for pk, email, phone, wants_email, wants_sms, resident_consent, contact_consent in users
    }
    now = _db_value(Delivery, "created_at", now)
    rows = [
        (pk, str(channel), str(Delivery.Status.PENDING), 0, "", now)
        for pk, recipient_id in created
        for channel in wanted.get(recipient_id, ())
    ]
    delivery_ids = []
    for start in range(0, len(rows), CHUNK):
        delivery_ids += [
            pk
            for (pk,) in _insert(
                Delivery,
                ("notification", "channel", "status", "attempts", "last_error", "created_at"),
                rows[start : start + CHUNK],
                returning=("id",),
            )
        ]
    return delivery_ids


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
    wants_sms = preference.sms if preference else None
    if wants_sms and user_sms_withdrawn(user):
        wants_sms = False
    return _channels(
        user.email,
        user.phone,
        preference.email if preference else None,
        wants_sms,
    )


def user_sms_withdrawn(user) -> bool:
    """An account's person (its resident record or contact) withdrew consent to SMS."""
    return SmsConsent.objects.filter(
        Q(resident_id=user.resident_id) if user.resident_id else Q(pk__in=[]),
        consent=SmsConsent.Consent.WITHDRAWN,
    ).exists() or (
        bool(user.contact_id)
        and SmsConsent.objects.filter(
            contact_id=user.contact_id, consent=SmsConsent.Consent.WITHDRAWN
        ).exists()
    )


def _channels(email, phone, wants_email, wants_sms, withdrawn=None) -> list[str]:
    """Email unless declined, SMS when chosen (and the person's consent not withdrawn);
    each only with an address to send to."""
    channels = []
    if wants_email is not False and email:
        channels.append(Channel.EMAIL)
    if wants_sms and phone and withdrawn != SmsConsent.Consent.WITHDRAWN:
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
    versions.changed(versions.user(actor.pk))  # the unread count (access.scope.load_user)


def notifications_mark_all_read(*, actor) -> int:
    count = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    versions.changed(versions.user(actor.pk))
    return count


def preference_set(*, user, email: bool, sms: bool) -> Preference:
    """The outside channels a user wants notifications on; in-app ones are always kept."""
    preference, _created = Preference.objects.update_or_create(
        user=user, defaults={"email": email, "sms": sms}
    )
    if hasattr(user, "_state") and "notification_preference" in user._state.fields_cache:
        user._state.fields_cache["notification_preference"] = preference
    return preference


def delivery_retry(*, delivery: Delivery, actor) -> Delivery:
    """Send a failed delivery again (after the gateway came back, or the number on record
    was corrected): staff of the message's community and its street's admins. Raises
    DomainError for a delivery that has not failed or that the actor may not retry."""
    if not can_retry_delivery(actor, delivery):
        raise DomainError(_("You may not retry this message."))
    with transaction.atomic():
        updated = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.FAILED).update(
            status=Delivery.Status.PENDING, last_error=""
        )
        if not updated:
            raise DomainError(_("Only a message that failed can be sent again."))
        from core import audit
        from core.models import AuditEntry

        # On the message's record, in its community: the trail says who sent it again.
        audit.record(
            actor=actor,
            obj=delivery.notification,
            action=AuditEntry.Action.RETRY,
            community=delivery.notification.community,
            note=f"{delivery.get_channel_display()}: {delivery.last_error}"[:500],
        )
        transaction.on_commit(lambda: _enqueue_delivery(delivery.pk))
    delivery.refresh_from_db()
    return delivery


def sms_consent_record(
    *, actor, consent: str, via: str, note: str = "", resident=None, contact=None, version=None
) -> SmsConsent:
    """Record what a resident or an organization's contact said about text messages:
    agreed, or withdrew (then no SMS reaches them, nor their account, and their slips are
    printed instead), and how it was said (书面/口头/线上). Staff of their community, the
    workers of their grid and the street's admins do it; written on the person's timeline
    with before and after. Raises DomainError for anyone else, StaleEdit for an old
    form."""
    from django.utils import timezone as tz

    from access.administration import can_record_sms_consent
    from core import audit
    from core.models import AuditEntry
    from lib.errors import StaleEdit

    person = resident or contact
    if resident is not None:
        community_ids = {resident.community_id}
        grid_id = resident.grid_id
    else:
        community_ids = set(contact.organization.communities.values_list("pk", flat=True))
        grid_id = None
    if not any(
        can_record_sms_consent(actor, community_id=c, grid_id=grid_id) for c in community_ids
    ):
        raise DomainError(_("You may not do this."))
    if consent not in SmsConsent.Consent.values:
        raise DomainError(_("Choose what the person said."), field="consent")
    if via not in SmsConsent.Via.values:
        raise DomainError(_("Choose how it was said."), field="via")
    lookup = {"resident": resident} if resident is not None else {"contact": contact}
    with transaction.atomic():
        existing = SmsConsent.objects.select_for_update().filter(**lookup).first()
        if existing is not None and version is not None and int(version) != existing.version:
            raise StaleEdit(
                _("Someone else recorded this person's consent meanwhile. Reload and try again.")
            )
        fields = ["consent", "via", "note"]
        before = audit.snapshot(existing, fields) if existing else dict.fromkeys(fields, "")
        record = existing or SmsConsent(**lookup)
        record.consent, record.via, record.note = consent, via, (note or "").strip()
        changes = {
            name: [before[name], value]
            for name, value in audit.snapshot(record, fields).items()
            if before[name] != value
        }
        if not changes:
            return record
        record.recorded_by = actor
        record.recorded_at = tz.now()
        if existing is not None:
            record.version += 1
        record.save()
        # The person read next (to send them something) sees this consent, not one
        # cached on them before.
        person.sms_consent = record
        # On the person's timeline: the keys named as the reader sees them.
        audit.record(
            actor=actor,
            obj=person,
            action=AuditEntry.Action.SMS_CONSENT,
            changes={
                str(SmsConsent._meta.get_field(name).verbose_name): values
                for name, values in changes.items()
            },
        )
    return record


def preference_set_for(*, actor, user, email: bool, sms: bool) -> Preference:
    """An account's channels set by its manager (人员与账号), for a person who asked at the
    office: on the account's timeline with before and after. Raises DomainError for an
    account the actor does not manage, or a channel without an address."""
    from access.administration import account_community_ids, can_manage_account
    from communities.models import Community
    from core import audit
    from core.models import AuditEntry

    if not can_manage_account(actor, user):
        raise DomainError(_("You may not do this."))
    if email and not user.email:
        raise DomainError(_("There is no email address to send to."), field="email")
    if sms and not user.phone:
        raise DomainError(_("There is no mobile number to send to."), field="sms")
    current = Preference.objects.filter(user=user).first()
    before = (current.email, current.sms) if current else (True, False)
    preference = preference_set(user=user, email=email, sms=sms)
    if before != (email, sms):
        labels = {True: str(_("yes")), False: str(_("no"))}
        ids = sorted(account_community_ids(user))
        audit.record(
            actor=actor,
            obj=user,
            action=AuditEntry.Action.UPDATE,
            community=Community.objects.filter(pk=ids[0]).first() if ids else None,
            changes={
                str(Preference._meta.get_field(name).verbose_name): [labels[old], labels[new]]
                for name, old, new in (("email", before[0], email), ("sms", before[1], sms))
                if old != new
            },
        )
    return preference
