"""The meetings app's follow-up source: a decided agenda item leads to its resolution, or,
for staff while none exists, to drafting one."""

from django.urls import reverse
from django.utils.translation import gettext as _

from access.resolutions import can_create_resolution_in, resolutions_visible_to
from meetings.followups import FollowUp

from .models import Resolution


def resolution_follow_ups(user, meeting, items):
    decided = [item for item in items if item.issue_id and item.is_agreed]
    if not decided:
        return {}
    existing = {
        r.agenda_item_id: r
        for r in Resolution.objects.filter(agenda_item__in=[item.pk for item in decided]).only(
            "pk", "title", "status", "agenda_item_id"
        )
    }
    visible = set()
    if existing:
        visible = set(
            resolutions_visible_to(user)
            .filter(pk__in=[r.pk for r in existing.values()])
            .values_list("pk", flat=True)
        )
    may_draft = can_create_resolution_in(user, meeting.community_id)
    follow_ups = {}
    for item in decided:
        resolution = existing.get(item.pk)
        if resolution is not None:
            if resolution.pk in visible:
                follow_ups[item.pk] = [
                    FollowUp(
                        label=_("Resolution: %(title)s") % {"title": resolution.title},
                        url=reverse("resolutions:detail", args=[resolution.pk]),
                        note=resolution.get_status_display(),
                    )
                ]
        elif may_draft:
            follow_ups[item.pk] = [
                FollowUp(
                    label=_("Draft the resolution"),
                    url=reverse("resolutions:create", args=[item.pk]),
                    primary=True,
                )
            ]
    return follow_ups
