"""One-time phone codes: sent only to numbers on record, the same answer for any number,
kept as hashes, expiring, burnt after a few wrong tries, limited per number (in the
database) and per address (in the cache)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from communities.tests.factories import ResidentFactory
from lib.errors import DomainError
from notifications.models import Delivery, Notification
from reach.models import PhoneCode
from reach.verification import (
    CHECKS_PER_ADDRESS_PER_HOUR,
    MAX_ATTEMPTS,
    PER_NUMBER_PER_DAY,
    PER_NUMBER_PER_HOUR,
    REQUESTS_PER_ADDRESS_PER_HOUR,
    TooManyRequests,
    phone_code_check,
    phone_code_request,
    residents_with_phone,
)

pytestmark = pytest.mark.django_db

LOGIN = PhoneCode.Purpose.LOGIN


def _code(outbox):
    """The code of the last SMS, as the resident reads it on their phone."""
    import re

    return re.search(r"\d{6}", outbox[-1][1]).group()


def _request(phone, ip="10.0.0.1", purpose=LOGIN):
    phone_code_request(phone=phone, purpose=purpose, ip=ip)


@pytest.fixture
def sent(world, sms_outbox, django_capture_on_commit_callbacks, person_with_phone):
    """A code sent to the resident's number, delivered to the outbox."""
    with django_capture_on_commit_callbacks(execute=True):
        _request("138-0013-8000")
    return _code(sms_outbox)


@pytest.fixture
def person_with_phone(world):
    return ResidentFactory(
        household=world.household_a1, grid=world.grid_a1, name="王大爷", phone="+86 138 0013 8000"
    )


def test_a_number_on_record_gets_a_code_naming_its_community(sent, sms_outbox, world):
    phone, text = sms_outbox[-1]
    assert phone == "+86 138 0013 8000"
    assert text.startswith("【议事】甲社区：验证码") and sent in text
    assert len(text) <= 70


def test_the_code_is_kept_only_as_a_hash(sent, world):
    row = PhoneCode.objects.get()
    assert row.phone == "13800138000" and row.sent
    assert sent not in row.code_hash
    # The SMS itself held the code only until it went out.
    notification = Notification.objects.get(kind="phone_code")
    assert Delivery.objects.get(notification=notification).status == "sent"
    assert notification.sms_text == ""
    assert sent not in notification.body and "******" in notification.body


def test_the_right_code_proves_the_number_once(sent):
    assert phone_code_check(phone="13800138000", code=sent, purpose=LOGIN, ip="10.0.0.1") == (
        "13800138000"
    )
    with pytest.raises(DomainError):
        phone_code_check(phone="13800138000", code=sent, purpose=LOGIN, ip="10.0.0.1")


def test_a_code_expires(sent):
    with time_machine.travel(timezone.now() + timedelta(minutes=11)), pytest.raises(DomainError):
        phone_code_check(phone="13800138000", code=sent, purpose=LOGIN, ip="10.0.0.1")


def test_a_code_is_only_for_its_purpose(sent):
    with pytest.raises(DomainError):
        phone_code_check(
            phone="13800138000", code=sent, purpose=PhoneCode.Purpose.VERIFY, ip="10.0.0.1"
        )


def test_guessing_the_code_is_refused_after_a_few_tries(sent):
    wrong = f"{(int(sent) + 1) % 10**6:06d}"
    for _ in range(MAX_ATTEMPTS):
        with pytest.raises(DomainError) as refused:
            phone_code_check(phone="13800138000", code=wrong, purpose=LOGIN, ip="10.0.0.1")
        assert refused.value.field == "code"
    # Burnt: even the right code no longer opens anything.
    with pytest.raises(DomainError):
        phone_code_check(phone="13800138000", code=sent, purpose=LOGIN, ip="10.0.0.1")
    assert PhoneCode.objects.get().attempts == MAX_ATTEMPTS


def test_a_number_not_on_record_gets_the_same_answer_and_no_sms(
    world, sms_outbox, django_capture_on_commit_callbacks, person_with_phone
):
    with django_capture_on_commit_callbacks(execute=True):
        known = _request("13800138000")
        unknown = _request("13900000000")
    assert known is unknown is None
    assert [phone for phone, _ in sms_outbox] == ["+86 138 0013 8000"]
    # Limits count it the same way.
    with pytest.raises(TooManyRequests) as again_known:
        _request("13800138000")
    with pytest.raises(TooManyRequests) as again_unknown:
        _request("13900000000")
    assert str(again_known.value) == str(again_unknown.value)
    # And checking a code says the same as a wrong code for a known number.
    with pytest.raises(DomainError) as for_unknown:
        phone_code_check(phone="13900000000", code="123456", purpose=LOGIN, ip="10.0.0.1")
    with pytest.raises(DomainError) as for_known:
        phone_code_check(phone="13800138000", code="000000", purpose=LOGIN, ip="10.0.0.1")
    assert str(for_unknown.value) == str(for_known.value)


def test_one_number_gets_a_code_a_minute_five_an_hour_ten_a_day(world, person_with_phone):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _request("13800138000")
        with pytest.raises(TooManyRequests):
            _request("13800138000", ip="10.9.9.9")  # from anywhere
    for n in range(1, PER_NUMBER_PER_HOUR):
        with time_machine.travel(start + timedelta(minutes=2 * n), tick=False):
            _request("13800138000")
    with (
        time_machine.travel(start + timedelta(minutes=30), tick=False),
        pytest.raises(TooManyRequests),
    ):
        _request("13800138000")
    for n in range(PER_NUMBER_PER_HOUR, PER_NUMBER_PER_DAY):
        with time_machine.travel(start + timedelta(hours=2, minutes=2 * n), tick=False):
            _request("13800138000")
    with (
        time_machine.travel(start + timedelta(hours=5), tick=False),
        pytest.raises(TooManyRequests),
    ):
        _request("13800138000")
    # The limits of a number are kept in the database: they survive the cache.
    assert PhoneCode.objects.filter(phone="13800138000").count() == PER_NUMBER_PER_DAY


def test_one_address_cannot_try_many_numbers(world):
    for n in range(REQUESTS_PER_ADDRESS_PER_HOUR):
        _request(f"1390000{n:04d}", ip="10.0.0.7")
    with pytest.raises(TooManyRequests):
        _request("13912345678", ip="10.0.0.7")
    _request("13912345678", ip="10.0.0.8")


def test_one_address_cannot_try_many_codes(world):
    for _ in range(CHECKS_PER_ADDRESS_PER_HOUR):
        with pytest.raises(DomainError) as refused:
            phone_code_check(phone="13900000000", code="123456", purpose=LOGIN, ip="10.0.0.7")
        assert not isinstance(refused.value, TooManyRequests)
    with pytest.raises(TooManyRequests):
        phone_code_check(phone="13900000000", code="123456", purpose=LOGIN, ip="10.0.0.7")


def test_a_malformed_number_is_refused_at_its_field(world):
    with pytest.raises(DomainError) as refused:
        _request("12345")
    assert refused.value.field == "phone"


def test_numbers_match_however_they_were_typed(world):
    typed = ["13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "(138)00138000"]
    residents = [
        ResidentFactory(household=world.household_a1, grid=world.grid_a1, phone=phone)
        for phone in typed
    ]
    ResidentFactory(household=world.household_a1, grid=world.grid_a1, phone="13800138001")
    assert list(residents_with_phone("+8613800138000")) == residents
