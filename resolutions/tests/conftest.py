import pytest

from . import factories


@pytest.fixture
def published(world):
    return factories.resolution(world, status="published")
