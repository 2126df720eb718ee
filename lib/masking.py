"""Masking of personal numbers for people who may not see them in full."""


def mask_phone(phone: str) -> str:
    """138****1234: keep the first three and last four digits of a mobile number."""
    phone = (phone or "").strip()
    if len(phone) <= 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def mask_id_number(number: str) -> str:
    """Keep the first six (region) and last four characters of an ID card number."""
    number = (number or "").strip()
    if len(number) <= 10:
        return "*" * len(number)
    return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}"
