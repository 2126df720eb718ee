from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResolutionsConfig(AppConfig):
    name = "resolutions"
    verbose_name = _("Resolutions")

    def ready(self):
        from access.resolutions import (
            can_list_resolutions,
            can_see_my_action_items,
            can_see_outcomes_board,
        )
        from accounts.models import Role
        from accounts.navigation import NavEntry, register, register_home

        register(
            NavEntry(
                _("Resolutions"),
                "resolutions:list",
                "journal-check",
                can_list_resolutions,
                order=40,
                section="/resolutions/",
            ),
            NavEntry(
                _("My action items"),
                "resolutions:my_items",
                "list-check",
                can_see_my_action_items,
                order=45,
            ),
            NavEntry(
                _("Outcomes board"),
                "resolutions:board",
                "megaphone",
                can_see_outcomes_board,
                order=90,
            ),
        )
        register_home(Role.ORG_CONTACT, "resolutions:my_items")

        from accounts.home_panels import HomePanel, register_home_panel

        from .panels import items_to_check_panel, outcomes_panel, shares_to_confirm_panel

        register_home_panel(
            HomePanel(
                key="shares_to_confirm",
                roles=frozenset([Role.RESIDENT]),
                template="resolutions/_home_shares.html",
                context=shares_to_confirm_panel,
                order=5,
            ),
        )
        register_home_panel(
            HomePanel(
                key="outcomes",
                roles=frozenset([Role.RESIDENT]),
                template="resolutions/_home_outcomes.html",
                context=outcomes_panel,
                order=4,
            ),
        )
        register_home_panel(
            HomePanel(
                key="items_to_check",
                roles=frozenset([Role.RESIDENT]),
                template="resolutions/_home_checks.html",
                context=items_to_check_panel,
                order=10,
            )
        )

        from .proposals import register as register_invitee_source

        register_invitee_source()

        from .issue_guards import register as register_issue_guards

        register_issue_guards()

        from meetings.followups import register_follow_up_source

        from .followups import resolution_follow_ups

        register_follow_up_source(resolution_follow_ups)

        # The issue page lists the resolutions agreed on the issue.
        from issues.outcomes import IssueSection, register_issue_section

        from .panels import issue_resolutions

        register_issue_section(IssueSection("resolutions", "resolutions", issue_resolutions))

        # The pages the resolutions app's short links (/s/…) open, for reporters and
        # parties without an account.
        from reach.purposes import Purpose, register_purpose

        from . import link_views
        from .outreach import EVALUATION_PURPOSE, OUTCOME_PURPOSE, REVISIT_PURPOSE

        for purpose in (
            Purpose(OUTCOME_PURPOSE, _("Follow an outcome"), link_views.outcome_page),
            Purpose(
                EVALUATION_PURPOSE,
                _("Evaluate the work done"),
                link_views.evaluation_page,
                single_use=True,
            ),
            Purpose(
                REVISIT_PURPOSE,
                _("Answer a revisit"),
                link_views.revisit_page,
                single_use=True,
            ),
        ):
            register_purpose(purpose)
