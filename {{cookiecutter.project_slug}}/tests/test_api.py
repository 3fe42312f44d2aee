"""GET /api/health: the route serve.py mounts, called as Starlette calls it.

Outside a running Streamlit server there is no script check; the template's
own tests start ``streamlit run serve.py`` and check that part for real.
"""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

from starlette.requests import Request

from freshboot import boot
from freshboot.api import HEALTH_PATH, health_route, status_code, with_script_check
from freshboot.report import build_report
from freshboot.stamps import STAMP_FILES, STAMP_PREFIX, Stamp, read_stamps


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
    assert body["pid"] == boot.BOOT_PID
    assert {row["name"] for row in body["drift"]} >= {"streamlit"}
    assert headers["content-type"] == "application/json"
    assert headers["cache-control"] == "no-store"


def test_newer_stamp_answers_503_stale(project_copy):
    stamp = Stamp(read_stamps(project_copy).version, boot.BOOT_TIME + timedelta(seconds=2))
    for name in STAMP_FILES:
        path = project_copy / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        new = [stamp.text() + "\n" if line.startswith(STAMP_PREFIX) else line for line in lines]
        path.write_text("".join(new), encoding="utf-8")
    status, body, _ = get_health(project_copy)
    assert status == 503
    assert body["verdict"] == "stale"
    assert "before the newest stamp" in body["reason"]


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
    assert "app.py fails" in report["reason"]
    assert status_code(report) == 503
    passed = with_script_check(build_report(project_root), {"ok": True, "detail": "ok"})
    assert status_code(passed) == 200


def test_json_holds_no_paths_outside_the_project(project_root):
    _, body, _ = get_health(project_root)
    text = json.dumps(body)
    assert str(project_root) not in text
    assert str(Path.home()) not in text
