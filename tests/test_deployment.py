"""The production settings and the docker-compose stack agree with what the code needs."""

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _production_env(**extra):
    skip = {"DATABASE_URL", "REDIS_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="k" * 20 + "9Zx!-production-test-key-of-sufficient-length",
        ALLOWED_HOSTS="yishi.example.org",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/yishi",
        REDIS_URL="redis://127.0.0.1:6379/1",
    )
    env.update(extra)
    return env


def test_production_settings_pass_check_deploy_without_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_with_a_weak_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_production_env(SECRET_KEY="short"),
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be a random string" in result.stderr


def test_docker_compose_runs_every_service_the_settings_need():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]

    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    app = compose["x-app"]
    environment = app["environment"]
    # The settings read these; the stack must provide them.
    assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert "@db:5432/" in environment["DATABASE_URL"]
    assert environment["REDIS_URL"].startswith("redis://redis:6379")
    assert "gunicorn config.wsgi:application -c config/gunicorn.py" in services["web"]["command"]
    assert '"-c", "config/gunicorn.py"' in (ROOT / "Dockerfile").read_text()
    assert "celery -A config worker" in services["worker"]["command"]
    assert "django_celery_beat.schedulers:DatabaseScheduler" in services["beat"]["command"]
    for name in ("web", "worker", "beat", "db", "redis"):
        assert "healthcheck" in services[name], f"{name} has no health check"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert environment["MEDIA_ROOT"] == "/data/media"
    assert "media:/data/media" in app["volumes"]
    assert (ROOT / "Dockerfile").read_text().count("FROM ") == 1


def test_the_demo_writes_emails_to_var_mail():
    code = "import django; django.setup(); from django.conf import settings as s; "
    code += "print(s.EMAIL_BACKEND); print(s.EMAIL_FILE_PATH)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **{k: v for k, v in os.environ.items() if k not in {"EMAIL_URL", "DATABASE_URL"}},
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
        },
        capture_output=True,
        text=True,
        cwd=ROOT,
    )

    assert result.returncode == 0, result.stderr
    backend, path = result.stdout.split()[-2:]
    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    assert path == str(ROOT / "var" / "mail")


def test_gunicorn_settings_are_those_the_benchmarks_measure(monkeypatch):
    import runpy

    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    settings = runpy.run_path(str(ROOT / "config" / "gunicorn.py"))
    assert (settings["worker_class"], settings["workers"], settings["bind"]) == (
        "sync",
        3,
        "0.0.0.0:8000",
    )
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    assert runpy.run_path(str(ROOT / "config" / "gunicorn.py"))["workers"] == 5
    assert "--config=config/gunicorn.py" in (ROOT / "benchmarks" / "run.py").read_text()


def test_gunicorn_workers_freeze_what_they_load_before_serving():
    """After a worker starts, the URL patterns (and so every view) are loaded and what is
    loaded is out of the collector's reach: a full collection no longer walks it."""
    import gc
    import logging
    import runpy
    from types import SimpleNamespace

    from django.urls import clear_url_caches, get_resolver

    hook = runpy.run_path(str(ROOT / "config" / "gunicorn.py"))["post_worker_init"]
    clear_url_caches()
    assert "url_patterns" not in get_resolver().__dict__
    gc.unfreeze()
    try:
        hook(SimpleNamespace(log=logging.getLogger("gunicorn.test")))
        assert gc.get_freeze_count() > 10_000
        assert "url_patterns" in get_resolver().__dict__  # resolved, not lazily pending
    finally:
        gc.unfreeze()


def _site_url(**environment):
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.local", **environment)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " print(settings.SITE_URL)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_links_in_emails_use_the_port_the_demo_is_served_on():
    assert _site_url() == "http://127.0.0.1:8000"
    assert _site_url(PORT="8123") == "http://127.0.0.1:8123"
    assert _site_url(PORT="8123", SITE_URL="https://yishi.example.cn/") == (
        "https://yishi.example.cn"
    )
    # The demo script hands its port to the server and to the worker that sends the emails.
    script = (ROOT / "bin" / "run-demo").read_text()
    exported = script.index("export PORT=${PORT:-8000}")
    assert exported < script.index("celery -A config worker")
    assert exported < script.index("manage.py runserver")


def test_the_demo_logins_the_tests_walk_are_those_the_readme_lists():
    from tests.demo_logins import DEMO_LOGINS

    table = (ROOT / "README.md").read_text().split("## The demo", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(
        r"`([a-z_]+)`", "\n".join(line for line in table.splitlines() if line.startswith("| "))
    )
    assert listed == DEMO_LOGINS


def test_the_scale_profile_adds_web_and_worker_containers_and_a_streaming_replica():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    scale = {name for name, service in services.items() if "scale" in service.get("profiles", [])}

    assert scale == {"web-2", "worker-2", "db-replica"}
    # Without the profile the stack is what it was: one of each, no replica.
    assert not {"web", "worker", "beat", "db", "redis"} & scale
    # Two web containers and two workers of the same image and settings.
    assert services["web-2"]["image"] == services["web"]["image"] == "yishi:latest"
    assert services["web-2"]["command"] == "gunicorn config.wsgi:application -c config/gunicorn.py"
    assert "migrate" not in services["web-2"]["command"]  # the first web container migrates
    assert services["web-2"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert services["web-2"]["ports"] != services["web"]["ports"]
    assert services["worker-2"]["command"] == services["worker"]["command"]
    # The web containers read from the replica when .env names it, never by default.
    assert compose["x-app"]["environment"]["DATABASE_REPLICA_URL"] == "${DATABASE_REPLICA_URL:-}"

    # The replica: the official image, copied from db by pg_basebackup, a hot standby.
    replica, db = services["db-replica"], services["db"]
    assert replica["image"] == db["image"]
    assert replica["depends_on"]["db"]["condition"] == "service_healthy"
    assert "pg_is_in_recovery()" in replica["healthcheck"]["test"][1]
    assert any(v.startswith("pgreplica:") for v in replica["volumes"])
    assert "pgreplica" in compose["volumes"]
    entrypoint = (ROOT / "deploy" / "postgres" / "replica-entrypoint.sh").read_text()
    assert "pg_basebackup -h db" in entrypoint
    assert "--write-recovery-conf" in entrypoint and "--wal-method=stream" in entrypoint
    assert "hot_standby=on" in entrypoint
    # The primary streams its WAL and lets the replica connect for replication.
    assert "wal_level=replica" in db["command"]
    init = "./deploy/postgres/primary-replication.sh:/docker-entrypoint-initdb.d/"
    assert any(v.startswith(init) for v in db["volumes"])
    assert (
        "host replication" in (ROOT / "deploy" / "postgres" / "primary-replication.sh").read_text()
    )


def test_the_replica_is_a_database_of_the_settings_only_when_named():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(sorted(s.DATABASES)); print(s.DATABASE_ROUTERS)"
    )

    def databases(**extra):
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=_production_env(**extra),
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()

    assert databases()[0] == "['default']"
    named, routers = databases(DATABASE_REPLICA_URL="postgres://yishi@db-replica:5432/yishi")
    assert named == "['default', 'replica']"
    assert routers == "['lib.replica.ReplicaRouter']"
