"""What a short link lets its holder do, registered by the app that owns the record.

This app knows only how to find, check and record a link. The page it opens belongs to
the app whose record the link points at: meetings answers an invitation, resolutions shows
an outcome and takes an evaluation. Such an app registers a purpose once from its
`AppConfig.ready()`:

    from reach.purposes import Purpose, register_purpose

    register_purpose(Purpose(
        code="meeting_invitation",
        label=_("Answer an invitation"),
        view=invitation_page,       # view(request, link) -> HttpResponse
        single_use=False,
    ))

`/s/<token>` checks the link (unknown, expired, revoked, spent: a clear page each) and
then calls the purpose's view with it. The view does only what the purpose says, for the
link's own person and record: a link cannot be used for another person or purpose.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Purpose:
    code: str
    label: str
    view: Callable
    # A public link (a poster's QR code) names no person.
    personal: bool = True
    # Spent once its one action is done (an evaluation of this round given).
    single_use: bool = False


PURPOSES: dict[str, Purpose] = {}


def register_purpose(purpose: Purpose) -> None:
    """Add (or replace, by code) a purpose."""
    PURPOSES[purpose.code] = purpose


def purpose_of(code: str) -> Purpose | None:
    return PURPOSES.get(code)
