"""Health page, served at /health. Maintained by the template: see freshboot/health_page.py."""

from pathlib import Path

from freshboot.health_page import render

render(Path(__file__).resolve().parent.parent)
