"""The Jinja extension cookiecutter (and cruft) loads while this template renders.

cookiecutter.json names it in ``_extensions``. It runs inside the cookiecutter
process, so it can do what the hooks cannot; the work itself lives in the
``freshboot_template`` package next to this file, one module per job:

* ``literal_answers``: answers stay the text that was typed (``preprocess``);
* ``escaping``: the ``pystr``, ``pyassign`` and ``mdtext`` filters write answers
  into Python and Markdown;
* ``answers``: unsound answers are refused before anything is written;
* ``render_mode``: the hooks learn whether cruft is re-rendering the project;
* ``python_version``: the Python the project pins in .python-version and its Dockerfile.

The package is imported when this module loads: cookiecutter and cruft put the
template root on sys.path only while they render.
"""

from jinja2.ext import Extension

from freshboot_template.answers import problems_to_report, refuse_unsound_answers
from freshboot_template.escaping import markdown_text, python_assignment, python_string
from freshboot_template.literal_answers import keep_answer_literal
from freshboot_template.python_version import python_minor_version
from freshboot_template.render_mode import render_mode


class FreshbootExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.filters["pystr"] = python_string
        environment.filters["pyassign"] = python_assignment
        environment.filters["mdtext"] = markdown_text
        environment.filters["freshboot_refuse_unsound_answers"] = refuse_unsound_answers
        environment.filters["freshboot_answer_problems"] = problems_to_report
        environment.globals["freshboot_render_mode"] = render_mode
        environment.globals["freshboot_python_version"] = python_minor_version

    def preprocess(self, source, name, filename=None):
        return keep_answer_literal(source, name)
