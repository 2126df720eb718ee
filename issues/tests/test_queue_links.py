"""The work queue offers to log an issue only to those who may log one."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_empty_queue_offers_logging_an_issue_only_to_those_who_may(client, world):
    url = reverse("issues:list") + "?status=to_deliberate"
    create = reverse("issues:create")

    client.force_login(world.street_admin)
    response = client.get(url)
    assert response.status_code == 200
    assert create not in response.content.decode()
    assert "没有符合条件的议题。请调整筛选条件。" in response.content.decode()
    assert client.get(create).status_code == 403

    client.force_login(world.staff_a)
    assert create in client.get(url).content.decode()
