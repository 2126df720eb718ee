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


def test_optional_item_and_cost_share_rows_show_no_required_markers(client, world):
    """The resolution form's extra action-item row and the cost split's party rows may stay
    empty: their labels carry no asterisk, the resolution's own title does."""
    issue = factories.issue(world)
    agenda_item = factories.agenda_item(world, issue)
    client.force_login(world.staff_a)
    page = client.get(reverse("resolutions:create", args=[agenda_item.pk])).content.decode()
    rows = page[page.index('name="items-TOTAL_FORMS"') :]
    head = page[: page.index('name="items-TOTAL_FORMS"')]
    assert "asteriskField" in head and "asteriskField" not in rows
    resolution = factories.resolution(world)
    item = resolution.items.get()
    page = client.get(reverse("resolutions:cost_split", args=[item.pk])).content.decode()
    assert "TOTAL_FORMS" in page  # the party rows are there
    assert "asteriskField" not in page
