"""The house rules that code review alone lets drift: apps import one way, and only the
lifecycle engine assigns a lifecycle status. Read from the source, not from behaviour."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The domain, lower first: an app may import those before it, never those after it.
LAYERS = ["communities", "issues", "meetings", "resolutions"]
# What lib/ (helpers and the lifecycle engine) may not import: any app of the project.
APPS = [
    "access",
    "accounts",
    "administration",
    "api",
    "communities",
    "config",
    "control",
    "core",
    "demo",
    "issues",
    "meetings",
    "notifications",
    "reach",
    "reports",
    "resolutions",
]
SKIPPED = {".venv", "node_modules", "migrations", "tests", "benchmarks"}


def _modules(package=None):
    base = ROOT / package if package else ROOT
    for path in sorted(base.rglob("*.py")):
        if SKIPPED.isdisjoint(path.relative_to(ROOT).parts):
            yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imported(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


@pytest.mark.parametrize("package", LAYERS)
def test_apps_import_only_the_layers_below_them(package):
    higher = LAYERS[LAYERS.index(package) + 1 :]
    wrong = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path, tree in _modules(package)
        for name in _imported(tree)
        if name.split(".")[0] in higher
    ]
    assert wrong == []


# Statuses that are not one of the four lifecycles, written where they live: (module,
# function) and why. Anything else that assigns `.status` fails the test below.
NOT_A_LIFECYCLE = {
    # A correction request to the minutes is answered once (accepted or rejected).
    ("meetings/services.py", "correction_answer"),
    # Deliveries of notifications: pending, sent, failed, retried.
    ("notifications/delivery.py", "claim"),
    ("notifications/delivery.py", "send"),
    ("notifications/admin.py", "retry"),
    ("notifications/services.py", "delivery_retry"),
    # The demo's past deliveries count as sent.
    ("demo/stories.py", "build"),
    # The synthetic district of seed_scale writes 200,000 issues' histories in bulk, state
    # and timeline together, without going through the services one by one.
    ("demo/scale.py", "_issues"),
}


def _status_writes(path, tree):
    """(function, line) of every `x.status = …` and `.update(status=…)` in a module."""

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            name = (
                child.name
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
                else function
            )
            targets = []
            if isinstance(child, ast.Assign):
                targets = child.targets
            elif isinstance(child, ast.AugAssign | ast.AnnAssign):
                targets = [child.target]
            if any(isinstance(t, ast.Attribute) and t.attr == "status" for t in targets):
                yield name, child.lineno
            if (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Attribute)
                and child.func.attr in ("update", "bulk_update")
                and any(kw.arg == "status" for kw in child.keywords)
            ):
                yield name, child.lineno
            yield from visit(child, name)

    yield from visit(tree, "")


# Where every domain app turns to reach people (personal links, codes, notifications): they
# know places and people, never the work done on them.
LOW_PLACES = ["reach", "notifications"]


@pytest.mark.parametrize("package", LOW_PLACES)
def test_reaching_people_knows_nothing_of_the_work(package):
    wrong = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path, tree in _modules(package)
        for name in _imported(tree)
        if name.split(".")[0] in ["issues", "meetings", "resolutions", "reports", "api"]
    ]
    assert wrong == []


def test_lib_imports_no_app():
    wrong = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path, tree in _modules("lib")
        for name in _imported(tree)
        if name.split(".")[0] in APPS
    ]
    assert wrong == []


def test_only_the_lifecycle_engine_assigns_a_status():
    engine = Path("lib/lifecycle.py")
    found = [
        f"{path.relative_to(ROOT)}:{line} in {function or 'module'}"
        for path, tree in _modules()
        if path.relative_to(ROOT) != engine
        for function, line in _status_writes(path, tree)
        if (str(path.relative_to(ROOT)), function) not in NOT_A_LIFECYCLE
    ]
    assert found == []


def test_the_scan_sees_a_status_assignment():
    """The scan itself: a module that moves an issue by hand is caught."""
    tree = ast.parse(
        "def sneak(issue):\n"
        "    issue.status = 'closed'\n"
        "    Issue.objects.filter(pk=1).update(status='closed')\n"
    )
    assert list(_status_writes(Path("x.py"), tree)) == [("sneak", 2), ("sneak", 3)]
