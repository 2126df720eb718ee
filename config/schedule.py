"""The beat schedule, in one place. `manage.py sync_schedules` writes these entries into
django-celery-beat's tables when they are missing; after that, street admins pause them
and change their times on 提醒计划 (core.schedules), the superuser in Django admin, and a
restart does not undo it: an entry's time is brought to the code's only while it still
holds a time the code itself once wrote (FORMER) and nobody changed it on 提醒计划.

Every entry says when it runs and why. Crontab fields are in Asia/Shanghai time.
Every sweep derives what is due from the database, so running one late (Redis or the
worker was down) catches up, and running one twice sends nothing twice.
"""

from django.utils.translation import gettext_lazy as _

# name: (task, crontab fields or {"every_minutes": n}, description)
SCHEDULE = {
    "reports-monthly-snapshots": (
        "reports.tasks.compute_monthly_snapshots",
        {"minute": "30", "hour": "1", "day_of_month": "1"},
        "On the 1st at 01:30, store last month's report of every community and street and "
        "send the street admins a link.",
    ),
    "Action item deadlines and overdue": (
        "resolutions.tasks.sweep_action_items",
        {"minute": "0", "hour": "7"},
        "Deadline in 3 days and tomorrow; overdue (daily); escalation to the community head.",
    ),
    "Evaluation requests": (
        "resolutions.tasks.sweep_evaluations",
        {"every_minutes": 15},
        "Ask the reporter, parties and representatives to evaluate work confirmed done.",
    ),
    "Publication periods ending": (
        "resolutions.tasks.sweep_publications",
        {"minute": "20", "hour": "7"},
        "A resolution's publication period ends tomorrow.",
    ),
    "Revisits due": (
        "resolutions.tasks.sweep_revisits",
        {"minute": "10", "hour": "7"},
        "Closed issues due a revisit (YISHI REVISIT_AFTER_DAYS).",
    ),
    "Issue time limits": (
        "issues.tasks.sweep_issue_deadlines",
        {"every_minutes": 15},
        "Acceptance and handling time limits and hotline answer-by times about to run out.",
    ),
    "Special-group visits": (
        "issues.tasks.sweep_special_group_visits",
        {"minute": "0", "hour": "7"},
        "On each community's visit day (the 5th at 民生社区): each grid worker's list of "
        "special-group residents to visit.",
    ),
    "Meeting reminders": (
        "meetings.tasks.sweep_meeting_reminders",
        {"every_minutes": 10},
        "The day before and two hours before, to invitees who have not declined.",
    ),
    "Minutes not closed": (
        "meetings.tasks.sweep_meetings_not_closed",
        {"minute": "30", "hour": "7"},
        "Meetings ended a day ago whose minutes are still a draft, to the convener.",
    ),
    "Fixed meetings": (
        "meetings.tasks.sweep_fixed_meetings",
        {"minute": "0", "hour": "7"},
        "Monthly council (day per community) and the quarterly party-building joint meeting.",
    ),
    "Close issues whose evaluation period has passed": (
        "resolutions.tasks.close_issues_due",
        {"minute": "15", "hour": "1"},
        "销号: all items confirmed and no evaluation came in within the evaluation period.",
    ),
    "Daily digests": (
        "notifications.tasks.send_digests",
        {"minute": "0", "hour": "8"},
        "After the morning sweeps (07:00-07:30) and when quiet hours end: one digest per "
        "person and kind of duty, of what waited for it.",
    ),
    "Redeliver stuck notifications": (
        "notifications.tasks.redeliver_stuck",
        {"every_minutes": 5},
        "Queue again email/SMS deliveries never picked up (broker was down, worker killed).",
    ),
}


# What each entry does, in the words of those who switch it on and off (提醒计划, and the
# periodic tasks of Django admin): the page says when, then this.
TITLES = {
    "reports-monthly-snapshots": _("store last month's reports and send them to the street"),
    "Action item deadlines and overdue": _(
        "remind of action items due and overdue, escalating to the community head"
    ),
    "Evaluation requests": _("ask residents to evaluate finished work"),
    "Publication periods ending": _("remind of publication periods ending tomorrow"),
    "Revisits due": _("remind of revisits due after closure"),
    "Issue time limits": _("remind of issue time limits and 12345 answer-by times"),
    "Special-group visits": _("send grid workers the special-group visits of their visit day"),
    "Meeting reminders": _("remind invitees of meetings the day before and two hours before"),
    "Minutes not closed": _("remind conveners of minutes still in draft"),
    "Fixed meetings": _("remind of monthly councils and quarterly joint meetings"),
    "Close issues whose evaluation period has passed": _(
        "close issues whose evaluation period has passed"
    ),
    "Daily digests": _("send each person their daily digest of reminders"),
    "Redeliver stuck notifications": _("send again emails and SMS left pending"),
}

# Times the code wrote before, by entry: a task still on one of them was never changed by
# an admin, so sync_schedules brings it to the code's time above.
FORMER = {
    # Until each community had its own visit day, every grid worker was reminded on the 5th.
    # The morning sweeps ran from 08:00 to 10:00 until their reminders waited for the 08:00
    # digest: they now run before it.
    "Special-group visits": [
        {"minute": "0", "hour": "8", "day_of_month": "5"},
        {"minute": "0", "hour": "8"},
    ],
    "Action item deadlines and overdue": [{"minute": "0", "hour": "8"}],
    "Publication periods ending": [{"minute": "0", "hour": "9"}],
    "Revisits due": [{"minute": "30", "hour": "8"}],
    "Minutes not closed": [{"minute": "0", "hour": "10"}],
    "Fixed meetings": [{"minute": "0", "hour": "8"}],
}
