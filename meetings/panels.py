"""The meetings app's section of an issue's page: the meetings that took the issue up."""

from access.meetings import visible_meeting_ids

from .selectors import issue_agenda_items


def issue_meetings(request, issue, *, has_rows):
    """The agenda items that took the issue to a meeting, and the meetings among them the
    viewer may open (linked only then). Two queries at most, none when there are none."""
    agenda_items = list(issue_agenda_items(issue)) if has_rows else []
    return {
        "agenda_items": agenda_items,
        "open_meetings": visible_meeting_ids(
            request.user, [item.meeting_id for item in agenda_items]
        ),
    }
