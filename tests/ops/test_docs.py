"""The documents a newcomer reads first name files, functions and make targets that exist.

docs/architecture.md, CONTRIBUTING.md, docs/conventions.md and docs/performance.md name files in backticks
(`parkdash/core/export.py`), functions and classes as `file.py::name` or `file.py::Class.method`, and commands as
`make target`. Renaming a file, a function or a target without updating the documents fails here.
"""

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = ["docs/architecture.md", "CONTRIBUTING.md", "docs/conventions.md", "docs/performance.md"]
# A path is checked when it starts with one of the repository's folders; `models.py` (an app's) is not a path.
FOLDERS = ("parkdash", "tests", "templates", "static", "fixtures", "bench", "scripts", "deploy", "docs", "locale")
ROOT_FILES = {"Makefile", "pyproject.toml", ".importlinter", ".pre-commit-config.yaml", "requirements.txt"}
ROOT_FILES |= {"requirements-dev.txt", "README.md", "CONTRIBUTING.md", ".ci/run", ".git-blame-ignore-revs"}
CODE = re.compile(r"`([^`\n]+)`")
REFERENCE = re.compile(r"^(?P<path>[\w./-]+?)(?:::(?P<name>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?))?$")
MAKE = re.compile(r"^make ([\w-]+)")
PLACEHOLDER = re.compile(r"[<>*{}…]")


@cache
def generated_folders():
    """Folders .gitignore lists (bench/data/, backups/ …): made by running something, absent from a checkout."""
    lines = (ROOT / ".gitignore").read_text().splitlines()
    return tuple(line for line in lines if line.endswith("/") and not PLACEHOLDER.search(line))


@cache
def make_targets():
    return set(re.findall(r"^([\w-]+)\s*:(?!=)", (ROOT / "Makefile").read_text(), re.M))


@cache
def defined_names(path):
    """{name: set of names defined in its body} for a module's top-level functions, classes and assignments."""
    names = {}
    for node in ast.parse((ROOT / path).read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names[node.name] = set()
        elif isinstance(node, ast.ClassDef):
            names[node.name] = {target for item in node.body for target in _assigned(item) if isinstance(target, str)}
        else:
            names.update({target: set() for target in _assigned(node)})
    return names


def _assigned(node):
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [node.name]
    if isinstance(node, ast.Assign):
        return [name.id for target in node.targets for name in ast.walk(target) if isinstance(name, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []


def broken_references(text):
    """What ``text`` names in backticks that does not exist: files, `file.py::name`s and make targets."""
    broken = []
    for code in CODE.findall(text):
        make = MAKE.match(code)
        if make:
            if make.group(1) not in make_targets():
                broken.append(f"make target {make.group(1)!r} (not in the Makefile)")
            continue
        match = REFERENCE.match(code)
        if match is None or PLACEHOLDER.search(code):
            continue
        path, name = match.group("path"), match.group("name")
        if not (path.split("/")[0] in FOLDERS and "/" in path) and path not in ROOT_FILES:
            continue
        if path.startswith(generated_folders()):
            continue
        if not (ROOT / path).exists():
            broken.append(f"{path} (no such file)")
        elif name:
            owner, _dot, member = name.partition(".")
            names = defined_names(path)
            if owner not in names or (member and member not in names[owner]):
                broken.append(f"{path}::{name} (not defined there)")
    return broken


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_file_function_and_make_target_a_document_names_exists(document):
    assert broken_references((ROOT / document).read_text()) == []


def test_the_check_reports_a_renamed_file_function_method_and_make_target():
    text = (
        "`parkdash/core/exports.py` `parkdash/core/export.py::csv_stream` `parkdash/core/views.py::ObjectListView.put`"
        " `make tests` and what exists: `parkdash/core/export.py::csv_response` `parkdash/parks/` `make test-fast`"
        " `parkdash/core/views.py::ObjectListView.get` `parkdash/indicators/catalogue.py::CATALOGUE` `models.py`"
    )
    assert broken_references(text) == [
        "parkdash/core/exports.py (no such file)",
        "parkdash/core/export.py::csv_stream (not defined there)",
        "parkdash/core/views.py::ObjectListView.put (not defined there)",
        "make target 'tests' (not in the Makefile)",
    ]


def test_the_architecture_note_names_every_app_of_the_layer_contract():
    contract = (ROOT / ".importlinter").read_text()
    layers = contract.split("layers =", 1)[1].split("[importlinter:", 1)[0]
    apps = set(re.findall(r"parkdash\.(\w+)", layers))
    note = (ROOT / "docs/architecture.md").read_text()
    assert apps and {app for app in apps if f"`parkdash/{app}/`" not in note} == set()
