"""The data migration that moved the issues' own timeline into the one timeline loses
nothing: every event arrives with its time, actor, statuses, note and data, under the
code the trail names, and a meeting's finalised minutes get their own code."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("issues", "0005_drop_indexes_covered_by_composites"),
    ("core", "0005_audit_action_codes"),
]
AFTER = [("issues", "0006_events_into_timeline"), ("core", "0007_timeline_rows")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_issue_events_move_into_the_timeline_and_back():
    old = _migrate(BEFORE)
    try:
        Community = old.get_model("communities", "Community")
        Street = old.get_model("communities", "Street")
        Category = old.get_model("issues", "Category")
        Issue = old.get_model("issues", "Issue")
        IssueEvent = old.get_model("issues", "IssueEvent")
        AuditEntry = old.get_model("core", "AuditEntry")
        ContentType = old.get_model("contenttypes", "ContentType")
        User = old.get_model("accounts", "User")
        street = Street.objects.create(name="迁移街道", code="990000000000")
        community = Community.objects.create(
            street=street, name="迁移社区", area_code="990000000001"
        )
        category = Category.objects.create(name="环境", code="m-env")
        issue = Issue.objects.create(
            community=community,
            category=category,
            title="楼道堆物",
            description="描述",
            reported_at=dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC),
        )
        user = User.objects.create(username="m-staff")
        when = dt.datetime(2026, 3, 2, 10, 30, tzinfo=dt.UTC)
        events = [
            ("transition", "accept", "reported", "accepted", "", {}),
            ("comment", "", "", "", "物业已到场", {}),
            ("comment", "hotline_answer", "", "", "已答复来电人", {"ticket": "T1"}),
            ("note", "", "", "", "召集：城管", {"summons": 5}),
            ("note", "", "", "", "添加了 2 张照片", {}),
            ("summons", "", "", "", "城管：已清理", {"summons": 5}),
            ("merge", "merge", "", "", "重复议题", {"merged_issue": 9}),
            ("edit", "assign", "", "", "指派给 张三", {"assignee": 3}),
        ]
        for kind, action, source, target, note, data in events:
            event = IssueEvent.objects.create(
                issue=issue,
                kind=kind,
                action=action,
                from_status=source,
                to_status=target,
                actor=user,
                note=note,
                data=data,
            )
            IssueEvent.objects.filter(pk=event.pk).update(created_at=when)
        meeting_type, _ = ContentType.objects.get_or_create(app_label="meetings", model="meeting")
        AuditEntry.objects.create(
            content_type=meeting_type,
            object_id=1,
            object_repr="月度议事会",
            action="close",
            changes={"status": ["ended", "closed"]},
        )

        new = _migrate(AFTER)
        Timeline = new.get_model("core", "AuditEntry")
        issue_type = new.get_model("contenttypes", "ContentType").objects.get(
            app_label="issues", model="issue"
        )
        rows = Timeline.objects.filter(content_type=issue_type, object_id=issue.pk).order_by("pk")
        assert [
            (r.action, r.from_status, r.to_status, r.note, r.data, r.actor_id, r.created_at)
            for r in rows
        ] == [
            ("accept", "reported", "accepted", "", {}, user.pk, when),
            ("comment", "", "", "物业已到场", {}, user.pk, when),
            ("hotline_answer", "", "", "已答复来电人", {"ticket": "T1"}, user.pk, when),
            ("summon", "", "", "召集：城管", {"summons": 5}, user.pk, when),
            ("note", "", "", "添加了 2 张照片", {}, user.pk, when),
            ("summons", "", "", "城管：已清理", {"summons": 5}, user.pk, when),
            ("absorb", "", "", "重复议题", {"merged_issue": 9}, user.pk, when),
            ("assign", "", "", "指派给 张三", {"assignee": 3}, user.pk, when),
        ]
        assert {r.community_id for r in rows} == {community.pk}
        minutes = Timeline.objects.get(content_type__model="meeting", object_id=1)
        assert (minutes.action, minutes.from_status, minutes.to_status, minutes.changes) == (
            "finalise",
            "ended",
            "closed",
            {},
        )

        back = _migrate(BEFORE)
        assert back.get_model("issues", "IssueEvent").objects.filter(issue_id=issue.pk).count() == 8
        assert (
            not back.get_model("core", "AuditEntry")
            .objects.filter(content_type__model="issue")
            .exists()
        )
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_patrols_recorded_before_phones_named_them_each_get_their_own_id():
    """Patrols get a client id, unique: the ones already recorded each get a new one."""
    old = _migrate([("issues", "0006_events_into_timeline")])
    try:
        Community = old.get_model("communities", "Community")
        Street = old.get_model("communities", "Street")
        Grid = old.get_model("communities", "Grid")
        Patrol = old.get_model("issues", "Patrol")
        User = old.get_model("accounts", "User")
        street = Street.objects.create(name="迁移街道", code="990000000000")
        community = Community.objects.create(
            street=street, name="迁移社区", area_code="990000000001"
        )
        grid = Grid.objects.create(community=community, name="第1网格", code="990000000001001")
        worker = User.objects.create(username="m-worker")
        started = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
        pks = [
            Patrol.objects.create(grid=grid, worker=worker, started_at=started).pk for _ in range(3)
        ]

        new = _migrate([("issues", "0009_patrol_client_id_unique")])
        ids = list(
            new.get_model("issues", "Patrol")
            .objects.filter(pk__in=pks)
            .values_list("client_id", flat=True)
        )
        assert len(ids) == 3 and None not in ids and len(set(ids)) == 3
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
