from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.utils import timezone

from communities.tests.factories import ResidentFactory
from reach.purposes import PURPOSES, Purpose, register_purpose
from reach.services import link_act


def _test_page(request, link):
    if request.method == "POST":
        link_act(link=link)
        return HttpResponse("done")
    return HttpResponse(f"page of {link.person.name if link.person else 'everyone'}")


@pytest.fixture
def purposes():
    """Two purposes of a pretend app: a personal one used once, and a public one."""
    saved = dict(PURPOSES)
    register_purpose(Purpose("test_once", "Test once", _test_page, single_use=True))
    register_purpose(Purpose("test_public", "Test public", _test_page, personal=False))
    yield
    PURPOSES.clear()
    PURPOSES.update(saved)


@pytest.fixture
def person(world):
    """A resident of community A without an account, with a mobile number on record."""
    return ResidentFactory(
        household=world.household_a1, grid=world.grid_a1, name="王大爷", phone="138 0013 8000"
    )


@pytest.fixture
def make_link(world, purposes, person):
    from reach.services import link_issue

    def make(*, purpose="test_once", target=None, who=person, days=3, step=""):
        return link_issue(
            purpose=purpose,
            target=target or world.community_a,
            person=who if purpose != "test_public" else None,
            community=world.community_a,
            expires_at=timezone.now() + timedelta(days=days),
            step=step,
        )

    return make


__all__ = ["ContentType"]
