"""Benchmark the key pages against gunicorn and PostgreSQL on loopback.

    make bench                       # or:
    .venv/bin/python benchmarks/run.py [--port 8108] [--requests 60] [--concurrency 1 8]

Starts gunicorn with benchmarks.settings (DEBUG off) against DATABASE_URL, logs in as the
`bench-<role>` users that `manage.py seed_scale` creates (one session cookie per role), and
measures each page of PAGES with a threaded keep-alive client: median and p95 latency at
each concurrency, and the ratio of the median to the floor page's median measured beside
it (at concurrency 1 the page's and the floor's requests alternate; at 8 the floor runs
right before and right after the page, and the mean of the two is used).
A page whose URL name does not exist or that answers 404 (built on another branch) is
reported as "not available"; any other answer than 200 is reported and not measured."""

import argparse
import http.client
import os
import platform
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"


@dataclass
class Page:
    label: str
    url_names: tuple  # the first name that resolves is used
    role: str | None  # the bench user's role, None for an anonymous visitor
    args: str = ""  # a key of the objects picked in the data (see pick_objects)
    query: str = ""  # formatted with the picked objects
    requests: int = 0  # a smaller number of requests for a slow export (0: --requests)


# The pages measured, in the order printed. Edit freely: `url_names` may list several
# candidates (the first that resolves wins), `query` is formatted with pick_objects().
PAGES = [
    Page("floor (one indexed query)", ("floor",), "staff"),
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
    ),
    Page(
        "residents .xlsx export (a community)",
        ("communities:resident_export",),
        "staff",
        requests=16,
    ),
    Page("notifications", ("notifications:list",), "staff"),
]


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


def request(connection, path, cookie):
    headers = {"Host": "127.0.0.1", "Accept-Encoding": "gzip"}
    if cookie:
        from django.conf import settings

        headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={cookie}"
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    return response.status


def measure(port, path, cookie, *, concurrency, total, alternate=None):
    """`total` requests over `concurrency` keep-alive connections; latencies in ms. With
    `alternate` (a path and cookie), each request of the page is followed by one of that
    page, timed apart ("alternate_median"): the two see the same machine at the same time."""
    latencies, errors, lock = [], [], threading.Lock()
    others = []
    remaining = [total]

    def timed(connection, target, target_cookie):
        started = time.perf_counter()
        status = request(connection, target, target_cookie)
        return status, (time.perf_counter() - started) * 1000

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            request(connection, path, cookie)  # warm the connection and the worker
            while True:
                with lock:
                    if remaining[0] <= 0:
                        return
                    remaining[0] -= 1
                status, elapsed = timed(connection, path, cookie)
                other = timed(connection, *alternate) if alternate else None
                with lock:
                    latencies.append(elapsed)
                    if status != 200:
                        errors.append(status)
                    if other:
                        others.append(other[1])
                        if other[0] != 200:
                            errors.append(other[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {
        "median": statistics.median(latencies),
        "p95": latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))],
        "errors": len(errors),
        "floor": statistics.median(others) if others else None,
    }


def start_gunicorn(port, workers=None, threads=None, worker_class=None):
    """gunicorn as deployed (config/gunicorn.py), on loopback, without the access log."""
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "config.wsgi",
        "--config=config/gunicorn.py",
        f"--bind=127.0.0.1:{port}",
        "--keep-alive=30",
        "--log-level=warning",
    ]
    command += [f"--workers={workers}"] if workers else []
    command += [f"--threads={threads}"] if threads else []
    command += [f"--worker-class={worker_class}"] if worker_class else []
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "GUNICORN_ACCESS_LOG": "0",
        },
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("gunicorn did not start (see its output above).")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    sys.exit("gunicorn did not answer within 30 s.")


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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8108)))
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument(
        "--requests", type=int, default=60, help="requests per page and concurrency"
    )
    parser.add_argument(
        "--workers", type=int, help="gunicorn worker processes (config/gunicorn.py: 3)"
    )
    parser.add_argument("--threads", type=int, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each task")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument(
        "--page", default="", help="only the pages whose label contains this (and the floor)"
    )
    parser.add_argument(
        "--worker-class", help="gunicorn's worker class (config/gunicorn.py: sync; gthread)"
    )
    parser.add_argument(
        "--only", choices=["pages", "tasks"], help="measure only the pages or only the tasks"
    )
    options = parser.parse_args(argv)

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL database seed_scale built.")
    setup_django()
    objects = pick_objects()
    cookies = sessions()
    print(f"# Benchmarks {datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {machine()}")
    print(f"# Data: {database_size()}")
    print(f"# Load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if options.only != "tasks":
        measure_pages(options, objects, cookies)
    if options.only != "pages":
        for label, result in time_tasks(objects, options.repeat):
            print(f"{'- ' if options.markdown else ''}{label}: {result}")
    return 0


def measure_pages(options, objects, cookies):
    server = start_gunicorn(options.port, options.workers, options.threads, options.worker_class)
    rows = []
    try:
        for page in PAGES:
            if options.page and page is not PAGES[0] and options.page not in page.label:
                continue
            name, path = resolve(page, objects)
            cookie = cookies.get(page.role) if page.role else None
            row = {"page": page, "name": name, "path": path, "cookie": cookie, "results": {}}
            rows.append(row)
            if path is None:
                row["note"] = "not available (no such URL name)"
                continue
            connection = http.client.HTTPConnection("127.0.0.1", options.port, timeout=60)
            status = request(connection, path, cookie)
            connection.close()
            if status == 404:
                row["note"] = "not available (404)"
            elif status != 200:
                row["note"] = f"answered {status}, not measured"
        available = [row for row in rows if "note" not in row]
        # Warm every gunicorn thread, database connection and template cache first.
        top = max(options.concurrency)
        for row in available:
            measure(options.port, row["path"], row["cookie"], concurrency=top, total=top)
        # The floor of each page's ratio is measured beside it, so that the machine's
        # drift over the run (a shared VM's neighbours, CPU frequency) moves both alike:
        # alone at concurrency 1 the two pages' requests alternate; at higher concurrency
        # the floor runs right before and right after the page, with the same number of
        # requests, and the ratio uses the mean of the two medians (one run before alone
        # moved the ratio of the same page by up to 40 % from run to run).
        floor = available[0] if available and available[0] is rows[0] else None
        for row in available:
            for concurrency in options.concurrency:
                total = max(row["page"].requests or options.requests, concurrency * 2)
                paired = floor is not None and row is not floor
                bracketed = paired and concurrency > 1

                def floor_median(concurrency=concurrency, total=total):
                    return measure(
                        options.port,
                        floor["path"],
                        floor["cookie"],
                        concurrency=concurrency,
                        total=total,
                    )["median"]

                before = floor_median() if bracketed else None
                result = measure(
                    options.port,
                    row["path"],
                    row["cookie"],
                    concurrency=concurrency,
                    total=total,
                    alternate=(floor["path"], floor["cookie"])
                    if paired and concurrency == 1
                    else None,
                )
                if bracketed:
                    result["floor"] = (before + floor_median()) / 2
                row["results"][concurrency] = result
                print(
                    f"  {row['page'].label} c{concurrency}: median {result['median']:.1f} ms, "
                    f"p95 {result['p95']:.1f} ms"
                    + (f", floor beside it {result['floor']:.1f} ms" if result["floor"] else "")
                    + f", load {os.getloadavg()[0]:.1f}",
                    file=sys.stderr,
                    flush=True,
                )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print(f"# Load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print_table(rows, options.concurrency, markdown=options.markdown)
    print()


def print_table(rows, levels, *, markdown=False):
    floor = rows[0]["results"] if rows and rows[0]["results"] else {}
    header = ["page", "role"]
    for c in levels:
        header += [f"c{c} median ms", f"c{c} p95 ms", f"c{c} floor ms", f"c{c} × floor"]
    lines = []
    for row in rows:
        page = row["page"]
        cells = [page.label, page.role or "anonymous"]
        if not row["results"]:
            cells += [row.get("note", "")] + [""] * (4 * len(levels) - 1)
        else:
            for c in levels:
                result = row["results"][c]
                beside = result.get("floor") or (floor[c]["median"] if c in floor else None)
                ratio = result["median"] / beside if beside else float("nan")
                cells += [
                    f"{result['median']:.1f}",
                    f"{result['p95']:.1f}"
                    + (f" ({result['errors']} err)" if result["errors"] else ""),
                    f"{beside:.1f}" if beside else "",
                    f"{ratio:.2f}",
                ]
        lines.append(cells)
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for cells in lines:
            print("| " + " | ".join(cells) + " |")
        return
    widths = [max(len(str(x)) for x in column) for column in zip(header, *lines, strict=True)]
    for cells in [header, *lines]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True)))


if __name__ == "__main__":
    sys.exit(main())
