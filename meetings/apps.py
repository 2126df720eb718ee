from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from access.meetings import can_list_meetings, can_see_calendar
        from accounts.navigation import NavEntry, register

        register(
            NavEntry(
                _("Meetings"),
                "meetings:list",
                "people",
                can_list_meetings,
                order=30,
                section="/meetings/",
            ),
            NavEntry(
                _("Calendar"),
                "meetings:calendar",
                "calendar3",
                can_see_calendar,
                order=31,
                section="/meetings/calendar/",
            ),
        )

        # The issue page lists the meetings that took the issue up.
        from issues.outcomes import IssueSection, register_issue_section

        from .panels import issue_meetings

        register_issue_section(IssueSection("meetings", "agenda_items", issue_meetings))
