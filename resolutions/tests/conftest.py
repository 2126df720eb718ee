import pytest
from django.conf import settings
from django.utils import translation

from . import factories


@pytest.fixture(autouse=True)
def _english(client):
    """These tests read the English msgids; the product speaks Chinese by default."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def published(world):
    return factories.resolution(world, status="published")
