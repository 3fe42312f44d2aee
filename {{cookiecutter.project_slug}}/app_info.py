"""What the app calls itself. Yours to edit."""

{{ cookiecutter.project_name | pyassign("APP_TITLE") }}
{{ cookiecutter.description | pyassign("APP_DESCRIPTION") }}
{{ cookiecutter.author_name | pyassign("AUTHOR") }}
