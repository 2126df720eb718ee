"""The demo as every one of its logins meets it:

- no dead links: starting from their home page, each follows every link to this site on
  every page they reach, and none answers 4xx or 5xx. Pages of one URL pattern are
  sampled (tests/crawl.py); every pattern a page links to is visited at least once per role;
- correct Chinese: each reads its key pages in zh-hans, with no English left and none of the
  known mistranslations (tests/terminology.py).

Loading the demo is the heavy part (33 s of CPU on PostgreSQL): it is loaded once for this
module, inside a transaction rolled back at the end, so the rest of the suite never sees
it. Both tests run in one module so that the demo is built once.
"""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from accounts.models import User
from tests.crawl import Crawler
from tests.demo_logins import DEMO_LOGINS
from tests.terminology import meetings_in_every_state, read_pages

ANONYMOUS = "(anonymous visitor)"

# Pages a visitor opens without a link: the home page, and the public board that
# posters' QR codes and SMS texts point to.
ANONYMOUS_STARTS = ("/", "/resolutions/board/")


def _never_requested(path):
    # Logging out ends the crawl's session (it is a POST form anyway).
    return path.startswith("/accounts/logout")


def _not_parsed(path):
    # The Django admin is Django's own: its index is checked, its pages are not crawled.
    return path.startswith("/admin/")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def _crawl(username):
    client = Client()
    starts = ANONYMOUS_STARTS
    if username != ANONYMOUS:
        client.force_login(User.objects.get(username=username))
        starts = ("/",)
    crawler = Crawler(client, skip=_never_requested, no_follow=_not_parsed)
    return crawler.crawl(*starts)


@pytest.mark.django_db
def test_every_demo_role_meets_no_dead_link(demo):
    assert not settings.DEBUG, "a debug 404 page is not what users see"
    failures, reached = [], {}
    for username in [*DEMO_LOGINS, ANONYMOUS]:
        result = _crawl(username)
        reached[username] = {name for name, _slugs, _kwargs in result.patterns}
        failures += [f"{username}: {failure}" for failure in result.failures]
    assert not failures, "Dead links:\n" + "\n".join(failures)
    # The crawl went where the work is (a crawl stopped at the home page finds nothing).
    assert {"issues:detail", "meetings:detail", "resolutions:detail"} <= reached["huangyaru"]
    assert {"issues:detail", "meetings:detail"} <= reached["changcheng"]
    assert {"resolutions:item_detail", "resolutions:detail"} <= reached["aohai_sunli"]
    assert {"issues:detail", "resolutions:public_detail"} <= reached["liujianhua"]
    assert "resolutions:public_detail" in reached[ANONYMOUS]


@pytest.mark.django_db
def test_every_key_page_of_every_demo_login_reads_in_chinese(demo, client):
    meetings_in_every_state()
    found = {}
    for username in [*DEMO_LOGINS, None]:
        user = User.objects.get(username=username) if username else None
        client.logout()
        if user is not None:
            client.force_login(user)
        for url, problems in read_pages(client, user).items():
            found[f"{username or 'anonymous'} {url}"] = problems

    assert found == {}
