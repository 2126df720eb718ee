"""One-time codes sent to a phone number on record (手机号 + 验证码), the way Chinese public
services sign people in: a resident claims an account with it, or proves the number before
giving an opinion.

Nothing here tells whether a number is on record: a code is "sent" to any well-formed
number (only numbers on record get the SMS), the same limits count every number, and a
wrong code, an expired code and a number not on record get the same answer. Codes are kept
as keyed hashes, expire after CODE_TTL and are burnt after MAX_ATTEMPTS wrong tries.
Limits per number live in the database (they survive a restart of the cache); limits per
address, the outer fence against someone trying many numbers, live in the cache.
"""

import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Replace
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from communities.models import Resident
from lib.errors import DomainError
from lib.masking import mask_phone
from lib.phones import is_mobile, normalize_phone

from . import throttle
from .models import PhoneCode

CODE_TTL = timedelta(minutes=10)
MAX_ATTEMPTS = 5
# Between two codes to one number.
RESEND_SECONDS = 60
PER_NUMBER_PER_HOUR = 5
PER_NUMBER_PER_DAY = 10
# Code requests and code checks from one address (a household's router, a phone's
# carrier-grade NAT: generous, yet far below what trying numbers or codes would need).
REQUESTS_PER_ADDRESS_PER_HOUR = 20
CHECKS_PER_ADDRESS_PER_HOUR = 30

KIND_CODE = "phone_code"


class TooManyRequests(DomainError):
    """A limit was reached: the message says when to try again."""


def _hash(phone: str, purpose: str, code: str) -> str:
    return salted_hmac(
        "reach.phone-code", f"{phone}:{purpose}:{code}", algorithm="sha256"
    ).hexdigest()


def _digits(field):
    expression = field
    for separator in (" ", "-", "(", ")"):
        expression = Replace(expression, Value(separator), Value(""))
    return expression


def residents_with_phone(phone: str):
    """The active residents whose phone on record is this number, however it was typed
    (138 0000 0001, +86 138-0000-0001)."""
    phone = normalize_phone(phone)
    if not phone:
        return Resident.objects.none()
    return (
        Resident.objects.filter(archived_at__isnull=True)
        .annotate(phone_digits=_digits("phone"))
        .filter(phone_digits__in=[phone, f"+86{phone}", f"86{phone}", f"0086{phone}"])
        .order_by("pk")
    )


def _clean_phone(phone: str) -> str:
    digits = normalize_phone(phone)
    if not is_mobile(digits):
        raise DomainError(_("Enter an 11-digit mobile number."), field="phone")
    return digits


def phone_code_request(*, phone: str, purpose: str, ip: str | None) -> None:
    """Send a code to `phone` if it belongs to a resident on record; answer the same either
    way. Raises DomainError for a malformed number and TooManyRequests when a limit is
    reached."""
    phone = _clean_phone(phone)
    if not throttle.allow(f"code-requests:{ip}", limit=REQUESTS_PER_ADDRESS_PER_HOUR, seconds=3600):
        raise TooManyRequests(
            _("Too many codes were asked for from this network. Try again in an hour.")
        )
    now = timezone.now()
    recent = list(
        PhoneCode.objects.filter(phone=phone, created_at__gte=now - timedelta(days=1)).values_list(
            "created_at", flat=True
        )
    )
    if any(now - at < timedelta(seconds=RESEND_SECONDS) for at in recent):
        raise TooManyRequests(
            _("A code was sent less than a minute ago. Wait a moment before asking again.")
        )
    if (
        len(recent) >= PER_NUMBER_PER_DAY
        or sum(1 for at in recent if now - at < timedelta(hours=1)) >= PER_NUMBER_PER_HOUR
    ):
        raise TooManyRequests(_("Too many codes were sent to this number. Try again tomorrow."))
    code = f"{secrets.randbelow(10**6):06d}"
    resident = residents_with_phone(phone).select_related("community").first()
    with transaction.atomic():
        row = PhoneCode.objects.create(
            phone=phone,
            purpose=purpose,
            code_hash=_hash(phone, purpose, code),
            sent=resident is not None,
            expires_at=now + CODE_TTL,
            ip_address=ip,
        )
        if resident is not None:
            _send_code(row, resident, code)


def _send_code(row, resident, code):
    from notifications.services import notify

    from .texts import code_text

    minutes = int(CODE_TTL.total_seconds() // 60)
    notify(
        recipient=resident,
        kind=KIND_CODE,
        target=row,
        title=_("Verification code"),
        # What lists of sent messages show: the code itself is in the SMS only.
        body=code_text(community=resident.community.name, code="******", minutes=minutes),
        sms_text=code_text(community=resident.community.name, code=code, minutes=minutes),
        community=resident.community,
        secret=True,
    )


def phone_code_check(*, phone: str, code: str, purpose: str, ip: str | None) -> str:
    """The normalised number if `code` is the latest code sent to it for `purpose`, unused,
    unexpired and within its tries; the code is then used up. Raises DomainError (the same
    for a wrong, expired or burnt code and a number not on record) or TooManyRequests."""
    phone = _clean_phone(phone)
    if not throttle.allow(f"code-checks:{ip}", limit=CHECKS_PER_ADDRESS_PER_HOUR, seconds=3600):
        raise TooManyRequests(_("Too many tries from this network. Try again in an hour."))
    wrong = DomainError(
        _("The code is wrong or has expired. Check the SMS, or ask for a new code."),
        field="code",
    )
    code = (code or "").strip()
    with transaction.atomic():
        row = (
            PhoneCode.objects.select_for_update()
            .filter(phone=phone, purpose=purpose)
            .order_by("-created_at", "-pk")
            .first()
        )
        if (
            row is None
            or row.used_at is not None
            or row.expires_at <= timezone.now()
            or row.attempts >= MAX_ATTEMPTS
        ):
            raise wrong
        row.attempts += 1
        matches = row.sent and constant_time_compare(row.code_hash, _hash(phone, purpose, code))
        if matches:
            row.used_at = timezone.now()
        row.save(update_fields=["attempts", "used_at"])
    if not matches:
        raise wrong
    return phone


def masked(phone: str) -> str:
    return mask_phone(normalize_phone(phone))
