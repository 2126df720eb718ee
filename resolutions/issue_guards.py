"""What the resolutions app holds on an issue's lifecycle, handed to the issues app's
guard registry (issues.workflow.register_guard) so issues imports nothing above it.

An issue shows 已形成决议 only once a resolution of it is adopted, whatever path asks
(a meeting's vote, a member of staff, a demo script); and its work is confirmed complete
only when every action item of its resolutions in force is done or cancelled."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import ActionItem, Resolution
from .workflow import FINISHED_ITEM_STATUSES, IN_FORCE


def resolution_adopted(issue) -> str | None:
    """The "resolve" move needs an adopted (or published) resolution of the issue."""
    if Resolution.objects.filter(issue=issue.pk, status__in=IN_FORCE).exists():
        return None
    return _(
        "An issue is marked as resolved only when its resolution is adopted: draft the "
        "resolution of the agreed agenda item and adopt it."
    )


def action_items_finished(issue) -> str | None:
    """The "complete" move needs every action item of the resolutions in force finished."""
    still_open = (
        ActionItem.objects.filter(resolution__issue=issue.pk, resolution__status__in=IN_FORCE)
        .exclude(status__in=FINISHED_ITEM_STATUSES)
        .count()
    )
    if not still_open:
        return None
    return ngettext(
        "%(count)d action item of its resolution is still open: the work is complete when "
        "every item is confirmed on site.",
        "%(count)d action items of its resolution are still open: the work is complete when "
        "every item is confirmed on site.",
        still_open,
    ) % {"count": still_open}


def register():
    from issues.workflow import register_guard

    register_guard("resolve", resolution_adopted)
    register_guard("complete", action_items_finished)
    return True
