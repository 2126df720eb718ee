"""The sign-in QR code of a meeting: a short address carrying a signed, short-lived token
that names the meeting. Whoever scans it still signs in as themselves (logged in, and
invited): the token only proves they were shown the code at the meeting."""

from datetime import timedelta
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.core import signing

SALT = "meetings.sign-in"
# Long enough for a meeting that runs late, short enough that a photo of the code passed
# round afterwards no longer signs anybody in.
MAX_AGE = timedelta(hours=4)


def sign_in_token(meeting) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(meeting.pk))


def meeting_pk_of(token) -> int | None:
    """The meeting the token names, or None when it is forged, damaged or expired."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(token, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def qr_svg(url: str) -> str:
    """The QR code of `url` as an inline SVG (drawn on the server: no script, no CDN)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]
