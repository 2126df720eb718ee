"""Records for report tests, built directly with the fields the reports read."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from core import audit
from issues.models import Category, Issue
from meetings.models import Meeting, Participant
from reports.metrics import SHANGHAI
from resolutions.models import ActionItem, Evaluation, Resolution


def sh(year, month, day, hour=12, minute=0):
    """An aware datetime in Asia/Shanghai."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"类别{n}")
    code = factory.Sequence(lambda n: f"cat-{n}")


class IssueFactory(DjangoModelFactory):
    class Meta:
        model = Issue

    title = factory.Sequence(lambda n: f"议题{n}")
    description = "描述"
    channel = "walk_in"
    category = factory.SubFactory(CategoryFactory)
    reported_at = factory.LazyFunction(lambda: sh(2026, 10, 10))


def EventFactory(*, issue, action, actor=None, at=None):
    """A row on the issue's timeline, at a given time."""
    event = audit.record(actor=actor, obj=issue, action=action)
    if at is not None:
        type(event).objects.filter(pk=event.pk).update(created_at=at)
    return event


class EvaluationFactory(DjangoModelFactory):
    class Meta:
        model = Evaluation

    rating = Evaluation.Rating.SATISFIED

    @classmethod
    def _create(cls, model_class, *args, at=None, **kwargs):
        evaluation = super()._create(model_class, *args, **kwargs)
        if at is not None:
            model_class.objects.filter(pk=evaluation.pk).update(created_at=at)
        return evaluation


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    form = "courtyard_council"
    title = factory.Sequence(lambda n: f"议事会{n}")
    venue = "议事亭"
    starts_at = factory.LazyFunction(lambda: sh(2026, 10, 15, 9))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    status = Meeting.Status.CLOSED


class ParticipantFactory(DjangoModelFactory):
    class Meta:
        model = Participant

    role = "representative"
    name = factory.Sequence(lambda n: f"代表{n}")


class ResolutionFactory(DjangoModelFactory):
    class Meta:
        model = Resolution

    title = factory.Sequence(lambda n: f"决议{n}")
    text = "议定内容"
    status = Resolution.Status.PUBLISHED


class ActionItemFactory(DjangoModelFactory):
    class Meta:
        model = ActionItem

    measure = factory.Sequence(lambda n: f"措施{n}")
    starts_on = dt.date(2026, 9, 1)
    deadline = dt.date(2026, 10, 20)
