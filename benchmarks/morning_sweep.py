"""The morning's reminders at full size: how many emails and SMS the sweeps send, to how many
people, how many one person receives of one kind, the largest digest, and the time taken.

Run by hand on a district built by `make seed-scale SIZE=full` (benchmarks/README.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yishi_bench \\
      .venv/bin/python benchmarks/morning_sweep.py [--sms-share 0.3]

Everything runs in one transaction that is rolled back, so the database is left as it was
and the run can be repeated (and run on an earlier commit to compare). Deliveries are
queued to an in-process broker: nothing is sent. `--sms-share` gives that share of the
accounts (chosen by a fixed seed) SMS besides email, as people who chose it would; the
seeded district has no preferences of its own. The sweeps are those of the morning in
config/schedule.py, one after another, then the daily digest where the code has one.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from config.celery import app  # noqa: E402

settings.CELERY_TASK_ALWAYS_EAGER = False
app.conf.update(task_always_eager=False, broker_url="memory://")

SWEEPS = [
    ("action items due and overdue", "resolutions.tasks.sweep_action_items"),
    ("revisits due", "resolutions.tasks.sweep_revisits"),
    ("publications ending", "resolutions.tasks.sweep_publications"),
    ("evaluations requested", "resolutions.tasks.sweep_evaluations"),
    ("issue time limits", "issues.tasks.sweep_issue_deadlines"),
    ("special-group visits", "issues.tasks.sweep_special_group_visits"),
    ("meetings coming up", "meetings.tasks.sweep_meeting_reminders"),
    ("meetings not closed", "meetings.tasks.sweep_meetings_not_closed"),
    ("fixed meeting days", "meetings.tasks.sweep_fixed_meetings"),
]


class Rollback(Exception):
    pass


def _task(path):
    module, _dot, name = path.rpartition(".")
    return getattr(__import__(module, fromlist=[name]), name)


def _choose_sms(share):
    from accounts.models import User
    from notifications.models import Preference

    users = list(User.objects.filter(is_active=True).values_list("pk", "phone"))
    rng = random.Random(23)
    chosen = [pk for pk, _phone in users if rng.random() < share]
    User.objects.filter(pk__in=chosen, phone="").update(phone="13800000000")
    Preference.objects.filter(user__in=chosen).update(sms=True)
    have = set(Preference.objects.filter(user__in=chosen).values_list("user", flat=True))
    Preference.objects.bulk_create(
        [Preference(user_id=pk, email=True, sms=True) for pk in chosen if pk not in have],
        batch_size=5000,
    )
    return len(chosen)


def _deliveries_since(last_id):
    from notifications.models import Delivery, Notification

    has_category = any(f.name == "category" for f in Notification._meta.get_fields())
    fields = [
        "pk",
        "channel",
        "notification__recipient",
        "notification__resident",
        "notification__contact",
        "notification__kind",
    ]
    if has_category:
        fields.append("notification__category")
    if any(f.name == "not_before" for f in Delivery._meta.get_fields()):
        fields.append("not_before")
    rows = list(Delivery.objects.filter(pk__gt=last_id).values(*fields))
    for row in rows:
        # A person: a user, or a resident or contact reached without an account.
        row["person"] = (
            ("user", row["notification__recipient"])
            if row["notification__recipient"]
            else ("resident", row["notification__resident"])
            if row["notification__resident"]
            else ("contact", row["notification__contact"])
        )
    return rows


def _spread(counter):
    values = list(counter.values())
    if not values:
        return "–", "–"
    return f"{statistics.median(values):g}", f"{max(values)}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sms-share", type=float, default=0.3)
    args = parser.parse_args()
    from notifications.models import Delivery, Notification

    rows = []
    per_kind = Counter()  # (person, kind of duty, channel) over the whole morning
    largest = (0, "")
    put_off = 0
    try:
        with transaction.atomic():
            chose = _choose_sms(args.sms_share)
            last = Delivery.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            started_all = time.perf_counter()
            steps = [(label, _task(path)) for label, path in SWEEPS]
            try:
                from notifications.digests import send_digests

                steps.append(("daily digests", lambda: send_digests(now=timezone.now())))
            except ImportError:
                pass
            for label, task in steps:
                before_n = Notification.objects.count()
                started = time.perf_counter()
                task()
                took = time.perf_counter() - started
                made = Notification.objects.count() - before_n
                new = _deliveries_since(last)
                if new:
                    last = max(d["pk"] for d in new)
                # What waits for a following morning is not sent today.
                tomorrow = timezone.localdate() + dt.timedelta(days=1)
                later = [
                    d
                    for d in new
                    if d.get("not_before") and timezone.localdate(d["not_before"]) >= tomorrow
                ]
                put_off += len(later)
                new = [d for d in new if d not in later]
                emails = Counter(d["person"] for d in new if d["channel"] == "email")
                texts = Counter(d["person"] for d in new if d["channel"] == "sms")
                people = {d["person"] for d in new}
                for d in new:
                    kind = d.get("notification__category") or label
                    per_kind[(d["person"], kind, d["channel"])] += 1
                rows.append(
                    (
                        label,
                        made,
                        sum(emails.values()),
                        sum(texts.values()),
                        len(people),
                        *_spread(emails),
                        _spread(texts)[1],
                        f"{took * 1000:.0f} ms",
                    )
                )
            total = time.perf_counter() - started_all
            if "daily digests" in [label for label, _t in steps]:
                from django.db.models import Count

                biggest = (
                    Notification.objects.filter(digest__isnull=False)
                    .values("digest", "digest__title")
                    .annotate(n=Count("pk"))
                    .order_by("-n")
                    .first()
                )
                if biggest:
                    largest = (biggest["n"], biggest["digest__title"])
            raise Rollback
    except Rollback:
        pass
    print(f"{chose} accounts chose SMS besides email (share {args.sms_share}).\n")
    print(
        "| step | in-app notifications | emails | SMS | people | emails per person, median | max | SMS per person, max | time |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print("| " + " | ".join(str(v) for v in row) + " |")
    emails = [n for (_p, _k, ch), n in per_kind.items() if ch == "email"]
    texts = [n for (_p, _k, ch), n in per_kind.items() if ch == "sms"]
    print(
        f"\nMost emails one person received of one kind: {max(emails) if emails else 0}; "
        f"most SMS: {max(texts) if texts else 0}."
    )
    if largest[0]:
        print(f"Largest digest: {largest[0]} lines ({largest[1]}).")
    if put_off:
        print(f"SMS put off to a following morning (one a kind a day): {put_off}.")
    print(f"Whole morning: {total:.1f} s.")


if __name__ == "__main__":
    main()
