"""What came of an agenda item, shown beside it on the meeting and minutes pages.

The meetings app knows nothing of what a higher app builds on a decided item (a resolution,
for one). Such an app registers a source once from its `AppConfig.ready()`:

    from meetings.followups import FollowUp, register_follow_up_source

    def resolution_follow_ups(user, meeting, items):
        return {item.pk: [FollowUp(label=..., url=..., primary=False)] for item in ...}

    register_follow_up_source(resolution_follow_ups)

A source answers for all the items of a page at once, so a page asks each source one
question however many items it shows.
"""

from dataclasses import dataclass

_SOURCES: list = []


@dataclass(frozen=True)
class FollowUp:
    label: str
    url: str
    # A step the viewer is asked to take (a button), rather than a link to what exists.
    primary: bool = False
    note: str = ""


def register_follow_up_source(source) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def attach_follow_ups(user, meeting, items) -> None:
    """Set `item.follow_ups` (a list of FollowUp) on every agenda item given."""
    for item in items:
        item.follow_ups = []
    if not items:
        return
    by_pk = {item.pk: item for item in items}
    for source in _SOURCES:
        for pk, follow_ups in source(user, meeting, items).items():
            if pk in by_pk:
                by_pk[pk].follow_ups.extend(follow_ups)
