"""Benchmark the key pages against an independent floor, with wrk, on loopback.

    make bench                       # installs wrk, measures, writes the table into README.md
    .venv/bin/python benchmarks/run.py [--port 8108] [--duration 5] [--concurrency 1 8]
        [--page LABEL] [--readme benchmarks/README.md] [--only pages|tasks|export]

Starts two gunicorns with the deployed settings (config/gunicorn.py): the project
(benchmarks.settings, DEBUG off) on --port and the floor (benchmarks/floor/, a minimal Django
project: signed-cookie sessions, request.user its one indexed query) on --port + 1, both on
the PostgreSQL database of DATABASE_URL that `manage.py seed_scale` built. wrk (Debian's
package) sends each page's requests for --duration seconds at each concurrency, with the
session cookie of the `bench-<role>` user, and reports p50, p95, p99 and requests per
second through benchmarks/wrk_report.lua. Each page is measured between two runs of the
floor at the same concurrency; its ratios use the mean of the two, so that the machine's
drift (a shared VM's neighbours, its CPU frequency) moves both alike.
A page whose URL name does not exist or that answers 404 (built on another branch) is
reported as "not available"; any other answer than 200 is reported and not measured."""

import argparse
import http.client
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
WRK = os.environ.get("WRK", "/usr/bin/wrk")
COOKIE = "sessionid"  # settings.SESSION_COOKIE_NAME of the project and of the floor


@dataclass
class Page:
    label: str
    url_names: tuple  # the first name that resolves is used
    role: str | None  # the bench user's role, None for an anonymous visitor
    args: str = ""  # a key of the objects picked in the data (see pick_objects)
    query: str = ""  # formatted with the picked objects
    key: bool = True  # a key page: held to the targets (TARGETS)


# The pages measured, in the order printed. Edit freely: `url_names` may list several
# candidates (the first that resolves wins), `query` is formatted with pick_objects().
PAGES = [
    # The project's own layout around one indexed query (core.views.floor): what the
    # middleware, session, user, scope and navigation cost before a page does anything.
    Page("project layout, one indexed query", ("floor",), "staff", key=False),
    Page(
        "staff work queue, filtered",
        ("issues:list",),
        "staff",
        query="status=accepted&kind=public&urgency=normal&category={category}&sort=handle_deadline",
    ),
    Page("staff work queue, overdue", ("issues:list",), "staff", query="overdue=on"),
    Page("issue page", ("issues:detail",), "staff", args="issue"),
    Page("meeting page with its record", ("meetings:detail",), "staff", args="meeting"),
    Page("public outcomes board", ("resolutions:board",), None),
    Page("resident's my issues", ("issues:mine",), "resident"),
    Page("community dashboard", ("reports:dashboard",), "staff"),
    Page(
        "street monthly report, last month (stored)",
        ("reports:monthly",),
        "street_admin",
        query="target=street:{street}&month={month}",
    ),
    Page(
        "street monthly report, this month (live)",
        ("reports:monthly",),
        "street_admin",
        query="target=street:{street}&month={this_month}",
    ),
    Page(
        "monthly report .xlsx export",
        ("reports:monthly",),
        "street_admin",
        query="target=street:{street}&month={month}&format=xlsx",
        key=False,
    ),
    Page("notifications", ("notifications:list",), "staff"),
]

# Downloads timed one at a time (not pages anyone reloads): the median and the slowest of
# EXPORT_REQUESTS requests, against the target in seconds.
EXPORTS = [
    (Page("residents .xlsx export (a community)", ("communities:resident_export",), "staff"), 1.0),
]
EXPORT_REQUESTS = 10

# What every key page must meet (the issue's targets, on the full-size district).
TARGETS = {
    "c1_p50_ratio": 5.0,  # p50 at concurrency 1, at most 5 x the floor's
    "c8_p99_ms": 80.0,  # p99 at concurrency 8 under 80 ms
    "c8_throughput_ratio": 0.25,  # requests/s at concurrency 8, at least 1/4 of the floor's
}


@dataclass
class Task:
    label: str
    functions: tuple  # dotted paths; the first that imports is timed
    kwargs: str = ""  # a key of task_arguments()


# Computations timed in-process (the median of --repeat runs, each rolled back so the
# data stays as seeded). Functions not built yet are reported as "not available".
SWEEP = "reminder sweep: "
TASKS = [
    # The reminder sweeps of config/schedule.py, each as its Celery task runs it (the first
    # run of a day: everything due is sent; rolled back, so nothing is queued).
    Task("reminder sweep: action items due and overdue", ("resolutions.tasks.sweep_action_items",)),
    Task("reminder sweep: evaluations requested", ("resolutions.tasks.sweep_evaluations",)),
    Task("reminder sweep: publications ending", ("resolutions.tasks.sweep_publications",)),
    Task("reminder sweep: revisits due", ("resolutions.tasks.sweep_revisits",)),
    Task("reminder sweep: issue time limits", ("issues.tasks.sweep_issue_deadlines",)),
    Task("reminder sweep: special-group visits", ("issues.tasks.sweep_special_group_visits",)),
    Task("reminder sweep: meetings coming up", ("meetings.tasks.sweep_meeting_reminders",)),
    Task("reminder sweep: meetings not closed", ("meetings.tasks.sweep_meetings_not_closed",)),
    Task("reminder sweep: fixed meeting days", ("meetings.tasks.sweep_fixed_meetings",)),
    Task(
        "a street's monthly report computed (as the page does)",
        ("reports.services.report_data",),
        kwargs="monthly",
    ),
    Task(
        "a street's monthly report computed (cold: no stored months)",
        ("reports.metrics.compute_report",),
        kwargs="monthly_cold",
    ),
]


def task_arguments(objects):
    from communities.models import Street

    year, month = (int(part) for part in objects["month"].split("-"))
    street = Street.objects.get(pk=objects["street"])
    return {
        "": {},
        "monthly": {"target": street, "year": year, "month": month},
        "monthly_cold": {
            "community_ids": list(street.communities.values_list("pk", flat=True)),
            "year": year,
            "month": month,
        },
    }


def time_tasks(objects, repeat):
    import importlib

    from django.db import transaction

    arguments = task_arguments(objects)
    rows = []
    sweeps = 0.0
    for task in TASKS:
        function = None
        for dotted in task.functions:
            module, _, name = dotted.rpartition(".")
            try:
                function = getattr(importlib.import_module(module), name)
                break
            except (ImportError, AttributeError):
                continue
        if function is None:
            rows.append((task.label, "not available"))
            continue
        durations = []
        try:
            for _ in range(repeat):
                with transaction.atomic():
                    started = time.perf_counter()
                    function(**arguments[task.kwargs])
                    durations.append((time.perf_counter() - started) * 1000)
                    transaction.set_rollback(True)
        except TypeError as error:
            rows.append((task.label, f"not measured: {error}"))
            continue
        rows.append((task.label, f"{statistics.median(durations):.0f} ms"))
        if task.label.startswith(SWEEP):
            sweeps += statistics.median(durations)
    rows.append((f"{SWEEP}every sweep above, one after another", f"{sweeps:.0f} ms"))
    return rows


def setup_django():
    import django

    django.setup()


def pick_objects():
    """The objects the pages show: the bench staff's community's latest issue and
    meeting, the bench street, a busy category and last month."""
    from django.db.models import Count
    from django.utils import timezone

    from accounts.models import Role, User
    from issues.models import Issue
    from meetings.models import Meeting

    staff = User.objects.filter(username="bench-staff").first()
    if staff is None:
        sys.exit("No bench users: run `manage.py seed_scale` first (see benchmarks/README.md).")
    community = staff.communities.first()
    admin = User.objects.get(username="bench-street-admin", role=Role.STREET_ADMIN)
    issue = Issue.objects.filter(community=community).order_by("-reported_at").first()
    meeting = (
        Meeting.objects.filter(community=community, status=Meeting.Status.CLOSED)
        .order_by("-starts_at")
        .first()
    )
    today = timezone.localdate()
    last_month = date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)
    category = (
        Issue.objects.filter(community=community, status="accepted")
        .values_list("category", flat=True)
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    return {
        "issue": issue.pk if issue else 0,
        "meeting": meeting.pk if meeting else 0,
        "street": admin.streets.first().pk,
        "community": community.pk,
        "category": category or "",
        "month": f"{last_month:%Y-%m}",
        "this_month": f"{today:%Y-%m}",
    }


def sessions():
    """A session cookie for each role's bench user, stored as a real login would."""
    from django.conf import settings
    from django.test import Client

    from accounts.models import Role, User

    cookies = {}
    for role in Role.values:
        user = User.objects.get(username=f"bench-{role.replace('_', '-')}")
        client = Client()
        client.force_login(user)
        cookies[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


def resolve(page, objects):
    from django.urls import NoReverseMatch, reverse

    for name in page.url_names:
        try:
            path = reverse(name, args=[objects[page.args]] if page.args else [])
        except NoReverseMatch:
            continue
        query = page.query.format(**objects)
        return name, path + (f"?{query}" if query else "")
    return None, None


def request(port, path, cookie):
    """One request with the session cookie (a "name=value" pair); its status."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": "127.0.0.1", "Accept-Encoding": "gzip"}
    if cookie:
        headers["Cookie"] = cookie
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def wrk(port, path, cookie, *, concurrency, duration):
    """wrk on one URL: latency percentiles in ms, requests per second and errors."""
    command = [
        WRK,
        "--threads=1",
        f"--connections={concurrency}",
        f"--duration={duration}s",
        "--timeout=10s",
        f"--script={ROOT / 'benchmarks' / 'wrk_report.lua'}",
        "--header=Accept-Encoding: gzip",
    ]
    if cookie:
        command.append(f"--header=Cookie: {cookie}")
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    report = json.loads(output.strip().splitlines()[-1])
    seconds = report["duration_us"] / 1e6
    return {
        **{p: report[p] / 1000 for p in ("p50", "p95", "p99", "max")},
        "rps": report["requests"] / seconds,
        "requests": report["requests"],
        "errors": sum(report["errors"].values()),
    }


def start_gunicorn(wsgi, settings, port):
    """gunicorn as deployed (config/gunicorn.py), on loopback, without the access log."""
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            wsgi,
            "--config=config/gunicorn.py",
            f"--bind=127.0.0.1:{port}",
            "--keep-alive=30",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": settings, "GUNICORN_ACCESS_LOG": "0"},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn ({wsgi}) did not start (see its output above).")
        try:
            request(port, "/healthz", None)
            return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    sys.exit(f"gunicorn ({wsgi}) did not answer within 60 s.")


def floor_cookie(username):
    """The floor's session cookie for a user, minted by the floor project itself."""
    return subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "floor" / "cookie.py"), username],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.floor.settings"},
    ).stdout.strip()


def machine():
    cores = os.cpu_count()
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {cores} cores {model}".strip()


def database_size():
    from communities.models import Resident
    from issues.models import Issue
    from meetings.models import Meeting
    from resolutions.models import ActionItem

    return (
        f"{Resident.objects.count():,} residents, {Issue.objects.count():,} issues, "
        f"{Meeting.objects.count():,} meetings, {ActionItem.objects.count():,} action items"
    )


def load():
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def log(message):
    print(message, file=sys.stderr, flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8108)))
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--duration", type=int, default=5, help="seconds of wrk per run")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each task")
    parser.add_argument(
        "--page", default="", help="only the pages whose label contains this (and the floor)"
    )
    parser.add_argument(
        "--only", choices=["pages", "tasks", "export"], help="measure only one part"
    )
    parser.add_argument(
        "--page-cache-off",
        action="store_true",
        help="build every page (PAGE_CACHE_SECONDS=0): what a request costs on a cache miss",
    )
    parser.add_argument(
        "--readme",
        type=Path,
        help="also write the results between the markers of this file (benchmarks/README.md)",
    )
    options = parser.parse_args(argv)

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL database seed_scale built.")
    if options.page_cache_off:
        os.environ["PAGE_CACHE_SECONDS"] = "0"  # read by the settings, here and in gunicorn
    if options.only in (None, "pages") and not Path(WRK).exists():
        sys.exit(f"{WRK} is missing: `make bench` installs it (apt-get install wrk).")
    setup_django()
    objects = pick_objects()
    lines = [
        f"# Benchmarks {datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {machine()}",
        f"# Data: {database_size()}",
        f"# Commit: {commit()} · wrk {options.duration:g} s a run · load average {load()}"
        + (" · page cache off" if options.page_cache_off else ""),
    ]
    print("\n".join(lines), flush=True)
    sections = []
    if options.only in (None, "pages"):
        sections.append(measure_pages(options, objects))
    if options.only in (None, "export"):
        sections.append(measure_exports(options, objects))
    if options.only in (None, "tasks"):
        rows = time_tasks(objects, options.repeat)
        sections.append(
            "| computation (in-process, median of runs) | time |\n|---|---|\n"
            + "\n".join(f"| {label} | {result} |" for label, result in rows)
        )
    lines.append(f"# Load average at end: {load()}")
    text = "```\n" + "\n".join(lines) + "\n```\n\n" + "\n\n".join(sections) + "\n"
    print(text)
    if options.readme:
        write_readme(options.readme, text)
    return 0


def commit():
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "?"


def measure_pages(options, objects):
    cookies = {role: f"{COOKIE}={value}" for role, value in sessions().items()}
    staff = floor_cookie("bench-staff")
    project = start_gunicorn("config.wsgi", "benchmarks.settings", options.port)
    floor_server = start_gunicorn(
        "benchmarks.floor.wsgi", "benchmarks.floor.settings", options.port + 1
    )
    floor = {"port": options.port + 1, "path": "/floor", "cookie": staff}
    rows = []
    try:
        status = request(floor["port"], floor["path"], floor["cookie"])
        if status != 200:
            sys.exit(f"The floor answered {status}.")
        for page in PAGES:
            if options.page and options.page not in page.label:
                continue
            _name, path = resolve(page, objects)
            row = {"page": page, "path": path, "results": {}}
            rows.append(row)
            if path is None:
                row["note"] = "not available (no such URL name)"
                continue
            row["cookie"] = cookies.get(page.role) if page.role else None
            status = request(options.port, path, row["cookie"])
            if status == 404:
                row["note"] = "not available (404)"
            elif status != 200:
                row["note"] = f"answered {status}, not measured"
        available = [row for row in rows if "note" not in row]
        # Warm every worker, database connection and cache first.
        top = max(options.concurrency)
        wrk(floor["port"], floor["path"], floor["cookie"], concurrency=top, duration=1)
        for row in available:
            wrk(options.port, row["path"], row["cookie"], concurrency=top, duration=1)
        floors = {}
        for concurrency in options.concurrency:
            floors[concurrency] = []

            def run_floor(concurrency=concurrency):
                result = wrk(**floor, concurrency=concurrency, duration=options.duration)
                floors[concurrency].append(result)
                log(
                    f"  floor c{concurrency}: p50 {result['p50']:.2f} ms, {result['rps']:.0f}/s, load {load()}"
                )
                return result

            before = run_floor()
            for row in available:
                result = wrk(
                    options.port,
                    row["path"],
                    row["cookie"],
                    concurrency=concurrency,
                    duration=options.duration,
                )
                after = run_floor()
                result["floor_p50"] = (before["p50"] + after["p50"]) / 2
                result["floor_rps"] = (before["rps"] + after["rps"]) / 2
                row["results"][concurrency] = result
                log(
                    f"  {row['page'].label} c{concurrency}: p50 {result['p50']:.1f} ms "
                    f"({result['p50'] / result['floor_p50']:.2f} x floor), p99 {result['p99']:.1f} ms, "
                    f"{result['rps']:.0f}/s ({result['rps'] / result['floor_rps']:.2f} x floor)"
                )
                before = after
    finally:
        for server in (project, floor_server):
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    return pages_table(rows, floors, options.concurrency)


def pages_table(rows, floors, levels):
    """The Markdown table of the pages, the floor's own row first, and the targets met."""
    low, high = min(levels), max(levels)
    header = (
        f"| page | role | c{low} p50 ms | c{low} floor p50 ms | c{low} × floor "
        f"| c{low} p95 ms | c{low} p99 ms | c{high} p50 ms | c{high} × floor | c{high} p95 ms | c{high} p99 ms "
        f"| c{high} req/s | c{high} req/s ÷ floor | targets |"
    )
    lines = [header, "|" + "---|" * 14]

    def median(concurrency, key):
        return (
            statistics.median(run[key] for run in floors[concurrency])
            if floors.get(concurrency)
            else float("nan")
        )

    if floors.get(low):
        lines.append(
            f"| **floor** (benchmarks/floor/, {len(floors[low])} runs: the median) | staff "
            f"| {median(low, 'p50'):.2f} | | 1 | {median(low, 'p95'):.2f} | {median(low, 'p99'):.2f} "
            f"| {median(high, 'p50'):.2f} | 1 "
            f"| {median(high, 'p95'):.2f} | {median(high, 'p99'):.2f} | {median(high, 'rps'):.0f} | 1 | |"
        )
    verdicts = []
    for row in rows:
        page = row["page"]
        role = page.role or "anonymous"
        if "note" in row:
            lines.append(f"| {page.label} | {role} | {row['note']} |" + " |" * 12)
            continue
        one, eight = row["results"][low], row["results"][high]
        ratio = one["p50"] / one["floor_p50"]
        throughput = eight["rps"] / eight["floor_rps"]
        errors = one["errors"] + eight["errors"]
        met = (
            ratio <= TARGETS["c1_p50_ratio"]
            and eight["p99"] < TARGETS["c8_p99_ms"]
            and throughput >= TARGETS["c8_throughput_ratio"]
            and not errors
        )
        verdict = ("met" if met else "**not met**") if page.key else "(not a key page)"
        if page.key:
            verdicts.append(met)
        lines.append(
            f"| {page.label} | {role} | {one['p50']:.1f} | {one['floor_p50']:.2f} | {ratio:.2f} "
            f"| {one['p95']:.1f} | {one['p99']:.1f} | {eight['p50']:.1f} | {eight['p50'] / eight['floor_p50']:.2f} | {eight['p95']:.1f} "
            f"| {eight['p99']:.1f} | {eight['rps']:.0f} | {throughput:.2f} | {verdict}"
            + (f" ({errors} errors)" if errors else "")
            + " |"
        )
    summary = (
        f"Targets (every key page): p50 at concurrency {low} at most {TARGETS['c1_p50_ratio']:g} × the "
        f"floor's, p99 at concurrency {high} under {TARGETS['c8_p99_ms']:g} ms, requests per second "
        f"at concurrency {high} at least {TARGETS['c8_throughput_ratio']:g} × the floor's: "
        f"**met by {sum(verdicts)} of {len(verdicts)} key pages**."
    )
    return "\n".join(lines) + "\n\n" + summary


def measure_exports(options, objects):
    """Each export downloaded EXPORT_REQUESTS times, one at a time, through gunicorn."""
    cookies = {role: f"{COOKIE}={value}" for role, value in sessions().items()}
    server = start_gunicorn("config.wsgi", "benchmarks.settings", options.port)
    lines = [
        "| download | role | median s | slowest s | size kB | target |",
        "|---|---|---|---|---|---|",
    ]
    try:
        for page, target in EXPORTS:
            _name, path = resolve(page, objects)
            if path is None:
                lines.append(f"| {page.label} | {page.role} | not available | | | |")
                continue
            cookie = cookies.get(page.role)
            times, size = [], 0
            for _ in range(EXPORT_REQUESTS + 1):
                connection = http.client.HTTPConnection("127.0.0.1", options.port, timeout=60)
                started = time.perf_counter()
                connection.request("GET", path, headers={"Host": "127.0.0.1", "Cookie": cookie})
                response = connection.getresponse()
                size = len(response.read())
                times.append(time.perf_counter() - started)
                connection.close()
                if response.status != 200:
                    sys.exit(f"{page.label} answered {response.status}.")
            times = times[1:]  # the first warms the worker
            median = statistics.median(times)
            lines.append(
                f"| {page.label} | {page.role} | {median:.2f} | {max(times):.2f} | {size // 1024} "
                f"| < {target:g} s: {'met' if max(times) < target else '**not met**'} |"
            )
            log(f"  {page.label}: median {median:.2f} s, slowest {max(times):.2f} s")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return "\n".join(lines)


START, END = "<!-- bench-results:start -->", "<!-- bench-results:end -->"


def write_readme(path, text):
    """Put the results between the two markers of the file (kept as they are)."""
    content = path.read_text()
    if START not in content or END not in content:
        sys.exit(f"{path} has no {START} … {END} markers.")
    before, rest = content.split(START, 1)
    _, after = rest.split(END, 1)
    path.write_text(f"{before}{START}\n{text}{END}{after}")
    log(f"Results written into {path}.")


if __name__ == "__main__":
    sys.exit(main())
