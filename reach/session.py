"""A phone number proven with a code, remembered in the visitor's session for a while, so
that a resident who verified once is not asked again on the next page."""

from datetime import timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime

KEY = "reach.verified_phone"
VALID_FOR = timedelta(minutes=30)


def remember_verified(request, phone: str) -> None:
    request.session.cycle_key()
    request.session[KEY] = {"phone": phone, "at": timezone.now().isoformat()}


def verified_phone(request) -> str | None:
    value = request.session.get(KEY)
    if not value:
        return None
    at = parse_datetime(value.get("at", ""))
    if at is None or timezone.now() - at > VALID_FOR:
        request.session.pop(KEY, None)
        return None
    return value.get("phone")


def forget_verified(request) -> None:
    request.session.pop(KEY, None)
