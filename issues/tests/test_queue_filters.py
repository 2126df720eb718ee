"""The staff work queue and the API filter issues through one function
(issues.selectors.issues_filter): the same filters list the same issues in both."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from issues.models import Issue

pytestmark = pytest.mark.django_db


def test_queue_and_api_list_the_same_issues_for_the_same_filters(client, world, make_issue):
    lamp = make_issue(title="路灯不亮", urgency="urgent")
    make_issue(title="楼道堆物", compound=world.compound_a1)
    late = make_issue(title="下水道堵塞")
    Issue.objects.filter(pk=late.pk).update(accept_deadline=timezone.now() - timedelta(hours=1))
    client.force_login(world.staff_a)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world.staff_a).key}")

    for query, expected in (
        ({"q": "路灯"}, {lamp.pk}),
        ({"urgency": "urgent"}, {lamp.pk}),
        ({"overdue": "1"}, {late.pk}),
        ({"compound": world.compound_a1.pk, "status": "reported"}, None),
    ):
        page = client.get(reverse("issues:list"), query).context["page_obj"]
        queue = {issue.pk for issue in page.object_list}
        listed = api.get("/api/v1/issues/", query)
        assert {row["id"] for row in listed.json()["results"]} == queue, query
        if expected is not None:
            assert queue == expected, query
