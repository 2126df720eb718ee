"""A deployment whose short links are too long for one SMS segment is told at start-up."""

from django.conf import settings
from django.core.checks import Warning, register

# The longest SMS (an invitation naming a six-character community at 12月31日23:59) leaves
# this much room for the address in front of /s/<token>.
LONGEST_SHORT_LINK_URL = 24


@register()
def short_link_url_fits_an_sms(app_configs, **kwargs):
    if len(settings.SHORT_LINK_URL) <= LONGEST_SHORT_LINK_URL:
        return []
    return [
        Warning(
            f"SHORT_LINK_URL ({settings.SHORT_LINK_URL}) is longer than "
            f"{LONGEST_SHORT_LINK_URL} characters: invitation SMS will not fit one segment.",
            hint="Serve /s/ from a short domain of its own and set SHORT_LINK_URL to it.",
            id="reach.W001",
        )
    ]
