"""What each kind of message is, in one table: the kind of duty it belongs to (a user
chooses per kind how it reaches them), whether it cannot wait, and the rules of when an
SMS may go out (quiet hours). Kinds are the strings apps pass to `notify`; a kind missing
from the table is ordinary work (`Category.WORK`)."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Role
from lib import worktime


class Category(models.TextChoices):
    ITEMS = "items", _("My action items")
    ISSUES = "issues", _("Issues past their time limit")
    FOLLOW_UP = "follow_up", _("Revisits and evaluations to do")
    MEETINGS = "meetings", _("Meetings coming up")
    WORK = "work", _("Work handed to me")
    INVITATIONS = "invitations", _("Invitations and changed meeting times")
    # One-time passwords and phone codes: asked for by the person, sent as the sender chose.
    SYSTEM = "system", _("Sign-in codes and links")


class Mode(models.TextChoices):
    IMMEDIATE = "immediate", pgettext_lazy("how a message reaches me", "At once")
    DIGEST = "digest", pgettext_lazy("how a message reaches me", "In the daily digest")
    IN_APP = "in_app", pgettext_lazy("how a message reaches me", "In the app only")


# The kinds of duty whose reminders are gathered into one digest a day.
DUTIES = (Category.ITEMS, Category.ISSUES, Category.FOLLOW_UP, Category.MEETINGS)
# What a user may choose, by kind: invitations cannot wait for tomorrow.
CHOOSABLE = (*DUTIES, Category.WORK, Category.INVITATIONS)
MODES_OF = {
    **{category: tuple(Mode) for category in (*DUTIES, Category.WORK)},
    Category.INVITATIONS: (Mode.IMMEDIATE, Mode.IN_APP),
}

KINDS = {
    "action_item_due": Category.ITEMS,
    "action_item_overdue": Category.ITEMS,
    "action_item_escalated": Category.ITEMS,
    "publication_ending": Category.ITEMS,
    "issue_accept_due": Category.ISSUES,
    "issue_handle_due": Category.ISSUES,
    "hotline_answer_due": Category.ISSUES,
    "special_group_visits": Category.ISSUES,
    "revisit_due": Category.FOLLOW_UP,
    "evaluation_request": Category.FOLLOW_UP,
    "revisit_asked": Category.FOLLOW_UP,
    "meeting_reminder": Category.MEETINGS,
    "meeting_not_closed": Category.MEETINGS,
    "monthly_council": Category.MEETINGS,
    "party_building_joint": Category.MEETINGS,
    "meeting_invitation": Category.INVITATIONS,
    "meeting_changed": Category.INVITATIONS,
    "meeting_cancelled": Category.INVITATIONS,
    "opinion_request": Category.INVITATIONS,
    "password_link": Category.SYSTEM,
    "phone_code": Category.SYSTEM,
}

# The digest itself: one a day per person and kind of duty.
DIGEST_KIND = "digest"


def category_of(kind: str) -> str:
    return KINDS.get(kind, Category.WORK)


def is_urgent(kind: str, step: str = "") -> bool:
    """What cannot wait for tomorrow's digest: an escalation to the community head and a
    meeting starting in two hours. Either goes in the day's digest when that has not gone
    yet, and at once when it has."""
    return kind == "action_item_escalated" or (kind == "meeting_reminder" and step[:2] == "2h")


def urgency(kind: str, step: str = "") -> int:
    """The order of a digest's lines, most urgent first."""
    if is_urgent(kind, step):
        return 0
    if kind in ("action_item_overdue", "issue_handle_due", "issue_accept_due"):
        return 1
    if step == "1d" or kind == "hotline_answer_due":
        return 2
    return 3


# Sensible defaults by role: reminders of duties come once a day in a digest; a resident
# hears of their meetings at once and of issues' time limits (staff work) only in the app,
# as a street admin of issues and meetings.
_DEFAULTS = {
    Role.RESIDENT: {Category.ISSUES: Mode.IN_APP, Category.MEETINGS: Mode.IMMEDIATE},
    Role.STREET_ADMIN: {Category.ISSUES: Mode.IN_APP, Category.MEETINGS: Mode.IN_APP},
}


def default_mode(role: str, category: str) -> str:
    if category in (Category.WORK, Category.INVITATIONS, Category.SYSTEM):
        return Mode.IMMEDIATE
    return _DEFAULTS.get(role, {}).get(category, Mode.DIGEST)


def mode_for(role: str, modes: dict | None, category: str) -> str:
    """The user's choice for the kind, or their role's default."""
    if category == Category.SYSTEM:
        return Mode.IMMEDIATE
    chosen = (modes or {}).get(category)
    if chosen in MODES_OF.get(category, ()):
        return chosen
    return default_mode(role, category)


# ---------------------------------------------------------------- quiet hours

BEIJING = worktime.TZ


def _quiet():
    """(from, until) as times, or None: settings.SMS_QUIET_HOURS, (21, 8) by default."""
    hours = getattr(settings, "SMS_QUIET_HOURS", (21, 8))
    return (time(hours[0]), time(hours[1])) if hours else None


def in_quiet_hours(moment: datetime | None = None) -> bool:
    """No SMS between 21:00 and 08:00 Beijing time."""
    quiet = _quiet()
    if quiet is None:
        return False
    local = (moment or timezone.now()).astimezone(BEIJING).time()
    start, end = quiet
    if start <= end:  # within one day, e.g. 12–14
        return start <= local < end
    return local >= start or local < end  # across midnight, e.g. 21–08


def quiet_hours_end(moment: datetime | None = None) -> datetime:
    """When an SMS due at `moment` may go: at once outside quiet hours, else 08:00."""
    moment = moment or timezone.now()
    if not in_quiet_hours(moment):
        return moment
    until = _quiet()[1]
    local = moment.astimezone(BEIJING)
    day = local.date() if local.time() < until else local.date() + timedelta(days=1)
    return datetime.combine(day, until, tzinfo=BEIJING)


def morning_of(day) -> datetime:
    """08:00 (the end of quiet hours) of a day, Beijing time."""
    quiet = _quiet()
    return datetime.combine(day, quiet[1] if quiet else time(8), tzinfo=BEIJING)
