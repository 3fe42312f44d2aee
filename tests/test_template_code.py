"""The template's own code and settings: answers written as Markdown, verbatim files, and
none of the template's code in a project.

``local_extensions.py`` and ``freshboot_template/`` run while cookiecutter renders.
The generated README writes the text answers through the ``mdtext`` filter; a
CommonMark parser (with tables and strikethrough, as GitHub adds them) reads them back.
"""

from __future__ import annotations

import ast
import json
import re
from fnmatch import fnmatch

import pytest
from helpers import OPTION_FILES, TEMPLATE_DIR, bake, generated_files
from markdown_it import MarkdownIt

from freshboot_template.escaping import markdown_text

MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
MADE_BY = "Made by {} from the streamlit-freshboot template."
PLAIN_DESCRIPTION = "A Streamlit app that boots fresh on every deploy."
PLAIN_PUNCTUATION = "Sales (daily) - v1.2 + returns = 100% done! 1.5 million, #1 in C#."
HOSTILE = ["# x", "- x", "1. x", "<script>", "[a](b)", "*a*", "`a`", "a | b"]
MORE_HOSTILE = [
    "+ x",
    "= x",
    "1) x",
    "123456789. x",
    "1.",
    "#",
    "Issue #",
    "Issue ##",
    "> quote",
    "---",
    "___",
    "**bold** and __bold__",
    "~~gone~~",
    "![img](b.png)",
    "[ref]: https://example.invalid",
    "<https://example.invalid>",
    "<!-- hidden -->",
    "&amp; &#35; &copy",
    "a\\b\\",
    "\\*not emphasis\\*",
    "x | y\n--|--",
    "{{ 7*7 }} {% raw %}",
    "Line one\n\n  # Line two\t- three",
]


def blocks(markdown: str) -> list[tuple[str, str]]:
    """Each block as (innermost tag, its text); fails if any inline markup was recognised."""
    found, opened = [], ""
    for token in MARKDOWN.parse(markdown):
        if token.type == "inline":
            kinds = {child.type for child in token.children}
            assert kinds <= {"text"}, f"markup {kinds} in {token.content!r}"
            found.append((opened, "".join(child.content for child in token.children)))
        elif token.nesting == 1:
            opened = token.tag
        elif token.nesting == 0:
            found.append((token.type, token.content))
    return found


def one_line(value: str) -> str:
    return " ".join(value.split())


@pytest.mark.parametrize("value", [PLAIN_DESCRIPTION, PLAIN_PUNCTUATION, *HOSTILE, *MORE_HOSTILE])
def test_markdown_text_reads_back_as_the_text_wherever_the_readme_puts_it(value):
    text = markdown_text(value)
    assert "\n" not in text
    assert blocks(f"# {text}\n") == [("h1", one_line(value))]
    assert blocks(f"{text}\n") == [("p", one_line(value))]
    assert blocks(MADE_BY.format(text) + "\n") == [("p", MADE_BY.format(one_line(value)))]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (PLAIN_DESCRIPTION, PLAIN_DESCRIPTION),
        (PLAIN_PUNCTUATION, PLAIN_PUNCTUATION),
        ("# x", "\\# x"),
        ("- x", "\\- x"),
        ("1. x", "1\\. x"),
        ("1) x", "1\\) x"),
        ("<script>", "\\<script\\>"),
        ("[a](b)", "\\[a\\](b)"),
        ("![a](b)", "\\!\\[a\\](b)"),
        ("*a*", "\\*a\\*"),
        ("`a`", "\\`a\\`"),
        ("a | b", "a \\| b"),
        ("a_b ~c~ {d} & e\\", "a\\_b \\~c\\~ \\{d\\} \\& e\\\\"),
        ("Issue #", "Issue \\#"),
        ("Two\n  lines\t", "Two lines"),
    ],
)  # fmt: skip
def test_markdown_text_escapes_only_what_could_start_markup(value, written):
    assert markdown_text(value) == written


def test_plain_answers_appear_unescaped_in_the_readme(default_project):
    readme = (default_project / "README.md").read_text(encoding="utf-8")
    assert readme.splitlines()[:5] == [
        "# Streamlit App",
        "",
        PLAIN_DESCRIPTION,
        "",
        MADE_BY.format("Your Name"),
    ]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_answers_read_as_literal_text_in_the_readme(tmp_path, value):
    project = bake(
        tmp_path,
        init_git=False,
        project_name=value,
        project_slug="markdown_check",
        description=value,
        author_name=value,
    )
    readme = (project / "README.md").read_text(encoding="utf-8")
    top = "\n".join(readme.splitlines()[:5]) + "\n"
    assert blocks(top) == [("h1", value), ("p", value), ("p", MADE_BY.format(value))]


def test_template_code_is_not_baked_into_projects(default_project):
    template_only = {"freshboot_template", "local_extensions.py", "cookiecutter.json", "hooks"}
    baked = [path.relative_to(default_project) for path in generated_files(default_project)]
    assert [path for path in baked if template_only & set(path.parts)] == []
    assert (default_project / "freshboot").is_dir()  # the project's own package, baked


def verbatim_patterns():
    config = json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text(encoding="utf-8"))
    return config["_copy_without_render"]


def project_template_files():
    root = TEMPLATE_DIR / "{{cookiecutter.project_slug}}"
    ignored = {"__pycache__", ".ruff_cache", ".pytest_cache"}
    return {
        path.relative_to(root).as_posix(): path
        for path in root.rglob("*")
        if path.is_file() and not ignored & set(path.parts)
    }


def test_files_copied_verbatim_hold_no_template_syntax():
    # cookiecutter copies these byte for byte; Jinja added to one would reach projects raw.
    files = project_template_files()
    for pattern in verbatim_patterns():
        matched = [name for name in files if fnmatch(name, pattern)]
        assert matched, f"_copy_without_render pattern {pattern!r} matches no template file"
        for name in matched:
            text = files[name].read_text(encoding="utf-8")
            assert not re.search(r"{{|{%|{#", text), f"{name} is copied verbatim but holds Jinja"


def test_verbatim_files_are_baked_byte_for_byte(default_project):
    files = project_template_files()
    patterns = verbatim_patterns()
    verbatim = [name for name in files if any(fnmatch(name, pattern) for pattern in patterns)]
    assert "scripts/bump.py" in verbatim and "app.py" not in verbatim
    for name in verbatim:
        # Files of the Docker and Kubernetes options, off by default: test_deploy.py; the
        # post-gen hook fits uv.lock to the answers: test_uv_mode.py
        if not name.startswith(OPTION_FILES) and name != "uv.lock":
            baked = (default_project / name).read_bytes()
            assert baked == files[name].read_bytes(), name


# --- the generated freshboot package: small modules, no import cycles ------------------


def freshboot_imports() -> dict[str, set[str]]:
    """``{module: the freshboot modules it imports}`` for the package the template ships."""
    package = TEMPLATE_DIR / "{{cookiecutter.project_slug}}" / "freshboot"
    graph = {}
    for path in sorted(package.glob("*.py")):
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module == "freshboot":
                    imported |= {alias.name for alias in node.names}
                elif node.module.startswith("freshboot."):
                    imported.add(node.module.removeprefix("freshboot."))
            elif isinstance(node, ast.Import):
                imported |= {
                    alias.name.removeprefix("freshboot.")
                    for alias in node.names
                    if alias.name.startswith("freshboot.")
                }
        graph[path.stem] = imported
    return graph


def test_no_two_freshboot_modules_import_each_other():
    graph = freshboot_imports()
    assert {"report", "boot", "process", "shape"} <= graph.keys()

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for name in graph.get(start, ()):
            if name == goal or (name not in seen and reaches(name, goal, seen | {name})):
                return True
        return False

    cycles = sorted(module for module in graph if reaches(module, module, {module}))
    assert cycles == [], f"modules on an import cycle: {cycles}"


OWNERSHIP_HEADER = (
    "# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.\n"
    "# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).\n"
)
TEMPLATE_OWNED = (
    "freshboot/*",
    "scripts/*",
    "tests/freshboot/*",
    "serve.py",
    ".github/workflows/*",
    ".pre-commit-config.yaml",
    "Dockerfile",
    ".dockerignore",
)
OWNER_FILES = ("app.py", "app_info.py", "app_pages/home.py", "tests/test_app.py")


@pytest.mark.parametrize("dependency_manager", ["pip", "uv"])
def test_every_template_owned_file_says_so_first_and_owner_files_do_not(
    tmp_path, dependency_manager
):
    project = bake(
        tmp_path,
        include_docker=True,
        include_kubernetes=True,
        dependency_manager=dependency_manager,
        init_git=False,
    )
    owned = []
    for path in generated_files(project):
        name = path.relative_to(project).as_posix()
        if any(fnmatch(name, pattern) for pattern in TEMPLATE_OWNED):
            owned.append(name)
            text = path.read_text(encoding="utf-8")
            assert text.startswith(OWNERSHIP_HEADER), name
    assert {"freshboot/report.py", "scripts/bump.py", "serve.py", "Dockerfile"} <= set(owned)
    assert "tests/freshboot/conftest.py" in owned and ".github/workflows/ci.yml" in owned
    for name in OWNER_FILES:
        assert "Maintained by the streamlit-freshboot template" not in (project / name).read_text(
            encoding="utf-8"
        ), name
