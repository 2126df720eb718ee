"""The crawler of tests/test_crawl_demo.py finds what it is there to find."""

import pytest

from tests.crawl import Crawler, Link, _LinkParser


@pytest.mark.django_db
def test_the_crawler_reports_the_page_and_text_of_a_dead_link(client, world):
    client.force_login(world.staff_a)
    result = Crawler(client).crawl("/issues/999999/")
    assert [(f.status, f.link.url, f.link.text) for f in result.failures] == [
        (404, "/issues/999999/", "(start)")
    ]
    assert str(result.failures[0]) == "404 /issues/999999/ (link '(start)' on (start))"


def test_the_link_parser_reads_links_forms_and_htmx_requests():
    parser = _LinkParser()
    parser.feed(
        '<a href="/issues/1/">#1 <b>漏水</b></a>'
        '<a href="/notifications/" aria-label="通知"><i class="bi bi-bell"></i></a>'
        '<form action="/issues/"><input name="q"></form>'
        '<form method="post" action="/issues/1/comment/"></form>'
        '<input hx-get="/communities/lookup/resident/" name="resident">'
        '<img src="/static/img/favicon.svg" alt="">'
    )
    assert parser.links == [
        ("/issues/1/", "#1 漏水", False),
        ("/notifications/", "通知", False),
        ("/issues/", "form ", False),
        ("/communities/lookup/resident/", "hx-get on resident", True),
    ]
    assert parser.assets == ["/static/img/favicon.svg"]
    assert Link("/x/", "y", "/z/").describe() == "/x/ (link 'y' on /z/)"
