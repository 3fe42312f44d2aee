# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""GET /api/health: the route serve.py mounts, called as Starlette calls it.

Outside a running Streamlit server there is no script check; the template's
own tests start ``streamlit run serve.py`` and check that part for real.
"""

from __future__ import annotations

import asyncio
import json
import platform
from pathlib import Path

import pytest
from starlette.requests import Request

from freshboot import process
from freshboot.api import (
    HEALTH_PATH,
    INTERVAL_VARIABLE,
    health_route,
    script_check_interval,
    status_code,
    with_script_check,
)
from freshboot.report import build_report
from freshboot.stamps import read_stamps


def get_health(root: Path) -> tuple[int, dict, dict]:
    """Status, JSON body and headers of GET /api/health for the project at ``root``."""
    route = health_route(root)
    scope = {
        "type": "http",
        "method": "GET",
        "path": HEALTH_PATH,
        "headers": [],
        "query_string": b"",
    }
    response = asyncio.run(route.endpoint(Request(scope)))
    return response.status_code, json.loads(response.body), dict(response.headers)


def test_route_is_served_at_api_health_for_get():
    route = health_route(Path("."))
    assert route.path == "/api/health"
    assert {"GET", "HEAD"} <= route.methods


def test_fresh_project_answers_200_with_the_report(project_root):
    status, body, headers = get_health(project_root)
    assert status == 200
    assert body["verdict"] == "fresh"
    assert body["version"] == read_stamps(project_root).version
    assert body["process"]["pid"] == process.BOOT_PID
    assert {row["name"] for row in body["drift"]} >= {"streamlit"}
    assert headers["content-type"] == "application/json"
    assert headers["cache-control"] == "no-store"


def test_answers_503_stale_after_bump_stamp(project_copy, bump_stamp):
    bump_stamp(project_copy)
    status, body, _ = get_health(project_copy)
    assert status == 503
    assert body["verdict"] == "stale"
    assert "before the newest stamp" in body["reason"]


@pytest.mark.requirements_txt
def test_unmet_requirement_answers_503(project_copy):
    with (project_copy / "requirements.txt").open("a", encoding="utf-8") as requirements:
        requirements.write("no-such-package-freshboot>=1\n")
    status, body, _ = get_health(project_copy)
    assert status == 503
    missing = [row for row in body["drift"] if row["status"] == "missing"]
    assert [row["requirement"] for row in missing] == ["no-such-package-freshboot>=1"]
    assert missing[0]["satisfied"] is False


def test_failed_script_check_makes_the_verdict_broken(project_root):
    report = with_script_check(build_report(project_root), {"ok": False, "detail": "error"})
    assert report["verdict"] == "broken"
    assert "app.py or its default page fails" in report["reason"]
    assert status_code(report) == 503
    passed = with_script_check(build_report(project_root), {"ok": True, "detail": "ok"})
    assert status_code(passed) == 200


def test_script_check_interval_comes_from_the_environment(capsys):
    assert script_check_interval({}) == 30
    assert script_check_interval({INTERVAL_VARIABLE: "300"}) == 300
    assert script_check_interval({INTERVAL_VARIABLE: "0"}) == 0
    assert capsys.readouterr().err == ""
    for bad in ("soon", "-5", "nan"):
        assert script_check_interval({INTERVAL_VARIABLE: bad}) == 30
        (line,) = capsys.readouterr().err.splitlines()
        assert line.startswith(f"freshboot: {INTERVAL_VARIABLE}={bad!r} is not")


def test_json_holds_no_paths_and_no_operating_system_details(project_root):
    _, body, _ = get_health(project_root)
    text = json.dumps(body)
    assert str(project_root) not in text
    assert str(Path.home()) not in text
    assert platform.release() not in text
    assert platform.python_version() not in text
