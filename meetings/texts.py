"""The SMS the meetings app sends to people without an account. Each names the community
and fits one 70-character segment with its link (tests/…/test_sms_texts.py checks every
one with the longest names of the demo); they are always written in the site's language,
whoever triggers them."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override


def short_when(moment) -> str:
    """12月10日19:00: the day and time a meeting starts, as short as an SMS needs."""
    local = timezone.localtime(moment)
    return _("%(month)d/%(day)d %(time)s") % {
        "month": local.month,
        "day": local.day,
        "time": local.strftime("%H:%M"),
    }


def short_day(moment) -> str:
    local = timezone.localtime(moment)
    return _("%(month)d/%(day)d") % {"month": local.month, "day": local.day}


def invitation_sms(meeting, url) -> str:
    with override(settings.LANGUAGE_CODE):
        return _("[Yishi] %(community)s invites you to a meeting on %(when)s. Answer: %(link)s") % {
            "community": meeting.community.name,
            "when": short_when(meeting.starts_at),
            "link": url,
        }


def changed_sms(meeting, url) -> str:
    with override(settings.LANGUAGE_CODE):
        return _("[Yishi] %(community)s: the meeting is now on %(when)s. Answer: %(link)s") % {
            "community": meeting.community.name,
            "when": short_when(meeting.starts_at),
            "link": url,
        }


def cancelled_sms(meeting) -> str:
    with override(settings.LANGUAGE_CODE):
        return _(
            "[Yishi] %(community)s: the meeting of %(when)s is cancelled. Sorry to trouble you."
        ) % {
            "community": meeting.community.name,
            "when": short_when(meeting.starts_at),
        }


def opinion_sms(window, url) -> str:
    with override(settings.LANGUAGE_CODE):
        return _("[Yishi] %(community)s asks your opinion, until %(day)s: %(link)s") % {
            "community": window.community.name,
            "day": short_day(window.closes_at),
            "link": url,
        }


def share_text(window, url) -> str:
    """What staff paste into the building's WeChat group: longer than an SMS, with the
    question itself."""
    return _(
        "%(community)s asks the residents of %(area)s about “%(question)s”. Give your "
        "opinion by %(day)s: %(link)s"
    ) % {
        "community": window.community.name,
        "area": window.area_name,
        "question": window.question,
        "day": short_day(window.closes_at),
        "link": url,
    }
