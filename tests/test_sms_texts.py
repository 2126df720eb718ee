"""Every SMS the product writes names the community and fits one 70-character segment
(longer ones are split and billed twice, and old phones show them out of order): checked
for each kind of message with the longest community names of the demo, the widest date and
the demo's address for short links."""

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from demo.world import STREETS
from meetings import texts as meeting_texts
from notifications.sms import SEGMENT, default_text
from reach.services import TOKEN_LENGTH
from reach.texts import code_text
from resolutions import texts as resolution_texts

COMMUNITIES = sorted(
    (community.name for street in STREETS for community in street.communities),
    key=len,
    reverse=True,
)
LONGEST = [name for name in COMMUNITIES if len(name) == len(COMMUNITIES[0])]
# 12月31日23:59: the widest day and time.
WIDEST = datetime(2026, 12, 31, 23, 59, tzinfo=ZoneInfo("Asia/Shanghai"))


def _link(settings):
    return f"{settings.SHORT_LINK_URL}/s/{'x' * TOKEN_LENGTH}"


def _messages(community, settings):
    place = SimpleNamespace(name=community)
    meeting = SimpleNamespace(community=place, starts_at=WIDEST)
    window = SimpleNamespace(community=place, closes_at=WIDEST)
    link = _link(settings)
    return {
        "invitation": meeting_texts.invitation_sms(meeting, link),
        "meeting changed": meeting_texts.changed_sms(meeting, link),
        "meeting cancelled": meeting_texts.cancelled_sms(meeting),
        "opinion asked": meeting_texts.opinion_sms(window, link),
        "outcome": resolution_texts.outcome_sms(place, link),
        "evaluation request": resolution_texts.evaluation_sms(place, link),
        "revisit": resolution_texts.revisit_sms(place, link),
        "phone code": code_text(community=community, code="123456", minutes=10),
        "reminder without a text of its own": default_text(community, "整改事项已逾期" * 10),
    }


def test_the_demo_has_community_names_to_check():
    assert LONGEST and len(LONGEST[0]) >= 6


@pytest.mark.parametrize("community", LONGEST)
@pytest.mark.parametrize(
    "address",
    [
        "http://127.0.0.1:8000",  # the demo's
        "https://yishi.example.cn",  # as long as reach.checks lets it be, silently
    ],
)
def test_every_sms_names_the_community_and_fits_one_segment(community, address, settings):
    from reach.checks import LONGEST_SHORT_LINK_URL

    assert len(address) <= LONGEST_SHORT_LINK_URL
    settings.SHORT_LINK_URL = address
    for kind, text in _messages(community, settings).items():
        assert text.startswith("【议事】"), kind
        assert community in text, kind
        assert len(text) <= SEGMENT, f"{kind}: {len(text)} characters: {text}"


def test_messages_with_a_link_carry_it_whole_at_the_end(settings):
    settings.SHORT_LINK_URL = "http://127.0.0.1:8000"
    for kind, text in _messages(LONGEST[0], settings).items():
        if "/s/" in text:
            assert text.endswith(_link(settings)), kind


def test_a_short_link_address_too_long_for_an_sms_is_warned_at_start_up(settings):
    from reach.checks import short_link_url_fits_an_sms

    settings.SHORT_LINK_URL = "http://127.0.0.1:8000"
    assert short_link_url_fits_an_sms(None) == []
    settings.SHORT_LINK_URL = "https://yishi.jinfengqu.example.gov.cn"
    assert [w.id for w in short_link_url_fits_an_sms(None)] == ["reach.W001"]
