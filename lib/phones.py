"""Mobile numbers as people type them: 138 0000 0001, 138-0000-0001, +86 13800000001."""

import re

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_SEPARATORS = re.compile(r"[\s\-()（）]")


def normalize_phone(raw: str) -> str:
    """The digits of a number, without separators and without the country code +86 / 0086
    in front of an 11-digit mobile number."""
    digits = _SEPARATORS.sub("", raw or "")
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
            digits = digits[len(prefix) :]
            break
    return digits


def is_mobile(phone: str) -> bool:
    """An 11-digit mainland mobile number (13x–19x), once normalised."""
    return bool(_MOBILE.match(normalize_phone(phone)))
