"""Second check of the answers, for bakes that skipped the first one.

``freshboot_template.answers.refuse_unsound_answers`` checks every answer while
cookiecutter asks for them, before anything is written. A bake that skips that
step (``cookiecutter --replay`` with an edited replay file, or an explicit
``__answers_checked`` answer) reaches this hook, which reports the same problems;
on refusal cookiecutter deletes the project folder it has just made.

The problems arrive as JSON data (``tojson``), never as code. cookiecutter runs
this hook from a rendered copy in the temporary folder and never deletes it
(cookiecutter issue 886); the copy holds every answer, so the hook removes it.
"""

import contextlib
import json
import os
import sys

PROBLEMS = json.loads(r"""{{ cookiecutter | freshboot_answer_problems | tojson }}""")


def remove_rendered_copy():
    """Delete this file when it is cookiecutter's rendered copy (tmpXXXXXXXX.py)."""
    if os.path.basename(__file__).startswith("tmp"):
        with contextlib.suppress(OSError):
            os.remove(__file__)


def main():
    for problem in PROBLEMS:
        print(f"freshboot: {problem}.", file=sys.stderr)
    return 1 if PROBLEMS else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        remove_rendered_copy()
