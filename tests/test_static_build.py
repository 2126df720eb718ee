"""The production image collects its static files with the manifest storage (whitenoise):
every file a stylesheet or script names must exist, or `collectstatic`, and with it the
Docker build, fails."""

import subprocess
import sys

from tests.test_deployment import ROOT, _production_env


def test_collectstatic_succeeds_with_the_production_storage(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=_production_env(STATIC_ROOT=str(tmp_path)),
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "staticfiles.json").is_file()
    assert list(tmp_path.glob("vendor/leaflet/leaflet.*.js"))
