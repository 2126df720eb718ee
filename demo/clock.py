"""Put demo events at their place in time, without patching the clock.

The services stamp what they write with `timezone.now()`. The demo builds each story
through those services, marking before each step the moment the step is meant to have
happened (`clock.at(when)`). At the end `clock.apply()` moves, with plain bulk updates,
every timestamp written while the demo was being built from the real moment to the
intended one: a value written between two marks keeps its offset from the earlier mark.
Dates the services derive from "today" (deadlines, on-time flags, publication and
evaluation dates) are then recomputed from the moved timestamps.
"""

from datetime import datetime, time, timedelta

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

# The apps whose rows the stories write through services.
APPS = ("issues", "meetings", "resolutions", "notifications", "reach", "core")
SKIP = {("reports", "reportsnapshot")}


def local(day, hour=9, minute=0):
    """An aware datetime on `day` (a date) at the given time of the project's zone
    (Asia/Shanghai), whatever zone happens to be active."""
    return timezone.make_aware(
        datetime.combine(day, time(hour, minute)), timezone.get_default_timezone()
    )


def ago(days, hour=9, minute=0):
    """`days` before today at a local time; never later than an hour ago."""
    today = timezone.localdate(timezone=timezone.get_default_timezone())
    when = local(today - timedelta(days=days), hour, minute)
    latest = timezone.now() - timedelta(hours=1)
    return min(when, latest)


def ahead(days, hour=9, minute=0):
    """`days` after today at a local time."""
    return local(timezone.localdate() + timedelta(days=days), hour, minute)


class Clock:
    def __init__(self):
        from issues.models import Issue
        from notifications.models import Delivery
        from resolutions.models import Resolution

        self.first_delivery = (
            Delivery.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ) + 1
        self.started = timezone.now()
        self.marks: list[tuple[datetime, datetime]] = []
        self.first_issue = (
            Issue.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ) + 1
        self.first_resolution = (
            Resolution.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ) + 1

    def at(self, when):
        """The writes that follow happened at `when` (until the next mark)."""
        self.marks.append((timezone.now(), when))
        return when

    def moved(self, value):
        """Where `value`, a timestamp written during the build, will be moved to."""
        return self._target(value)

    def _target(self, value):
        # The last mark at or before the value decides (marks are in real order).
        chosen = None
        for real, target in self.marks:
            if real <= value:
                chosen = (real, target)
            else:
                break
        if chosen is None:
            return value
        return value - chosen[0] + chosen[1]

    def apply(self):
        if not self.marks:
            return
        first = self.marks[0][0]
        for app_label in APPS:
            for model in apps.get_app_config(app_label).get_models():
                if (model._meta.app_label, model._meta.model_name) in SKIP:
                    continue
                for field in model._meta.concrete_fields:
                    if not isinstance(field, models.DateTimeField):
                        continue
                    rows = model.objects.filter(**{f"{field.attname}__gte": first}).values_list(
                        "pk", field.attname
                    )
                    changed = []
                    for pk, value in rows:
                        moved = self._target(value)
                        if moved != value:
                            obj = model(pk=pk)
                            setattr(obj, field.attname, moved)
                            changed.append(obj)
                    if changed:
                        model.objects.bulk_update(changed, [field.attname], batch_size=500)
        self._recompute(first)

    def _recompute(self, first):
        from issues.models import Issue
        from issues.services import _deadline, time_limit_for
        from resolutions.models import ActionItem, Resolution

        # Deadlines are counted from the moved moments: acceptance from the report, handling
        # from the acceptance. (The services counted them from the real moment, and a
        # deadline in the real future would otherwise follow the last mark of the build,
        # not the step that set it: an issue could be overdue before it was reported.)
        issues = list(Issue.objects.filter(pk__gte=self.first_issue).select_related("category"))
        limits = {}
        for issue in issues:
            key = (issue.category_id, issue.urgency)
            if key not in limits:
                limits[key] = time_limit_for(category=issue.category, urgency=issue.urgency)
            limit = limits[key]
            if limit is None:
                continue
            issue.accept_deadline = _deadline(issue.reported_at, limit.accept_within, limit.unit)
            if issue.accepted_at is None:
                continue
            issue.handle_deadline = _deadline(issue.accepted_at, limit.handle_within, limit.unit)
            if issue.closed_at:
                issue.closed_on_time = issue.closed_at <= issue.handle_deadline
        Issue.objects.bulk_update(
            issues, ["accept_deadline", "handle_deadline", "closed_on_time"], batch_size=500
        )

        items = list(
            ActionItem.objects.filter(
                resolution__pk__gte=self.first_resolution, confirmed_at__isnull=False
            )
        )
        for item in items:
            item.done_on_time = timezone.localdate(item.confirmed_at) <= item.deadline
        ActionItem.objects.bulk_update(items, ["done_on_time"], batch_size=500)

        today = timezone.localdate(self.started)
        days = settings.YISHI["PUBLICATION_DAYS"]
        period = settings.YISHI["EVALUATION_PERIOD_DAYS"]
        changed = []
        resolutions = Resolution.objects.filter(
            pk__gte=self.first_resolution, adopted_at__isnull=False
        ).prefetch_related("items")
        for resolution in resolutions:
            adopted = timezone.localdate(resolution.adopted_at)
            if resolution.publication_starts == today and adopted < today:
                # Published when adopted, for the period the story gave (or the default).
                length = (
                    (resolution.publication_ends - resolution.publication_starts).days
                    if resolution.publication_ends
                    else days
                )
                resolution.publication_starts = adopted
                resolution.publication_ends = adopted + timedelta(days=length)
            confirmed = [i.confirmed_at for i in resolution.items.all() if i.confirmed_at]
            if resolution.evaluation_due and resolution.evaluation_due >= today and confirmed:
                done = timezone.localdate(max(confirmed))
                if done < today - timedelta(days=1):
                    resolution.evaluation_due = done + timedelta(days=period)
            changed.append(resolution)
        Resolution.objects.bulk_update(
            changed, ["publication_starts", "publication_ends", "evaluation_due"], batch_size=500
        )
