"""What the app calls itself. Yours to edit."""

APP_TITLE = {{ cookiecutter.project_name | pystr }}
APP_DESCRIPTION = {{ cookiecutter.description | pystr }}
AUTHOR = {{ cookiecutter.author_name | pystr }}
