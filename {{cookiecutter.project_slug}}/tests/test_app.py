from app_info import APP_TITLE
from freshboot.markdown import escape


def test_home_page_renders_the_app_title(app):
    assert not app.exception
    # Streamlit strips the spaces around a title, as a browser would not show them.
    assert app.title[0].value == escape(APP_TITLE).strip()


def test_health_page_renders_without_exception(app):
    app.switch_page("app_pages/health.py")
    app.run()
    assert not app.exception
    assert app.title[0].value == "Health"
