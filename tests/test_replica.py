"""Reports, dashboards and exports read from a real PostgreSQL hot standby (lib.replica).

The fixture makes a streaming replica of the PostgreSQL cluster the tests run on:
pg_basebackup of the cluster into a temporary directory, started with pg_ctl on a free
port, as the `postgres` user when the tests run as root. bin/test-setup lets the local
cluster accept replication connections from 127.0.0.1. Anything missing fails the test
with what to do: it is never skipped. The standby is stopped and removed afterwards.

Replaying the standby's WAL is paused to make it differ from the primary: a row written
on the primary is then missing from the pages read from the replica, and appears once
replay resumes; the query log of each connection says which database answered."""

import contextvars
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connections
from django.db.utils import load_backend
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lib import replica
from reports.tests.factories import IssueFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Settings a hot standby must hold at least as high as its primary.
AT_LEAST_PRIMARY = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(command, *, as_postgres, tries=1, **kwargs):
    """Run a PostgreSQL program; as root, as the postgres user (the server refuses root)."""
    if as_postgres and os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    for _ in range(tries):
        result = subprocess.run(command, capture_output=True, text=True, **kwargs)
        if result.returncode == 0:
            break
    if result.returncode != 0:
        pytest.fail(
            f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}{result.stderr}\n"
            "The replica test needs the PostgreSQL server programs and replication "
            "connections from 127.0.0.1 (bin/test-setup adds them to pg_hba.conf).",
            pytrace=False,
        )
    return result


def _primary_value(sql, params=()):
    with connections["default"].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@pytest.fixture(scope="module")
def standby(django_db_setup, django_db_blocker):
    """A hot standby of the test cluster: (port, alias settings)."""
    with django_db_blocker.unblock():
        version = int(_primary_value("SHOW server_version_num")[0][0]) // 10000
        minimums = dict(
            _primary_value(
                "SELECT name, setting FROM pg_settings WHERE name IN %s", [AT_LEAST_PRIMARY]
            )
        )
    primary = connections["default"].settings_dict
    binaries = Path(f"/usr/lib/postgresql/{version}/bin")
    if not (binaries / "pg_ctl").exists():
        pytest.fail(f"PostgreSQL {version}'s server programs are not in {binaries}.", pytrace=False)
    directory = Path(tempfile.mkdtemp(prefix="yishi-standby-"))
    data = directory / "data"
    port = _free_port()
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(directory, account.pw_uid, account.pw_gid)
    try:
        _run(
            [
                str(binaries / "pg_basebackup"),
                f"--host={primary['HOST'] or '127.0.0.1'}",
                f"--port={primary['PORT'] or 5432}",
                f"--username={primary['USER']}",
                f"--pgdata={data}",
                "--write-recovery-conf",
                "--wal-method=stream",
                "--checkpoint=fast",
                "--no-sync",
                # No temporary replication slot: a busy shared cluster's checkpoints
                # (CREATE DATABASE of other test runs) were seen to end the backup's WAL
                # stream to release it. The stream keeps up without one.
                "--no-slot",
            ],
            as_postgres=True,
            timeout=600,
            # Another test run on the same cluster may still cut a copy short: try again.
            tries=3,
        )
        # The Debian cluster keeps its configuration outside its data directory: the
        # standby gets its own, on its own port and socket directory.
        lines = [
            f"port = {port}",
            "listen_addresses = '127.0.0.1'",
            f"unix_socket_directories = '{directory}'",
            "hot_standby = on",
            "fsync = off",
            *(f"{name} = {value}" for name, value in minimums.items()),
        ]
        _write_as_postgres(data / "postgresql.conf", "\n".join(lines) + "\n")
        _write_as_postgres(
            data / "pg_hba.conf", "local all all trust\nhost all all 127.0.0.1/32 trust\n"
        )
        _write_as_postgres(data / "pg_ident.conf", "")
        _run(
            [
                str(binaries / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(directory / "log"),
                "-w",
                "-t",
                "120",
                "start",
            ],
            as_postgres=True,
        )
        yield port
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                ["runuser", "-u", "postgres", "--"] * (os.geteuid() == 0)
                + [str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                capture_output=True,
            )
        shutil.rmtree(directory, ignore_errors=True)


def _write_as_postgres(path, text):
    path.write_text(text)
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(path, account.pw_uid, account.pw_gid)


@pytest.fixture
def replica_alias(standby, monkeypatch):
    """The "replica" database alias, as DATABASE_REPLICA_URL makes it, on the standby."""
    alias = {**connections["default"].settings_dict, "HOST": "127.0.0.1", "PORT": str(standby)}
    # Made here, not added to the settings the test run started with: a connection the
    # test case did not know of is one it allows.
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    wrapper = load_backend(alias["ENGINE"]).DatabaseWrapper(alias, replica.REPLICA)
    connections[replica.REPLICA] = wrapper
    yield wrapper
    wrapper.close()
    del connections[replica.REPLICA]


def _on_standby(replica_connection, sql, params=()):
    with replica_connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0] if cursor.description else None


def _replayed(replica_connection, timeout=60):
    """Wait until the standby has replayed everything the primary has written."""
    (position,) = _primary_value("SELECT pg_current_wal_lsn()")[0]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _on_standby(
            replica_connection, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [position]
        ):
            return
        time.sleep(0.1)
    pytest.fail(f"The standby did not replay the primary's WAL up to {position} in {timeout} s.")


def _get(client, url, replica_connection):
    """The page, and the SQL each database answered for it."""
    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(replica_connection) as on_replica,
    ):
        response = client.get(url)
        content = b"".join(response) if response.streaming else response.content
    assert response.status_code == 200
    return content, [q["sql"] for q in on_primary], [q["sql"] for q in on_replica]


def test_dashboards_reports_and_exports_read_from_the_standby(world, replica_alias):
    issue = IssueFactory(community=world.community_a, title="复制前的议题", grid=world.grid_a1)
    _replayed(replica_alias)
    client = Client()
    client.force_login(world.staff_a)

    content, primary, read = _get(client, reverse("reports:dashboard"), replica_alias)
    assert "复制前的议题" in content.decode()
    assert any("issues_issue" in sql for sql in read)
    assert not any("issues_issue" in sql for sql in primary)

    # The standby stops replaying: what the primary writes now is not on it.
    _on_standby(replica_alias, "SELECT pg_wal_replay_pause()")
    try:
        IssueFactory(community=world.community_a, title="复制后的议题", grid=world.grid_a1)
        content, _primary, read = _get(client, reverse("reports:dashboard"), replica_alias)
        assert read, "the dashboard read nothing from the standby"
        assert "复制前的议题" in content.decode()
        assert "复制后的议题" not in content.decode()
    finally:
        _on_standby(replica_alias, "SELECT pg_wal_replay_resume()")
    _replayed(replica_alias)
    # Not kept in the page cache while the replica lagged: shown as soon as it is replayed.
    content, _primary, read = _get(client, reverse("reports:dashboard"), replica_alias)
    assert "复制后的议题" in content.decode()
    assert read

    # The monthly report and the residents' export read from it too.
    _content, _primary, read = _get(client, reverse("reports:monthly"), replica_alias)
    assert any("issues_issue" in sql or "reports_" in sql for sql in read)
    _content, primary, read = _get(client, reverse("communities:resident_export"), replica_alias)
    assert any("communities_resident" in sql for sql in read)
    assert not any("communities_resident" in sql for sql in primary)
    assert issue.pk


def test_a_browser_that_wrote_reads_from_the_primary(world, replica_alias):
    issue = IssueFactory(community=world.community_a, title="待回复的议题", grid=world.grid_a1)
    _replayed(replica_alias)
    client = Client()
    client.force_login(world.staff_a)
    _on_standby(replica_alias, "SELECT pg_wal_replay_pause()")
    try:
        # A write: a comment on the issue, then a new issue the replica has not replayed.
        response = client.post(reverse("issues:comment", args=[issue.pk]), {"text": "已联系物业"})
        assert response.status_code == 302
        assert replica.COOKIE in response.cookies
        IssueFactory(community=world.community_a, title="刚写下的议题", grid=world.grid_a1)

        content, primary, read = _get(client, reverse("reports:dashboard"), replica_alias)
        assert "刚写下的议题" in content.decode()
        assert read == []
        assert any("issues_issue" in sql for sql in primary)

        # Another browser, which wrote nothing, is served by the replica.
        other = Client()
        other.force_login(world.head_a)
        content, _primary, read = _get(other, reverse("reports:dashboard"), replica_alias)
        assert read and "刚写下的议题" not in content.decode()
    finally:
        _on_standby(replica_alias, "SELECT pg_wal_replay_resume()")


def test_writes_inside_a_replica_view_go_to_the_primary(world, replica_alias):
    from django.db import router

    from issues.models import Issue

    def one_request():
        with replica.replica_reads():
            assert router.db_for_read(Issue) == replica.REPLICA
            assert router.db_for_write(Issue) == "default"
            # Anything read after a write of the same request comes from the primary.
            assert router.db_for_read(Issue) == "default"
        assert router.db_for_read(Issue) == "default"

    contextvars.Context().run(one_request)
