"""Pages cached per user, valid while the data they were built from has not changed.

    @login_required
    @cached_page(page_versions)        # access.scope.page_versions
    def issue_list(request): ...

A GET of a decorated view by a logged-in user is answered from the cache when the same
user asked for the same URL, in the same language, while the versions `versions_for(request)`
names (lib.versions: the user's communities, the user, their scope) have not moved, and
within the same PAGE_CACHE_SECONDS-long slice of time (what a page says about "now":
overdue, due soon, the date in the footer, moves on by itself). A miss runs the view.

What it never does:
- show one user's page to another: the user's id is part of the key (visitors who are not
  logged in share one page where a view allows it: the public board);
- keep the browser's CSRF token: every masked token of the request's secret is replaced by
  a placeholder before the page is stored, and a fresh token fills it in when it is served;
- store anything but a plain 200 HTML page without cookies, or a page with messages to
  show (each is shown once), or answer a POST, an anonymous visitor or a page asking for
  htmx's partial response under another key (the htmx headers are part of the key)."""

import hashlib
import re
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils import timezone
from django.utils.translation import get_language

from . import versions
from .replica import used_replica

KEY = "page:{user}:{digest}"
TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
PLACEHOLDER = b"@@csrf-token@@"
HTMX_HEADERS = ("HTTP_HX_REQUEST", "HTTP_HX_TARGET", "HTTP_HX_TRIGGER", "HTTP_HX_BOOSTED")


def cached_page(versions_for, *, vary=None, anonymous=None):
    """Cache the decorated view's pages per user under the versions `versions_for(request)`
    names (a list of lib.versions names) and the strings `vary(request)` returns, if given.

    `anonymous`, a set of query parameters, also caches the page for visitors who are not
    logged in (one page for all of them, by language and text size) when its URL has no
    other parameters: nothing else a visitor adds to a link is kept for others."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _cacheable_request(request, anonymous):
                return view(request, *args, **kwargs)
            extra = vary(request) if vary else ()
            key = _key(request, versions_for(request), extra)
            stored = cache.get(key)
            if stored is not None:
                return _response(request, *stored)
            response = view(request, *args, **kwargs)
            if _cacheable_response(response):
                body = _without_token(request, response.content)
                headers = {k: v for k, v in response.headers.items() if k != "Content-Length"}
                cache.set(key, (body, headers), settings.PAGE_CACHE_SECONDS)
            return response

        return wrapped

    return decorator


def _cacheable_request(request, anonymous):
    if not settings.PAGE_CACHE_SECONDS or request.method != "GET":  # 0 turns the cache off
        return False
    if not request.user.is_authenticated and (
        anonymous is None or not set(request.GET) <= anonymous
    ):
        return False
    # Messages are shown once: a page that shows some is neither served nor kept
    # (len() reads them without marking them shown).
    return not len(messages.get_messages(request))


def _key(request, names, extra):
    seconds = settings.PAGE_CACHE_SECONDS
    parts = [
        request.get_full_path(),
        get_language(),
        # What shapes a visitor's page besides the language (accounts.views.display_mode).
        "" if request.user.is_authenticated else request.COOKIES.get("large_text", ""),
        *extra,
        *(request.META.get(header, "") for header in HTMX_HEADERS),
        str(int(timezone.now().timestamp() // seconds)),
        *(str(version) for version in versions.read(names)),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return KEY.format(user=request.user.pk or "anonymous", digest=digest)


def _cacheable_response(response):
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        # The replica may not hold yet what the versions say (lib.replica).
        and not used_replica()
    )


def _without_token(request, body):
    """The page with every masked form of the request's CSRF secret replaced."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return body

    def replace(match):
        token = match.group().decode()
        return PLACEHOLDER if _unmask_cipher_token(token) == secret else match.group()

    return TOKEN.sub(replace, body)


def _response(request, body, headers):
    if PLACEHOLDER in body:
        body = body.replace(PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(body)
    for name, value in headers.items():
        response[name] = value
    return response
