"""The SMS the resolutions app sends to reporters and parties without an account. Each
names the community and fits one 70-character segment with its link; they are written in
the site's language whoever triggers them."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override


def outcome_sms(community, url) -> str:
    with override(settings.LANGUAGE_CODE):
        return _("[Yishi] %(community)s: what you reported has an outcome. Follow it: %(link)s") % {
            "community": community.name,
            "link": url,
        }


def evaluation_sms(community, url) -> str:
    with override(settings.LANGUAGE_CODE):
        return _("[Yishi] %(community)s: the work you reported is done. Rate it: %(link)s") % {
            "community": community.name,
            "link": url,
        }


def revisit_sms(community, url) -> str:
    with override(settings.LANGUAGE_CODE):
        return _("[Yishi] %(community)s revisits: is all well now? Tell us: %(link)s") % {
            "community": community.name,
            "link": url,
        }
