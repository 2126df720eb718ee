"""Sending notifications. Every app's services and reminder sweeps call `notify`."""

import contextlib
import logging

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

from . import kinds, routing
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
    group: str = "",
) -> Notification | None:
    """Send one notification, once. Returns None if this (kind, target, recipient, step)
    was already sent, so sweeps can run as often as they like, and None for a person
    without an account who has no mobile number (nothing can reach them: print instead).

    `recipient` is a user: the in-app notification is stored at once, and email and SMS
    deliveries go as `notifications.routing.route` decides from their choice for the
    kind of message (at once, in the daily digest, in the app only), the quiet hours and
    the community's SMS budget. Or a person without an account (a `Resident` or an
    `OrganizationContact`): one SMS to the number on record, held until 08:00 in quiet
    hours. Deliveries are queued after the surrounding transaction commits. `sms_text` is
    the SMS as the caller wrote it (naming the community, within one segment, with the
    link); without it the SMS is made from the title. `attachment` is (filename,
    mimetype, text content), e.g. an .ics invitation. `community` is where the message
    belongs (by default the target's). `channels`, when the sender chose them (a one-time
    password link goes where the admin sends it), replace the user's, each only with an
    address to send to and SMS never to a person who withdrew their consent. `group` is
    the heading a digest lists the message under.
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
    category = kinds.category_of(kind)
    now = timezone.now()
    if person:
        plan = routing.Route(
            channels=[Channel.SMS],
            sms_not_before=routing.person_sms_not_before(
                category,
                now,
                resident_id=recipient.pk if isinstance(recipient, Resident) else None,
                contact_id=recipient.pk if isinstance(recipient, OrganizationContact) else None,
            ),
        )
    elif channels is not None:
        plan = routing.Route(
            channels=[
                c
                for c in channels
                if (c == Channel.EMAIL and recipient.email)
                or (c == Channel.SMS and recipient.phone and not user_sms_withdrawn(recipient))
            ]
        )
    else:
        plan = _route_one(recipient, category, kind, step, community_id, now)
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
                category=category,
                held=plan.held,
                group_label=group[:200],
                attachment_name=attachment[0] if attachment else "",
                attachment_mimetype=attachment[1] if attachment else "",
                attachment_content=attachment[2] if attachment else "",
            )
    except IntegrityError:
        return None
    notification.channels = plan.channels
    for channel in notification.channels:
        delivery = Delivery.objects.create(
            notification=notification,
            channel=channel,
            not_before=plan.sms_not_before if channel == Channel.SMS else None,
        )
        transaction.on_commit(lambda pk=delivery.pk: _enqueue_delivery(pk))
    return notification


def _route_one(user, category, kind, step, community_id, now) -> "routing.Route":
    reach = routing.reach_of_user(user)
    mode = reach.mode(category)
    urgent = kinds.is_urgent(kind, step)
    return routing.route(
        category=category,
        mode=mode,
        channels=reach.channels,
        urgent=urgent,
        digest_gone=urgent
        and mode == kinds.Mode.DIGEST
        and user.pk in routing.digests_gone([user.pk], category, now),
        budget_spent=Channel.SMS in reach.channels
        and community_id in routing.budgets_spent([community_id], now),
        now=now,
    )


# Sweeps are processed in chunks so every query stays small.
CHUNK = 2000


def notify_bulk(*, kind: str, messages) -> int:
    """Send many reminders of one kind at once, each once. `messages` is an iterable of
    (recipient_id, target, step, title, body, url) or, with the heading a digest lists it
    under, (recipient_id, target, step, title, body, url, group). Used by the sweeps,
    which may cover tens of thousands of records: each chunk is one INSERT that skips the
    keys already sent (the unique constraint) and returns the rows it created, then one
    INSERT of the email/SMS deliveries of those that go at once (the others wait for the
    recipient's digest, `notifications.routing`), queued when the chunk commits. Returns
    how many notifications were new."""
    content_types = {}
    rows = {}
    for recipient_id, target, step, title, body, url, *rest in messages:
        model = type(target)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(model).pk
        key = (content_types[model], target.pk, recipient_id, step)
        rows.setdefault(key, (title[:200], body, url, (rest[0] if rest else "")[:200]))
    if not rows:
        return 0
    models_of = {pk: model for model, pk in content_types.items()}
    items = list(rows.items())
    now = timezone.now()
    category = kinds.category_of(kind)
    sent = 0
    # A chunk commits with its deliveries: a sweep killed midway keeps what it sent, and
    # the next run sends only the rest.
    for start in range(0, len(items), CHUNK):
        chunk = items[start : start + CHUNK]
        communities = _communities_of(models_of, [key for key, _value in chunk])
        plans = _route_chunk(kind, category, chunk, communities, now)
        with transaction.atomic():
            created = _insert_notifications(kind, category, chunk, communities, plans, now)
            deliveries = _insert_deliveries([(pk, plans[key]) for pk, key in created], now)
            # Raw inserts send no signal: each recipient's unread count moved.
            versions.changed(*{versions.user(key[2]) for _pk, key in created})
            transaction.on_commit(lambda ids=deliveries: _enqueue_batches(ids))
        sent += len(created)
    return sent


def _communities_of(models_of, keys) -> dict[tuple, int | None]:
    """The community of each message's record, one query per kind of record."""
    by_type = {}
    for content_type, object_id, *_rest in keys:
        by_type.setdefault(content_type, set()).add(object_id)
    found = {}
    for content_type, pks in by_type.items():
        model = models_of[content_type]
        names = {f.name for f in model._meta.get_fields()}
        if "community" not in names:
            continue
        for pk, community_id in model.objects.filter(pk__in=pks).values_list("pk", "community"):
            found[(content_type, pk)] = community_id
    return {key: found.get((key[0], key[1])) for key in keys}


def _route_chunk(kind, category, chunk, communities, now) -> dict[tuple, "routing.Route"]:
    """Each message's route, in at most four queries for the chunk: the recipients'
    choices, the digests gone today (only for what is urgent), the budgets spent."""
    reach = routing.reach_of({key[2] for key, _value in chunk})
    urgent = {key: kinds.is_urgent(kind, key[3]) for key, _value in chunk}
    gone = set()
    if any(urgent.values()):
        gone = routing.digests_gone({key[2] for key, _value in chunk if urgent[key]}, category, now)
    spent = set()
    if category not in (kinds.Category.INVITATIONS, kinds.Category.SYSTEM) and any(
        Channel.SMS in r.channels for r in reach.values()
    ):
        spent = routing.budgets_spent(set(communities.values()), now)
    nobody = routing.Reach(role="", channels=[])
    plans = {}
    for key, _value in chunk:
        who = reach.get(key[2], nobody)
        plans[key] = routing.route(
            category=category,
            mode=who.mode(category),
            channels=who.channels,
            urgent=urgent[key],
            digest_gone=key[2] in gone,
            budget_spent=communities[key] in spent,
            now=now,
        )
    return plans


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
    "community",
    "title",
    "body",
    "url",
    "attachment_name",
    "attachment_mimetype",
    "attachment_content",
    "sms_text",
    "secret",
    "category",
    "held",
    "group_label",
    "created_at",
)


def _insert_notifications(kind, category, items, communities, plans, now) -> list:
    """(notification id, key) of the rows created; the key is (content type, object id,
    recipient id, step)."""
    now = _db_value(Notification, "created_at", now)
    created = _insert(
        Notification,
        NOTIFICATION_COLUMNS,
        [
            (
                kind,
                *key,
                communities.get(key),
                title,
                body,
                url,
                "",
                "",
                "",
                "",
                False,
                category,
                plans[key].held,
                group,
                now,
            )
            for key, (title, body, url, group) in items
        ],
        returning=("id", "content_type", "object_id", "recipient", "step"),
    )
    return [
        (pk, (content_type, object_id, recipient, step))
        for pk, content_type, object_id, recipient, step in created
    ]


def _insert_deliveries(planned, now) -> list[int]:
    """The email/SMS deliveries of new notifications: `planned` is (notification id,
    Route) of each."""
    created_at = _db_value(Delivery, "created_at", now)
    rows = [
        (
            pk,
            str(channel),
            str(Delivery.Status.PENDING),
            0,
            "",
            _db_value(Delivery, "not_before", plan.sms_not_before)
            if channel == Channel.SMS
            else None,
            created_at,
        )
        for pk, plan in planned
        for channel in plan.channels
    ]
    delivery_ids = []
    for start in range(0, len(rows), CHUNK):
        delivery_ids += [
            pk
            for (pk,) in _insert(
                Delivery,
                (
                    "notification",
                    "channel",
                    "status",
                    "attempts",
                    "last_error",
                    "not_before",
                    "created_at",
                ),
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
    """The outside channels a user chose, each with an address (SMS with consent)."""
    return routing.reach_of_user(user).channels


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


def preference_set(*, user, email: bool, sms: bool, modes: dict | None = None) -> Preference:
    """The outside channels a user wants notifications on, and (`modes`) per kind of
    message whether it comes at once, in the daily digest or in the app only; in-app
    notifications are always kept. A mode not offered for its kind is refused."""
    defaults = {"email": email, "sms": sms}
    if modes is not None:
        for category, mode in modes.items():
            if mode not in kinds.MODES_OF.get(category, ()):
                raise DomainError(_("Choose how this kind of message reaches you."), field=category)
        current = Preference.objects.filter(user=user).values_list("modes", flat=True).first()
        defaults["modes"] = {**(current or {}), **{str(c): str(m) for c, m in modes.items()}}
    preference, _created = Preference.objects.update_or_create(user=user, defaults=defaults)
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


def sms_budget_set(*, actor, community, monthly_limit, version=None):
    """Set (or, with None, lift) a community's monthly SMS budget: its street's admins.
    On the community's timeline with before and after. Raises DomainError for anyone
    else or a negative number, StaleEdit for an old form."""
    from access.administration import can_set_sms_budget
    from core import audit
    from core.models import AuditEntry
    from lib.errors import StaleEdit

    from .models import SmsBudget

    if not can_set_sms_budget(actor, community.pk):
        raise DomainError(_("You may not do this."))
    if monthly_limit is not None and not 0 <= int(monthly_limit) <= 10_000_000:
        raise DomainError(_("A number of messages from 0 to 10,000,000."), field="monthly_limit")
    with transaction.atomic():
        budget = SmsBudget.objects.select_for_update().filter(community=community).first()
        if budget is not None and version is not None and int(version) != budget.version:
            raise StaleEdit(_("Someone else changed this budget meanwhile. Reload and try again."))
        before = budget.monthly_limit if budget else None
        if before == monthly_limit:
            return budget
        label = str(SmsBudget._meta.get_field("monthly_limit").verbose_name)
        none = str(_("no limit"))
        if budget is None:
            budget = SmsBudget.objects.create(
                community=community, monthly_limit=monthly_limit, updated_by=actor
            )
        else:
            budget.monthly_limit, budget.updated_by = monthly_limit, actor
            budget.version += 1
            budget.save()
        audit.record(
            actor=actor,
            obj=community,
            action=AuditEntry.Action.UPDATE,
            community=community,
            changes={
                label: [
                    none if before is None else before,
                    none if monthly_limit is None else monthly_limit,
                ]
            },
        )
    versions.changed(versions.community(community.pk))
    return budget
