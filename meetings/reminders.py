"""Reminders about meetings, derived from the database by set-based queries: the day
before and two hours before to every invitee who has not declined, "minutes not closed"
to the convener of a meeting ended or adjourned, the fixed monthly council (day set per
community) and the quarterly party-building joint meeting. Safe to run late or twice.

Recipients are looked up only through `notifications.recipients`."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from communities.models import Community, fixed_day_falls_on
from notifications import recipients
from notifications.services import notify_bulk

from .models import Meeting, Participant
from .selectors import meetings_with_open_minutes

KIND_MEETING_SOON = "meeting_reminder"
KIND_MEETING_NOT_CLOSED = "meeting_not_closed"
KIND_MONTHLY_COUNCIL = "monthly_council"
KIND_PARTY_BUILDING = "party_building_joint"

# Minutes left open this long after the meeting ended or adjourned are chased, once a day.
NOT_CLOSED_AFTER = timedelta(hours=24)


def meeting_reminders(*, now=None) -> int:
    """The day before (step "1d") and two hours before (step "2h") a planned meeting, to
    every invitee who has not declined."""
    now = now or timezone.now()
    sent = 0
    with override(settings.LANGUAGE_CODE):
        for step, start, end, title in (
            ("1d", now + timedelta(hours=2), now + timedelta(hours=24), _("Meeting tomorrow")),
            ("2h", now, now + timedelta(hours=2), _("Meeting in two hours")),
        ):
            rows = list(
                Participant.objects.filter(
                    meeting__status=Meeting.Status.PLANNED,
                    meeting__archived_at__isnull=True,
                    meeting__starts_at__gt=start,
                    meeting__starts_at__lte=end,
                )
                .exclude(response=Participant.Response.NO)
                .values(
                    "pk",
                    "user_id",
                    "resident_id",
                    "contact_id",
                    "meeting_id",
                    "meeting__title",
                    "meeting__venue",
                    "meeting__starts_at",
                )
            )
            users = recipients.participant_users(rows)
            messages = []
            for r in rows:
                if r["pk"] not in users:
                    continue
                starts = timezone.localtime(r["meeting__starts_at"])
                messages.append(
                    (
                        users[r["pk"]],
                        Meeting(pk=r["meeting_id"]),
                        f"{step}-{starts.isoformat(timespec='minutes')}",
                        _("%(title)s: %(subject)s")
                        % {"title": title, "subject": r["meeting__title"][:100]},
                        _("%(when)s at %(venue)s.")
                        % {"when": starts.strftime("%Y-%m-%d %H:%M"), "venue": r["meeting__venue"]},
                        reverse("meetings:detail", args=[r["meeting_id"]]),
                    )
                )
            sent += notify_bulk(kind=KIND_MEETING_SOON, messages=messages)
    return sent


def meetings_not_closed(*, now=None) -> int:
    """Meetings ended or adjourned a day ago or more whose minutes are still a draft: to
    the convener, once a day."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    rows = meetings_with_open_minutes(ended_before=now - NOT_CLOSED_AFTER).values(
        "pk", "title", "convener_id"
    )
    with override(settings.LANGUAGE_CODE):
        messages = [
            (
                r["convener_id"],
                Meeting(pk=r["pk"]),
                f"open-{today.isoformat()}",
                _("Minutes not closed: %(title)s") % {"title": r["title"][:100]},
                _("The meeting has ended but its minutes are still a draft. Finalise them.") + "",
                reverse("meetings:detail", args=[r["pk"]]),
            )
            for r in rows
        ]
        return notify_bulk(kind=KIND_MEETING_NOT_CLOSED, messages=messages)


def _community_messages(communities, *, step, title, body, who):
    return [
        (
            user_id,
            Community(pk=c["pk"]),
            step,
            title % {"community": c["name"]},
            body % {"community": c["name"]},
            reverse("meetings:list"),
        )
        for c in communities
        for user_id in who.get(c["pk"], set())
    ]


def monthly_council(*, today=None) -> int:
    """Three days before each community's fixed monthly council day (and again on the
    day): to the community's staff, to gather the agenda. A day past the end of a short
    month (the 31st in April) falls on the month's last day."""
    today = today or timezone.localdate()
    sent = 0
    fixed = list(
        Community.objects.filter(
            archived_at__isnull=True, monthly_council_day__isnull=False
        ).values("pk", "name", "monthly_council_day")
    )
    with override(settings.LANGUAGE_CODE):
        for days, step, title in (
            (3, "3d", _("%(community)s: the monthly council is in three days")),
            (0, "day", _("%(community)s: the monthly council is today")),
        ):
            day = today + timedelta(days=days)
            communities = [
                {"pk": c["pk"], "name": c["name"]}
                for c in fixed
                if fixed_day_falls_on(c["monthly_council_day"], day)
            ]
            who = recipients.community_staff(c["pk"] for c in communities)
            sent += notify_bulk(
                kind=KIND_MONTHLY_COUNCIL,
                messages=_community_messages(
                    communities,
                    step=f"{day.strftime('%Y-%m')}-{step}",
                    title=title,
                    body=_(
                        "Gather the issues for the fixed monthly council of %(community)s "
                        "and invite the participants."
                    ),
                    who=who,
                ),
            )
    return sent


def party_building_joint(*, today=None) -> int:
    """The quarterly party-building joint meeting (党建联席会): to the staff of each
    community three days before its fixed day in the first month of the quarter, or on
    the first day of the quarter for a community without a fixed day."""
    today = today or timezone.localdate()
    ahead = today + timedelta(days=3)
    if today.month not in (1, 4, 7, 10) and ahead.month not in (1, 4, 7, 10):
        return 0
    quarter_day = today if today.month in (1, 4, 7, 10) else ahead
    quarter = f"{quarter_day.year}Q{(quarter_day.month - 1) // 3 + 1}"
    communities = [
        {"pk": c["pk"], "name": c["name"]}
        for c in Community.objects.filter(archived_at__isnull=True).values(
            "pk", "name", "joint_meeting_day"
        )
        if (fixed_day_falls_on(c["joint_meeting_day"], ahead) and ahead.month in (1, 4, 7, 10))
        or (c["joint_meeting_day"] is None and today.month in (1, 4, 7, 10) and today.day == 1)
    ]
    who = recipients.community_staff(c["pk"] for c in communities)
    with override(settings.LANGUAGE_CODE):
        return notify_bulk(
            kind=KIND_PARTY_BUILDING,
            messages=_community_messages(
                communities,
                step=quarter,
                title=_("%(community)s: quarterly party-building joint meeting"),
                body=_(
                    "This quarter's party-building joint meeting of %(community)s is due: "
                    "invite the co-building units and set the date."
                ),
                who=who,
            ),
        )
