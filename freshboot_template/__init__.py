"""Code cookiecutter and cruft run while they render this template.

``local_extensions.py`` loads it; both sit at the template root, outside
``{{cookiecutter.project_slug}}/``, so none of it is copied into a project.
Every way of rendering puts the template root on ``sys.path`` while the
extension loads: the cookiecutter CLI and ``cookiecutter()`` append the
template folder, cruft appends its clone, and the template's tests set
``pythonpath = ["."]``.
"""
