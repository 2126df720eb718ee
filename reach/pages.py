"""Rendering the small pages links open, for the apps that own them.

Link pages are read by people who may never have used the product, many of them elderly:
large type unless the visitor chose standard text, one thing to do per page, and a clear
page for a link that cannot be used. The token is a key: pages that carry it in their
address are not cached, not indexed and never sent to another site as a referrer."""

from django.shortcuts import render
from django.utils.translation import gettext as _


def large_text_for(request) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.large_text or request.COOKIES.get("large_text") != "0"
    return request.COOKIES.get("large_text") != "0"


def private_headers(response):
    # Sent on to our own pages only (never to another site); "no-referrer" would make the
    # browser post its forms with Origin: null, which the CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store, private"
    return response


def render_link_page(request, link, template, context=None, *, status=200):
    """Render a purpose's page for `link` (in the context as `link`, with its `person` and
    `community`), in large type, with the link's private headers."""
    context = {
        "link": link,
        "person": link.person if link is not None else None,
        "community": link.community if link is not None else None,
        "large_text": large_text_for(request),
        **(context or {}),
    }
    return private_headers(render(request, template, context, status=status))


# Why a link cannot be used, as its page says it: (title, explanation, HTTP status).
def refusal_text(reason):
    return {
        "unknown": (
            _("This link cannot be opened"),
            _(
                "The address may be incomplete or mistyped. Compare it with the SMS or the "
                "printed notice, or ask the community office."
            ),
            404,
        ),
        "expired": (
            _("This link has expired"),
            _("What it was for is over. If you still need to do it, ask the community office."),
            410,
        ),
        "revoked": (
            _("This link is no longer in use"),
            _(
                "The community office stopped this link, perhaps because a new one was "
                "sent. Use the newest SMS or notice, or ask the community office."
            ),
            410,
        ),
        "spent": (
            _("This has already been done"),
            _("The link was for one answer, and it has been given. Thank you."),
            410,
        ),
        "throttled": (
            _("Too many attempts"),
            _(
                "Too many links that do not exist were opened from this network. Try again in an hour."
            ),
            429,
        ),
        "not_yours": (
            _("This link belongs to someone else"),
            _(
                "You are signed in as another person. Sign out to use this link, or open "
                "the page from your own home page."
            ),
            403,
        ),
    }[reason]


def render_refusal(request, reason, link=None):
    title, explanation, status = refusal_text(reason)
    return render_link_page(
        request,
        link,
        "reach/refused.html",
        {"title": title, "explanation": explanation, "reason": reason},
        status=status,
    )
