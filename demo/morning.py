"""This morning's daily digests, as the 08:00 beat sent them: the reminders the demo's
sweeps held, one digest per person and kind of duty. Last, after every step that reminds;
a second load finds the day's digests sent and sends nothing."""

from datetime import timedelta

from django.utils import timezone

from notifications.digests import send_digests
from notifications.kinds import BEIJING, morning_of


def build(world):
    now = timezone.now()
    today = now.astimezone(BEIJING).date()
    # Before 08:00 the last morning is yesterday's.
    send_digests(now=morning_of(today if now >= morning_of(today) else today - timedelta(days=1)))
