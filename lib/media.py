"""Uploaded photos served through signed addresses, never from a public folder.

A page that shows a photo has already asked access/ whether its viewer may see the record
the photo belongs to; the address it writes for the photo carries that answer, signed with
the site's key, for a few hours (the way a presigned object-store address does). The
address names one stored file and nothing else, so it cannot be turned into another; it
stays the same for six hours, so a browser reuses what it has fetched.

Works alike under runserver and gunicorn, with the files on the default storage
(MEDIA_ROOT): no web server has to hide a media folder.
"""

import mimetypes
import time

from django.core import signing
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.urls import reverse

SALT = "yishi.media"
# An address is valid until the end of the six-hour window after the one it was made in:
# between six and twelve hours.
WINDOW_SECONDS = 6 * 3600
# Only pictures are stored on the default storage; anything else is not served from here.
SERVED_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}


def signed_url(file) -> str:
    """The address of a stored file (a FieldFile, or its storage name), or "" for none."""
    name = getattr(file, "name", file)
    if not name:
        return ""
    expires = (int(time.time()) // WINDOW_SECONDS + 2) * WINDOW_SECONDS
    token = signing.dumps([name, expires], salt=SALT, compress=True)
    return reverse("media", args=[token])


def serve(request, token):
    """The file a signed address names, while the address is valid; 404 otherwise (a
    changed, expired or unknown address looks the same from outside)."""
    try:
        name, expires = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise Http404 from None
    remaining = int(expires) - int(time.time())
    media_type = mimetypes.guess_type(name)[0]
    if remaining <= 0 or media_type not in SERVED_TYPES:
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=media_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = f"private, max-age={remaining}"
    return response
