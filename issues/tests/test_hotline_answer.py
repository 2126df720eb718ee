"""Answering the 12345 callers (答复): the issue's own ticket and the tickets merged into it
are answered at once, each on its own timeline, and only by those who work the issue."""

import pytest
from django.urls import reverse

from core import audit
from core.audit import timeline_of
from issues.models import Issue
from issues.services import HOTLINE_ANSWER, hotline_answer, hotline_tickets_of, issue_merge
from lib.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def tickets(make_issue, world):
    """Three 12345 calls about the same ground locks: the first kept, two merged into it."""
    calls = [
        make_issue(channel="hotline", hotline_ticket=f"YC0{n}", hotline_type="complaint")
        for n in range(1, 4)
    ]
    for duplicate in calls[1:]:
        issue_merge(issue=duplicate, into=calls[0], actor=world.staff_a, note="同一地锁问题")
    return calls


def test_answering_the_issue_answers_every_ticket_merged_into_it(tickets, world):
    kept = tickets[0]
    answered = hotline_answer(issue=kept, actor=world.staff_a, answer="地锁已全部拆除。")
    assert [t.hotline_ticket for t in answered] == ["YC01", "YC02", "YC03"]
    for call in tickets:
        event = timeline_of(call).get(action=HOTLINE_ANSWER)
        assert "地锁已全部拆除" in event.note
    assert all(t.answered_at for t in hotline_tickets_of(kept))
    # Nothing is left to answer: a second answer is refused, not recorded twice.
    with pytest.raises(DomainError):
        hotline_answer(issue=kept, actor=world.staff_a, answer="再次答复")
    assert audit.about(Issue).filter(action=HOTLINE_ANSWER).count() == 3


def test_only_those_who_work_the_issue_answer_its_callers(tickets, world):
    with pytest.raises(DomainError):
        hotline_answer(issue=tickets[0], actor=world.street_admin, answer="已答复")
    with pytest.raises(DomainError):
        hotline_answer(issue=tickets[0], actor=world.staff_a, answer="  ")
    assert not audit.about(Issue).filter(action=HOTLINE_ANSWER).exists()


def test_issue_page_shows_the_tickets_and_records_the_answer(client, tickets, world):
    kept = tickets[0]
    url = reverse("issues:detail", args=[kept.pk])
    answer_url = reverse("issues:hotline_answer", args=[kept.pk])
    client.force_login(world.staff_a)
    body = client.get(url).content.decode()
    assert "YC01" in body and "YC02" in body and "YC03" in body
    assert answer_url in body
    response = client.post(answer_url, {"answer": "地锁已全部拆除，车位重新施划。"})
    assert response.status_code == 302
    body = client.get(url).content.decode()
    assert answer_url not in body  # every ticket answered: no form any more
    assert body.count("Answered ") + body.count("已于") >= 3
    # The worker of another grid sees the issue but does not work it: no answering.
    client.force_login(world.worker_a2)
    assert client.post(answer_url, {"answer": "x"}).status_code == 403
