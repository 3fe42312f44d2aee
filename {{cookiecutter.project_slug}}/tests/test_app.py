"""Your app's tests: add yours here. The template's own tests live in tests/freshboot/."""

from app_info import APP_TITLE
from freshboot.markdown import escape


def test_home_page_renders_the_app_title(app):
    assert not app.exception
    # Streamlit strips the spaces around a title, as a browser would not show them.
    assert app.title[0].value == escape(APP_TITLE).strip()


def test_health_page_renders_without_exception(app):
    app.switch_page("freshboot/health_script.py")
    app.run()
    assert not app.exception
    assert app.title[0].value == "Health"
