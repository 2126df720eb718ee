from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from core.templatetags.yishi import stamp, time_left
from lib.widgets import escape_text

register = template.Library()

# Bootstrap's colour for each status a badge shows; every other status is work in progress.
_BADGE = {
    "reported": "text-bg-warning",
    "closed": "text-bg-success",
    "rejected": "text-bg-secondary",
    "merged": "text-bg-secondary",
}


@register.filter
def status_badge(issue):
    """The issue's status as a badge. Lists show one a row: a filter costs a fraction of
    an {% include %}."""
    return mark_safe(
        f'<span class="badge status-{escape_text(issue.status)} '
        f'{_BADGE.get(issue.status, "text-bg-primary")}">'
        f"{escape_text(issue.get_status_display())}</span>"
    )


_DANGER = ' class="table-danger"'


# The rows of the work queue. Written here rather than by a loop in the template: the template
# spent about 0.1 ms a row on its two dozen variables and conditions (2.4 ms for a page of 25,
# the largest part of the page), this a fifth of that.
@register.simple_tag
def queue_rows(issues, selectable=False):
    """The rows of the work queue for its issues, each given by the view the names of its
    category, grid, compound and assignee; with `selectable`, a checkbox to tick it for a
    bulk action and the version the row shows (a change made since is refused)."""
    overdue_badge = f' <span class="badge text-bg-danger">{escape_text(_("Overdue"))}</span>'
    now = timezone.now()
    rows = []
    select = _("Select #%(number)d")
    for issue in issues:
        pick = (
            f'<td class="queue-pick"><input class="form-check-input" type="checkbox" '
            f'name="issue" value="{issue.pk}" '
            f'aria-label="{escape_text(select % {"number": issue.pk})}">'
            f'<input type="hidden" name="v{issue.pk}" value="{issue.version}"></td>'
            if selectable
            else ""
        )
        deadline = issue.running_deadline
        overdue = issue.is_overdue(now)
        urgency = (
            f' <span class="badge text-bg-danger">{escape_text(issue.get_urgency_display())}</span>'
            if issue.urgency != "normal"
            else ""
        )
        assignee = f" · {escape_text(issue.assignee_name)}" if issue.assignee_name else ""
        reported = stamp(localtime(issue.reported_at), "Y-m-d H:i")
        rows.append(
            f"<tr{_DANGER if overdue else ''}>{pick}<td>#{issue.pk}</td>"
            f'<td><a href="{escape_text(issue.get_absolute_url())}">{escape_text(issue.title)}</a>'
            f"{urgency}"
            f'<div class="small text-muted">{escape_text(issue.get_channel_display())} · '
            f"{reported}{assignee}</div></td>"
            f"<td>{escape_text(issue.category_name)}"
            f'<div class="small text-muted">{escape_text(issue.get_kind_display())}</div></td>'
            f"<td>{escape_text(issue.compound_name)} {escape_text(issue.place_text)}"
            f'<div class="small text-muted">{escape_text(issue.grid_name)}</div></td>'
            f"<td>{status_badge(issue)}</td>"
            f"<td>{escape_text(time_left(deadline))}{overdue_badge if overdue else ''}</td>"
            "</tr>"
        )
    return mark_safe("".join(rows))
