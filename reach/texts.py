"""The SMS this app sends. Every SMS names the community and fits one 70-character
segment (notifications.sms.SEGMENT); tests check each one with the longest names of the
demo."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override


def code_text(*, community: str, code: str, minutes: int) -> str:
    with override(settings.LANGUAGE_CODE):
        return _(
            "[Yishi] %(community)s: your code is %(code)s, valid for %(minutes)d minutes. "
            "Tell it to no one."
        ) % {"community": community, "code": code, "minutes": minutes}
