"""Reminders about issue time limits, derived from the database by set-based queries:
acceptance and handling deadlines about to run out, and hotline tickets (12345) close to
their answer-by time. Safe to run late or twice: the step is the deadline itself, so a
changed deadline reminds again and an unchanged one never twice.

Recipients are looked up only through `notifications.recipients`."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from core import audit
from notifications import recipients
from notifications.services import notify_bulk

from .models import HANDLING_STATUSES, OPEN_STATUSES, Issue, Status
from .services import HOTLINE_ANSWER

KIND_ACCEPT_DUE = "issue_accept_due"
KIND_HANDLE_DUE = "issue_handle_due"
KIND_HOTLINE_DUE = "hotline_answer_due"

# How long before a deadline the reminder goes out.
ACCEPT_LEAD = timedelta(hours=2)
HANDLE_LEAD = timedelta(hours=24)
HOTLINE_LEAD = timedelta(hours=4)


def _issue_recipients(rows) -> dict[int, set[int]]:
    """The assignee; where nobody is assigned yet, the community's staff."""
    staff = recipients.community_staff(r["community_id"] for r in rows if not r["assignee_id"])
    return {
        r["pk"]: {r["assignee_id"]} if r["assignee_id"] else set(staff.get(r["community_id"], ()))
        for r in rows
    }


def _sweep(*, kind, field, statuses, lead, title, now, unless=None):
    due = Issue.objects.filter(
        status__in=statuses,
        archived_at__isnull=True,
        **{f"{field}__gt": now, f"{field}__lte": now + lead},
    )
    if unless is not None:
        due = due.exclude(unless)
    rows = list(due.values("pk", "title", "community_id", "assignee_id", field))
    who = _issue_recipients(rows)
    messages = []
    for r in rows:
        due = timezone.localtime(r[field])
        for user_id in who[r["pk"]]:
            messages.append(
                (
                    user_id,
                    Issue(pk=r["pk"]),
                    f"{field}-{due.isoformat(timespec='minutes')}",
                    _("%(title)s: %(subject)s") % {"title": title, "subject": r["title"][:100]},
                    _("Due by %(when)s.") % {"when": due.strftime("%Y-%m-%d %H:%M")},
                    reverse("issues:detail", args=[r["pk"]]),
                )
            )
    return notify_bulk(kind=kind, messages=messages)


def issue_deadlines(*, now=None) -> int:
    now = now or timezone.now()
    with override(settings.LANGUAGE_CODE):
        sent = _sweep(
            kind=KIND_ACCEPT_DUE,
            field="accept_deadline",
            statuses=[Status.REPORTED],
            lead=ACCEPT_LEAD,
            title=_("Accept soon"),
            now=now,
        )
        sent += _sweep(
            kind=KIND_HANDLE_DUE,
            field="handle_deadline",
            # Where the handling clock runs, as the overdue rule (overdue_q) reads it.
            statuses=list(HANDLING_STATUSES),
            lead=HANDLE_LEAD,
            title=_("Handling time limit runs out soon"),
            now=now,
        )
        sent += _sweep(
            kind=KIND_HOTLINE_DUE,
            field="hotline_answer_by",
            statuses=list(OPEN_STATUSES),
            lead=HOTLINE_LEAD,
            title=_("Hotline ticket to answer soon"),
            now=now,
            # A ticket already answered (issues.services.hotline_answer) needs no reminder.
            unless=Exists(
                audit.about(Issue).filter(object_id=OuterRef("pk"), action=HOTLINE_ANSWER)
            ),
        )
    return sent


KIND_SPECIAL_VISITS = "special_group_visits"


def special_group_visits(*, today=None) -> int:
    """On each community's visit day (民生社区: the 5th; a day past the end of a short
    month falls on its last day): to each grid worker, the residents of their grid in a
    special group (living alone, disabled, low income, very old) to visit this month."""
    from django.db.models import Q

    from communities.models import Community, Grid, Resident, fixed_day_falls_on

    today = today or timezone.localdate()
    communities = [
        pk
        for pk, day in Community.objects.filter(archived_at__isnull=True).values_list(
            "pk", "visit_day"
        )
        if fixed_day_falls_on(day, today)
    ]
    if not communities:
        return 0
    special = Q()
    for flag in Resident.SPECIAL_GROUP_FIELDS:
        special |= Q(**{flag: True})
    by_grid = {}
    for grid_id, name in (
        Resident.objects.filter(
            special, archived_at__isnull=True, grid__isnull=False, community__in=communities
        )
        .order_by("grid", "name")
        .values_list("grid", "name")
    ):
        by_grid.setdefault(grid_id, []).append(name)
    workers = recipients.grid_workers(by_grid)
    messages = []
    with override(settings.LANGUAGE_CODE):
        for grid_id, names in by_grid.items():
            for user_id in workers.get(grid_id, set()):
                messages.append(
                    (
                        user_id,
                        Grid(pk=grid_id),
                        today.strftime("%Y-%m"),
                        _("Special-group visits this month (%(count)d)") % {"count": len(names)},
                        _("Visit these residents of your grid this month: %(names)s.")
                        % {"names": "、".join(names)},
                        reverse("issues:visit_list"),
                    )
                )
    return notify_bulk(kind=KIND_SPECIAL_VISITS, messages=messages)
