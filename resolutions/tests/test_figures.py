"""A resolution's progress is one figure: the staff list, its page, the public board, the
public page and the API show the same numbers, counted by resolutions.selectors."""

import re

from django.urls import reverse

from resolutions.models import ActionItem

from . import factories


def _progress_bars(html):
    return [int(n) for n in re.findall(r'role="progressbar"[^>]*aria-valuenow="(\d+)"', html)]


def _confirmed(html):
    return re.findall(r'data-figure="items-confirmed">([^<]*)<', html)


def test_progress_and_item_counts_agree_on_every_page(client, world):
    resolution = factories.resolution(
        world, status="published", items=[factories.item_fields(world)] * 3
    )
    first, second, third = resolution.items.order_by("pk")
    # 10 % and 15 %: a mean of 12.5, which one rounding makes 13 and another 12; the
    # third item is cancelled and counts nowhere.
    ActionItem.objects.filter(pk=first.pk).update(percent=10)
    ActionItem.objects.filter(pk=second.pk).update(percent=15)
    ActionItem.objects.filter(pk=third.pk).update(status=ActionItem.Status.CANCELLED)

    board = client.get(reverse("resolutions:board")).content.decode()
    public = client.get(reverse("resolutions:public_detail", args=[resolution.pk]))
    public = public.content.decode()
    client.force_login(world.staff_a)
    listed = client.get(reverse("resolutions:list")).content.decode()
    detail = client.get(reverse("resolutions:detail", args=[resolution.pk])).content.decode()
    api = client.get(f"/api/v1/resolutions/{resolution.pk}/").json()

    # The resolution's bar comes first on each page; the items' own bars follow.
    assert [_progress_bars(page)[0] for page in (board, public, listed, detail)] == [13] * 4
    assert api["progress"] == 13
    assert {text for page in (board, public, listed, detail) for text in _confirmed(page)} == {
        "0 of 2 items confirmed"
    }
    assert (api["item_count"], api["done_count"]) == (2, 0)
