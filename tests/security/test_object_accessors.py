"""Pages that open one object by its id read it through an accessor of the access package:
an object out of the user's scope is not there for them (404), whatever id is typed; one
they may see but not change is refused (403). The accessor reads the object in one query."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from access.issues import get_household_to_visit, get_summons_for_user
from access.meetings import get_agenda_item_for_user
from access.resolutions import get_objection_for_user
from access.scope import get_scope

pytestmark = pytest.mark.django_db


def _as(client, user):
    client.force_login(user)
    return client


def test_summons_of_another_community_is_not_found_and_stays_unreported(client, objects):
    summons = objects["summons"]
    url = reverse("issues:summons_report", args=[summons.pk])
    data = {"arrived_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "action_taken": "已到"}

    response = _as(client, objects["world"].staff_b).post(url, data)

    assert response.status_code == 404
    summons.refresh_from_db()
    assert summons.arrived_at is None and summons.action_taken == ""


def test_summoned_organization_sees_its_summons_but_does_not_record_the_report(objects):
    with pytest.raises(PermissionDenied):
        get_summons_for_user(objects["world"].org_contact, objects["summons"].pk, write=True)


def test_household_of_another_community_is_not_found_for_a_visit(client, objects):
    world = objects["world"]
    url = reverse("issues:visit_create", args=[world.household_b1.pk])

    assert _as(client, world.staff_a).get(url).status_code == 404


def test_household_of_another_grid_is_not_found_for_a_visit(client, objects):
    world = objects["world"]
    url = reverse("issues:visit_create", args=[world.household_a1.pk])

    assert _as(client, world.worker_a2).get(url).status_code == 404
    assert _as(client, world.worker_a1).get(url).status_code == 200


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("meetings:item_phase", {"phase": "free"}),
        ("meetings:opinion_add", {"kind": "opinion", "stance": "for", "text": "同意"}),
        ("meetings:item_decide", {"outcome": "consensus", "outcome_text": "同意"}),
    ],
)
def test_agenda_item_of_another_community_is_not_found(client, objects, name, data):
    item = objects["agenda_item"]
    url = reverse(name, args=[item.meeting_id, item.pk])

    response = _as(client, objects["world"].staff_b).post(url, data)

    assert response.status_code == 404
    item.refresh_from_db()
    assert (item.phase, item.outcome, item.opinions.count()) == ("waiting", "pending", 0)


def test_agenda_item_typed_under_another_meetings_address_is_not_found(client, objects):
    """The mediation is the staff's own too: the item is still not the mediation's."""
    item, mediation = objects["agenda_item"], objects["mediation"]
    url = reverse("meetings:item_decide", args=[mediation.pk, item.pk])

    assert _as(client, objects["world"].staff_a).post(url, {}).status_code == 404


def test_resolution_from_an_agenda_item_of_another_community_is_not_found(client, objects):
    url = reverse("resolutions:create", args=[objects["agenda_item"].pk])

    assert _as(client, objects["world"].staff_b).get(url).status_code == 404


def test_objection_of_another_community_is_not_found_and_stays_unanswered(client, objects):
    objection = objects["objection"]
    url = reverse("resolutions:objection_answer", args=[objection.pk])

    response = _as(client, objects["world"].staff_b).post(url, {"answer": "不予采纳"})

    assert response.status_code == 404
    objection.refresh_from_db()
    assert objection.answer == "" and objection.answered_by is None


def test_objector_sees_the_resolution_but_does_not_answer(objects):
    with pytest.raises(PermissionDenied):
        get_objection_for_user(
            objects["world"].resident_user_a, objects["objection"].pk, write=True
        )


@pytest.mark.parametrize("pk", ["x", None, 10**9])
def test_accessors_answer_404_to_ids_that_name_nothing(objects, pk):
    staff = objects["world"].staff_a
    for accessor in (get_summons_for_user, get_objection_for_user, get_agenda_item_for_user):
        with pytest.raises(Http404):
            accessor(staff, pk)
    with pytest.raises(Http404):
        get_household_to_visit(staff, pk)


def test_accessors_read_the_object_in_one_query(objects, django_assert_num_queries):
    world = objects["world"]
    staff, worker = world.staff_a, world.worker_a1
    get_scope(staff), get_scope(worker)
    item = objects["agenda_item"]

    # Each: the object with what its page shows, its scope as a subquery.
    with django_assert_num_queries(1):
        get_summons_for_user(staff, objects["summons"].pk, write=True)
    with django_assert_num_queries(1):
        get_household_to_visit(worker, world.household_a1.pk)
    with django_assert_num_queries(1):
        get_agenda_item_for_user(worker, item.pk, meeting_pk=item.meeting_id, write=True)
    with django_assert_num_queries(1):
        get_objection_for_user(staff, objects["objection"].pk, write=True)
