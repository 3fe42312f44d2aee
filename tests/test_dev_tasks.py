"""The README's two set-up commands, run as a newcomer runs them.

``python3 dev.py demo`` bakes a project with default answers and serves it;
``python3 dev.py test`` runs this suite and is what ``.ci/run`` calls.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from helpers import TEMPLATE_DIR, free_port, git_output, stop, wait_until_healthy

import dev

DEMO_COMMAND = "python3 dev.py demo"
TEST_COMMAND = "python3 dev.py test"
STARTUP_SECONDS = 120


def test_readme_names_both_commands_and_ci_runs_the_test_command():
    readme = (TEMPLATE_DIR / "README.md").read_text(encoding="utf-8")
    assert DEMO_COMMAND in readme and TEST_COMMAND in readme
    ci_lines = (TEMPLATE_DIR / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert TEST_COMMAND in ci_lines


@pytest.mark.slow
@pytest.mark.skipif(
    not dev.environment_is_current(),
    reason="needs the .venv that dev.py makes: run the suite with python3 dev.py test",
)
def test_demo_command_bakes_the_default_project_and_serves_it(tmp_path):
    port = free_port()
    log_path = tmp_path / "demo.log"
    # dev.py bakes into the system temporary folder: point it at this test's folder.
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    command = [sys.executable, "dev.py", "demo", "--server.port", str(port)]
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command,
            cwd=TEMPLATE_DIR,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # dev.py and the server it starts stop together
        )
    try:
        wait_until_healthy(process, port, log_path, STARTUP_SECONDS)
    finally:
        stop(process)
    project = tmp_path / "freshboot-demo" / "streamlit_app"
    output = log_path.read_text(encoding="utf-8", errors="replace")
    assert f"demo project in {project}" in output
    assert 'DEPLOYMENT_VERSION = "0.1.0"' in (project / "app.py").read_text(encoding="utf-8")
    assert git_output(project, "log", "--format=%s") == "Initial commit from streamlit-freshboot"
