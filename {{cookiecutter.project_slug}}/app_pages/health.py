"""Health page, served at /health. Maintained by the template: see freshboot/health_page.py."""

from freshboot.health_page import render

render()
