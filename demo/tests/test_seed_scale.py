from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F

from accounts.models import Role, User
from communities.models import Community, Grid, Household, Resident, Street
from core import audit
from issues.models import OPEN_STATUSES, Issue, Kind, Status
from meetings.models import AgendaItem, Meeting, Participant
from resolutions.models import ActionItem, Resolution

pytestmark = pytest.mark.django_db


def test_tiny_district_has_the_planned_sizes_and_realistic_proportions():
    out = StringIO()
    call_command("seed_scale", size="tiny", seed=3, stdout=out)

    assert "bench-staff" in out.getvalue()
    assert Street.objects.count() == 1
    assert Community.objects.count() == 2
    assert Grid.objects.count() == 4
    assert Resident.objects.count() == 300
    assert Issue.objects.count() == 200
    assert Meeting.objects.count() == 20
    assert ActionItem.objects.count() == 60
    assert Household.objects.count() == 120
    # Every resident lives in a household of a grid of their community.
    assert not Resident.objects.exclude(grid__community=F("community")).exists()

    statuses = dict(Issue.objects.values_list("status").annotate(n=Count("id")))
    assert statuses[Status.CLOSED] > 100  # most of two years' issues are closed
    assert sum(statuses.get(s, 0) for s in OPEN_STATUSES) > 0
    assert Issue.objects.filter(status=Status.MERGED, merged_into__isnull=False).exists()
    assert not Issue.objects.filter(status=Status.MERGED, merged_into__isnull=True).exists()
    disputes = Issue.objects.filter(kind=Kind.DISPUTE).count()
    assert 0 < disputes < 60  # a minority
    assert Issue.objects.filter(was_deferred=True).exists()
    assert Issue.objects.values("channel").distinct().count() >= 5
    assert Issue.objects.values("category").distinct().count() >= 8
    span = (
        Issue.objects.order_by("reported_at").first(),
        Issue.objects.order_by("-reported_at").first(),
    )
    assert (span[1].reported_at - span[0].reported_at).days > 300
    assert audit.about(Issue).count() >= 2 * Issue.objects.count()
    assert not Issue.objects.filter(channel="hotline", hotline_ticket="").exists()

    assert Participant.objects.count() >= 3 * Meeting.objects.count()
    assert AgendaItem.objects.exclude(issue=None).exists()
    assert Resolution.objects.count() > 0
    overdue = ActionItem.objects.filter(deadline__lt=span[1].reported_at.date()).exclude(
        status__in=[ActionItem.Status.DONE, ActionItem.Status.CANCELLED]
    )
    assert overdue.exists()
    assert ActionItem.objects.filter(status=ActionItem.Status.DONE).count() > overdue.count()
    assert Resident.objects.filter(is_party_member=True).exists()
    assert Resident.objects.filter(is_very_old=True).exists()

    for role in Role.values:
        user = User.objects.get(username=f"bench-{role.replace('_', '-')}")
        assert user.role == role and user.check_password("Yishi-bench-2026")
    assert User.objects.get(username="bench-resident").resident.reported_issues.exists()
    assert User.objects.get(username="bench-staff").communities.count() == 1


def test_refused_on_a_database_with_data_unless_forced():
    call_command("seed_scale", size="tiny", stdout=StringIO())

    with pytest.raises(CommandError, match="already holds"):
        call_command("seed_scale", size="tiny", stdout=StringIO())
    assert Community.objects.count() == 2

    call_command("seed_scale", size="tiny", force=True, seed=2, stdout=StringIO())
    assert Community.objects.count() == 4
    assert Issue.objects.count() == 400
    # The bench users now point at the second district.
    staff = User.objects.get(username="bench-staff")
    assert staff.communities.get().street.code.startswith("6502")


def test_an_unknown_size_is_a_clear_error():
    with pytest.raises(CommandError, match="Unknown size"):
        call_command("seed_scale", size="huge", stdout=StringIO())
    assert not Community.objects.exists()
