"""How one message reaches one user: at once by email and SMS, held for their daily digest,
or in the app only. Decided here, once, for `notify` and for the sweeps' `notify_bulk`, from
the user's choices, the kind of message (notifications.kinds), the quiet hours and their
community's SMS budget."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Max
from django.db.models.functions import Coalesce
from django.utils import timezone

from .kinds import (
    BEIJING,
    DIGEST_KIND,
    DUTIES,
    Category,
    Mode,
    in_quiet_hours,
    mode_for,
    morning_of,
    quiet_hours_end,
)
from .models import Channel, Delivery, Notification, SmsBudget, SmsConsent

# What may wait for the digest: the duties, and other work when SMS may not go now.
DIGESTIBLE = (*DUTIES, Category.WORK)


@dataclass
class Reach:
    """A user as far as sending goes: their role, the outside channels they chose (each
    with an address, SMS only with consent) and their choice per kind."""

    role: str
    channels: list[str]
    modes: dict = field(default_factory=dict)

    def mode(self, category: str) -> str:
        return mode_for(self.role, self.modes, category)


@dataclass
class Route:
    held: bool = False
    channels: list[str] = field(default_factory=list)
    sms_not_before: datetime | None = None


def channels_of(email, phone, wants_email, wants_sms, withdrawn=None) -> list[str]:
    """Email unless declined, SMS when chosen (and the person's consent not withdrawn);
    each only with an address to send to."""
    channels = []
    if wants_email is not False and email:
        channels.append(Channel.EMAIL)
    if wants_sms and phone and withdrawn != SmsConsent.Consent.WITHDRAWN:
        channels.append(Channel.SMS)
    return channels


def reach_of(user_ids) -> dict[int, Reach]:
    """Each user's Reach, in one query."""
    rows = (
        get_user_model()
        .objects.filter(pk__in=set(user_ids))
        .values_list(
            "pk",
            "role",
            "email",
            "phone",
            "notification_preference__email",
            "notification_preference__sms",
            "notification_preference__modes",
            "resident__sms_consent__consent",
            "contact__sms_consent__consent",
        )
    )
    return {
        pk: Reach(
            role=role,
            channels=channels_of(email, phone, wants_email, wants_sms, resident or contact),
            modes=modes or {},
        )
        for pk, role, email, phone, wants_email, wants_sms, modes, resident, contact in rows
    }


def reach_of_user(user) -> Reach:
    """One user's Reach from the instance, reading what the caller loaded with it (its
    preference, select_related by lists that send to many): no query for the user."""
    from .services import user_sms_withdrawn

    try:
        preference = user.notification_preference
    except ObjectDoesNotExist:
        preference = None
    channels = channels_of(
        user.email,
        user.phone,
        preference.email if preference else None,
        preference.sms if preference else None,
    )
    if Channel.SMS in channels and user_sms_withdrawn(user):
        channels.remove(Channel.SMS)
    return Reach(role=user.role, channels=channels, modes=preference.modes if preference else {})


def route(
    *,
    category: str,
    mode: str,
    channels: list[str],
    urgent: bool = False,
    digest_gone: bool = False,
    budget_spent: bool = False,
    now: datetime | None = None,
) -> Route:
    """Where a message goes.

    In the app only: no email or SMS. In the daily digest (duties and work): held for the
    digest, unless it is urgent and the day's digest has already gone. At once: the chosen
    channels; but an SMS in quiet hours (21:00–08:00) or beyond the community's budget
    turns the message into a digest line, except for invitations and changed meeting times,
    whose SMS waits for 08:00 (quiet hours) or goes anyway (budget). Sign-in codes and
    links go as the sender chose, at any hour."""
    now = now or timezone.now()
    if category == Category.SYSTEM:
        return Route(channels=list(channels))
    if mode == Mode.IN_APP:
        return Route()
    may_wait = category in DIGESTIBLE and not (urgent and digest_gone)
    if mode == Mode.DIGEST and may_wait:
        return Route(held=True)
    quiet = in_quiet_hours(now)
    if Channel.SMS in channels and category != Category.INVITATIONS and (quiet or budget_spent):
        if may_wait:
            return Route(held=True)
        if budget_spent:
            channels = [c for c in channels if c != Channel.SMS]
    return Route(
        channels=list(channels),
        sms_not_before=quiet_hours_end(now) if quiet and Channel.SMS in channels else None,
    )


def person_sms_not_before(
    category: str, now: datetime | None = None, *, resident_id=None, contact_id=None
) -> datetime | None:
    """When an SMS to a person without an account may go. Never in quiet hours (but a
    code they asked for themselves goes at once). They have no digest to gather their
    reminders, and each SMS carries its own personal link: so at most one of a kind of duty
    a day, the next waiting for the following morning (invitations and changed meeting
    times go as they come)."""
    now = now or timezone.now()
    if category == Category.SYSTEM:
        return None
    at = quiet_hours_end(now) if in_quiet_hours(now) else None
    if category not in DIGESTIBLE or not (resident_id or contact_id):
        return at
    person = (
        {"notification__resident": resident_id}
        if resident_id
        else {"notification__contact": contact_id}
    )
    today = now.astimezone(BEIJING).date()
    latest = (
        Delivery.objects.filter(
            **person,
            channel=Channel.SMS,
            notification__category=category,
            created_at__gte=now - timedelta(days=31),
        )
        .exclude(status=Delivery.Status.FAILED)
        .aggregate(day=Max(Coalesce("not_before", "created_at")))["day"]
    )
    if latest is None:
        return at
    taken = latest.astimezone(BEIJING).date()
    if taken < today:
        return at
    return morning_of(taken + timedelta(days=1))


def digest_step(category: str, day) -> str:
    return f"{category}:{day.isoformat()}"


def digests_gone(user_ids, category: str, now: datetime | None = None) -> set[int]:
    """The users whose digest of this kind went today (Beijing time)."""
    day = (now or timezone.now()).astimezone(BEIJING).date()
    return set(
        Notification.objects.filter(
            kind=DIGEST_KIND, recipient__in=set(user_ids), step=digest_step(category, day)
        ).values_list("recipient", flat=True)
    )


def month_start(now: datetime | None = None) -> datetime:
    local = (now or timezone.now()).astimezone(BEIJING)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def sms_this_month(now: datetime | None = None):
    """The text messages sent (or being sent) this month, failures left out: what a
    community's budget counts."""
    return Delivery.objects.filter(channel=Channel.SMS, created_at__gte=month_start(now)).exclude(
        status=Delivery.Status.FAILED
    )


def sms_used(community_ids, now: datetime | None = None) -> dict[int, int]:
    """Text messages each community sent this month."""
    return dict(
        sms_this_month(now)
        .filter(notification__community__in=set(community_ids))
        .values("notification__community")
        .annotate(n=Count("pk"))
        .values_list("notification__community", "n")
    )


def budgets_spent(community_ids, now: datetime | None = None) -> set[int]:
    """The communities whose SMS budget of the month is spent: two queries, whatever their
    number."""
    ids = {c for c in community_ids if c}
    if not ids:
        return set()
    limits = dict(
        SmsBudget.objects.filter(community__in=ids, monthly_limit__isnull=False).values_list(
            "community", "monthly_limit"
        )
    )
    if not limits:
        return set()
    used = sms_used(limits, now)
    return {c for c, limit in limits.items() if used.get(c, 0) >= limit}
