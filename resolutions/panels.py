"""The resolutions app's panels on other apps' pages: on a resident's home page, for a
member of the supervision committee (居监会), the work waiting for their on-site check
(待我核查) and the agreements their household confirms; on an issue's page, the
resolutions agreed on it."""

from access.issues import can_draft_resolution_for_issue
from access.reach import can_revoke_link, can_see_links
from access.resolutions import (
    UNAGREED,
    items_to_check,
    resolutions_listed_on_issue,
    shares_to_confirm,
)
from lib.urls import url_by_pk
from reach.services import links_of

from .models import Resolution

# Enough for a phone screen; the rest are under "My action items".
SHOWN = 10


def items_to_check_panel(request):
    """The items reported done in the supervisor's community, longest waiting first: two
    queries (the rows with their resolution and responsible party, and their number).
    None for residents who are not on the committee."""
    items = items_to_check(request.user)
    if items is None:
        return None
    rows = list(
        items.select_related(
            "resolution", "responsible_organization", "responsible_user", "responsible_resident"
        ).order_by("updated_at", "pk")[:SHOWN]
    )
    count = len(rows) if len(rows) < SHOWN else items.count()
    return {"items": rows, "count": count, "more": count > len(rows)}


def shares_to_confirm_panel(request):
    """For a resident whose household shares an agreed cost: the agreements still waiting
    for the household's confirmation (one query). Hidden when there are none."""
    resolutions = shares_to_confirm(request.user)
    if resolutions is None:
        return None
    rows = list(resolutions.only("pk", "title", "adopted_at").order_by("adopted_at", "pk")[:SHOWN])
    if not rows:
        return None
    return {"resolutions": rows}


def issue_resolutions(request, issue, *, has_rows):
    """The issue page's resolutions (access.resolutions decides which, and which the
    viewer opens: the resolution's page, else the public board's for a published one),
    and whether the viewer may draft one from the issue: an escalated issue, once, not
    while a draft of it waits. Two queries at most, none when the issue has none."""
    user = request.user
    resolutions, may_open = resolutions_listed_on_issue(user, issue) if has_rows else ([], set())
    for resolution in resolutions:
        if resolution.pk in may_open:
            resolution.link = url_by_pk("resolutions:detail", resolution.pk)
        elif resolution.status == Resolution.Status.PUBLISHED:
            resolution.link = url_by_pk("resolutions:public_detail", resolution.pk)
        else:
            resolution.link = ""
    # The personal links sent about the issue (its outcome, the evaluation, the revisit),
    # for its community's staff to see and revoke: one query, only with resolutions.
    links = list(links_of(issue)) if resolutions and can_see_links(user, issue.community_id) else []
    return {
        "resolutions": resolutions,
        "may_draft_for_issue": can_draft_resolution_for_issue(user, issue)
        and not any(r.status in UNAGREED for r in resolutions),
        "personal_links": links,
        "may_revoke_links": bool(links) and can_revoke_link(user, links[0]),
    }


def outcomes_panel(request):
    """A resident's outcomes (议题结果): what was agreed on the issues they reported or are
    party to, with how far the work has come. Two queries; hidden when there is none."""
    from access.issues import issues_visible_to
    from access.resolutions import resolutions_visible_to

    from .selectors import with_item_figures
    from .workflow import IN_FORCE

    resolutions = list(
        resolutions_visible_to(request.user)
        .filter(
            status__in=IN_FORCE,
            issue__in=issues_visible_to(request.user).values("pk"),
        )
        .select_related("issue")
        .only("pk", "title", "status", "issue__title", "issue__status", "issue_id")
        .order_by("-pk")[:SHOWN]
    )
    if not resolutions:
        return None
    with_item_figures(resolutions)
    for resolution in resolutions:
        resolution.link = url_by_pk("issues:detail", resolution.issue_id)
    return {"resolutions": resolutions}
