from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from access.meetings import (
            can_list_meetings,
            can_list_opinion_windows,
            can_see_calendar,
        )
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
            NavEntry(
                _("Online opinion-taking"),
                "meetings:opinion_windows",
                "megaphone",
                can_list_opinion_windows,
                order=32,
                section="/meetings/opinions/",
            ),
        )

        # The issue page lists the meetings that took the issue up.
        from issues.outcomes import IssueSection, register_issue_section

        from .panels import issue_meetings

        register_issue_section(IssueSection("meetings", "agenda_items", issue_meetings))

        # A resident's home lists the meetings they are invited to.
        from accounts.home_panels import HomePanel, register_home_panel
        from accounts.models import Role

        from .panels import invitations_panel

        register_home_panel(
            HomePanel(
                key="invitations",
                roles=frozenset([Role.RESIDENT]),
                template="meetings/_home_invitations.html",
                context=invitations_panel,
                order=3,
            )
        )

        # The pages the meetings app's short links (/s/…) open.
        from reach.purposes import Purpose, register_purpose

        from . import link_views
        from .services import (
            INVITATION_PURPOSE,
            NOTICE_PURPOSE,
            OPINION_REQUEST_PURPOSE,
            OPINIONS_PURPOSE,
        )

        for purpose in (
            Purpose(INVITATION_PURPOSE, _("Answer an invitation"), link_views.invitation_page),
            Purpose(
                NOTICE_PURPOSE,
                _("Read a meeting notice"),
                link_views.notice_page,
                personal=False,
            ),
            Purpose(
                OPINIONS_PURPOSE,
                _("Give an opinion (poster)"),
                link_views.opinions_page,
                personal=False,
            ),
            Purpose(
                OPINION_REQUEST_PURPOSE,
                _("Give an opinion"),
                link_views.opinion_request_page,
                single_use=True,
            ),
        ):
            register_purpose(purpose)
