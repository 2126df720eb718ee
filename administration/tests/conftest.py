import pytest

from accounts.models import Role
from accounts.tests.factories import UserFactory
from communities.tests.factories import CommunityFactory, StreetFactory


@pytest.fixture
def head_a(world):
    return world.head_a


@pytest.fixture
def other_street(db):
    """A second street, with a community and its own street admin and head."""
    street = StreetFactory(name="另一街道")
    community = CommunityFactory(street=street, name="丙社区")
    admin = UserFactory(username="admin_other", role=Role.STREET_ADMIN, streets=[street])
    head = UserFactory(username="head_c", role=Role.STAFF, is_head=True, communities=[community])
    return {"street": street, "community": community, "admin": admin, "head": head}
