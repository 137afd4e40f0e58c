"""The layering of tracker/, read from the source with `ast` (nothing is imported):

a) the domain (tracker/domain) imports no web framework and no web, CLI, job or app-wiring
   package of the app, not even inside a function;
b) the domain never commits (the caller decides when a unit of work ends);
c) a blueprint package (a folder under tracker/ whose blueprint.py defines a Blueprint) never
   imports another blueprint package;
d) no circular imports among tracker's modules (module-level imports outside
   `if TYPE_CHECKING:`).

Each rule is a function over source text, and each has a self-test on a small snippet that
breaks it, so the rule can be seen to fail.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TRACKER = ROOT / "tracker"

FORBIDDEN_IN_DOMAIN = (
    "flask",
    "flask_*",
    "jinja2",
    "werkzeug",
    "tracker.auth",
    "tracker.admin",
    "tracker.actions",
    "tracker.components",
    "tracker.dashboard",
    "tracker.evidence",
    "tracker.home",
    "tracker.imports",
    "tracker.notifications",
    "tracker.preferences",
    "tracker.readiness",
    "tracker.core",
    "tracker.cli",
    "tracker.scheduling",
    "tracker.mailing",
    "tracker.bench",
    "tracker.extensions",
    "tracker.database",
    "tracker.clock",
)


@dataclass(frozen=True)
class Module:
    """One module's source; `name` is dotted (a package is named by its __init__)."""

    name: str
    source: str
    is_package: bool = False
    path: str = "<snippet>"

    @property
    def package(self) -> str:
        """The package relative imports start from."""
        return self.name if self.is_package else self.name.rpartition(".")[0]


@dataclass(frozen=True)
class Import:
    """One import statement: the module named after `import` or `from`, the names taken from
    it (for `from … import`), its line, and whether it runs when the module is imported (at
    module level, not inside a function, not under `if TYPE_CHECKING:`)."""

    module: str
    names: tuple[str, ...]
    line: int
    at_import_time: bool

    def targets(self, modules: Iterable[str] | None = None) -> list[str]:
        """The modules this statement imports: `from pkg import mod` is the module pkg.mod when
        pkg.mod is one of `modules` (or, with no `modules` given, always also pkg.mod), and
        pkg itself for any other name."""
        if not self.names:
            return [self.module]
        known = None if modules is None else set(modules)
        found: list[str] = []
        for name in self.names:
            candidate = f"{self.module}.{name}"
            if known is None:
                found += [self.module, candidate]
            elif candidate in known:
                found.append(candidate)
            else:
                found.append(self.module)
        return list(dict.fromkeys(found))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(module: Module) -> list[Import]:
    """Every import statement in the module, wherever it is."""
    found: list[Import] = []

    def absolute(node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        base = module.package.split(".")
        base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
        return ".".join([*base, *([node.module] if node.module else [])])

    def visit(nodes: Iterable[ast.AST], at_import_time: bool) -> None:
        for node in nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    found.append(Import(alias.name, (), node.lineno, at_import_time))
            elif isinstance(node, ast.ImportFrom):
                names = tuple(alias.name for alias in node.names if alias.name != "*")
                found.append(Import(absolute(node), names, node.lineno, at_import_time))
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(ast.iter_child_nodes(node), False)
            elif isinstance(node, ast.If) and _is_type_checking(node.test):
                visit(node.body, False)
                visit(node.orelse, at_import_time)
            else:
                visit(ast.iter_child_nodes(node), at_import_time)

    visit(ast.parse(module.source).body, True)
    return found


def _matches(module: str, pattern: str) -> bool:
    if pattern.endswith("*"):
        return module.startswith(pattern[:-1])
    return module == pattern or module.startswith(pattern + ".")


# a) The domain imports no web package -------------------------------------------------------


def forbidden_imports(module: Module, forbidden: Iterable[str] = FORBIDDEN_IN_DOMAIN) -> list[str]:
    """The module's imports (anywhere in it) of anything in `forbidden`, in words."""
    patterns = tuple(forbidden)
    problems = []
    for statement in imports_of(module):
        for target in statement.targets():
            hit = next((p for p in patterns if _matches(target, p)), None)
            if hit:
                problems.append(f"{module.path}:{statement.line} imports {target} ({hit})")
                break
    return problems


# b) The domain never commits ----------------------------------------------------------------


def commit_calls(module: Module) -> list[str]:
    """Every call of an attribute named commit (session.commit(), db.session.commit(), …)."""
    return [
        f"{module.path}:{node.lineno} calls .commit()"
        for node in ast.walk(ast.parse(module.source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "commit"
    ]


# c) Blueprint packages never import each other ----------------------------------------------


def defines_blueprint(source: str) -> bool:
    """Whether the source calls Blueprint(…) (flask.Blueprint or an imported Blueprint)."""
    return any(
        isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == "Blueprint")
            or (isinstance(node.func, ast.Attribute) and node.func.attr == "Blueprint")
        )
        for node in ast.walk(ast.parse(source))
    )


def cross_blueprint_imports(module: Module, blueprint_packages: Iterable[str]) -> list[str]:
    """The module's imports (anywhere in it) of a blueprint package other than its own."""
    packages = set(blueprint_packages)
    own = {p for p in packages if _matches(module.name, p)}
    problems = []
    for statement in imports_of(module):
        for target in statement.targets():
            other = next((p for p in packages - own if _matches(target, p)), None)
            if other:
                problems.append(f"{module.path}:{statement.line} imports {target} ({other})")
                break
    return problems


# d) No circular imports ---------------------------------------------------------------------


def import_graph(modules: Mapping[str, Module]) -> dict[str, dict[str, int]]:
    """module -> {imported module: line}, for the imports that run when the module is imported
    and name one of `modules`."""
    graph: dict[str, dict[str, int]] = {}
    for name, module in modules.items():
        edges: dict[str, int] = {}
        for statement in imports_of(module):
            if not statement.at_import_time:
                continue
            for target in statement.targets(modules):
                if target in modules:
                    edges.setdefault(target, statement.line)
        graph[name] = edges
    return graph


def cycles(graph: Mapping[str, Mapping[str, int]]) -> list[list[str]]:
    """One cycle (first module repeated at the end) per strongly connected group of modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(node: str) -> None:  # Tarjan's algorithm
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, {})):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, {}):
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return [_cycle_through(group, graph) for group in sorted(groups)]


def _cycle_through(group: list[str], graph: Mapping[str, Mapping[str, int]]) -> list[str]:
    """The shortest path from the group's first module back to itself, inside the group."""
    start, members = group[0], set(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node]):
                if target == start:
                    return [*paths[node], start]
                if target in members and target not in paths:
                    paths[target] = [*paths[node], target]
                    following.append(target)
        frontier = following
    raise AssertionError(f"no cycle through {start}")  # pragma: no cover


def describe(cycle: list[str], graph: Mapping[str, Mapping[str, int]]) -> str:
    steps = [f"{a} (line {graph[a][b]}) -> {b}" for a, b in pairwise(cycle)]
    return " -> ".join(cycle) + "\n    " + "\n    ".join(steps)


# The tree -------------------------------------------------------------------------------------


@cache
def tracker_modules() -> dict[str, Module]:
    modules = {}
    for path in sorted(TRACKER.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        parts = path.relative_to(ROOT).with_suffix("").parts
        is_package = parts[-1] == "__init__"
        name = ".".join(parts[:-1] if is_package else parts)
        relative = str(path.relative_to(ROOT))
        modules[name] = Module(name, path.read_text(encoding="utf-8"), is_package, relative)
    return modules


def domain_modules() -> list[Module]:
    return [m for name, m in tracker_modules().items() if _matches(name, "tracker.domain")]


def blueprint_packages() -> list[str]:
    return sorted(
        path.parent.relative_to(ROOT).as_posix().replace("/", ".")
        for path in TRACKER.glob("*/blueprint.py")
        if defines_blueprint(path.read_text(encoding="utf-8"))
    )


def _all(problems: Iterator[list[str]]) -> list[str]:
    return [problem for found in problems for problem in found]


# Where today's tree breaks rules (a) and (b). Each entry marks that module's case as an
# expected failure, strictly: once the module is fixed its case passes, which fails the suite
# until the entry is removed.
KNOWN_WEB_IMPORTS: dict[str, str] = {}
KNOWN_COMMITS: dict[str, str] = {}


def domain_cases(known: Mapping[str, str]) -> list[object]:
    """One case per domain module, those in `known` marked as strict expected failures."""
    return [
        pytest.param(
            module,
            id=module.path,
            marks=[pytest.mark.xfail(strict=True, reason=known[module.path])]
            if module.path in known
            else [],
        )
        for module in domain_modules()
    ]


def test_the_domain_is_found_and_the_known_breaks_are_in_it() -> None:
    paths = {module.path for module in domain_modules()}
    assert len(paths) > 30
    assert set(KNOWN_WEB_IMPORTS) | set(KNOWN_COMMITS) <= paths


@pytest.mark.parametrize("module", domain_cases(KNOWN_WEB_IMPORTS))
def test_the_domain_imports_no_web_package(module: Module) -> None:
    problems = forbidden_imports(module)
    assert not problems, "The domain must not import these:\n" + "\n".join(problems)


@pytest.mark.parametrize("module", domain_cases(KNOWN_COMMITS))
def test_the_domain_never_commits(module: Module) -> None:
    problems = commit_calls(module)
    assert not problems, "The domain leaves committing to its caller:\n" + "\n".join(problems)


def test_blueprint_packages_do_not_import_each_other() -> None:
    packages = blueprint_packages()
    assert {"tracker.auth", "tracker.admin", "tracker.actions"} <= set(packages)
    modules = [
        m for name, m in tracker_modules().items() if any(_matches(name, p) for p in packages)
    ]
    problems = _all(cross_blueprint_imports(m, packages) for m in modules)
    assert not problems, "A blueprint imports another:\n" + "\n".join(problems)


def test_there_are_no_circular_imports_in_tracker() -> None:
    graph = import_graph(tracker_modules())
    assert sum(len(edges) for edges in graph.values()) > 100
    found = cycles(graph)
    assert not found, "Circular imports:\n" + "\n".join(describe(c, graph) for c in found)


# Self-tests: each rule fails on a snippet that breaks it ----------------------------------


DOMAIN = "tracker.domain.sample"


@pytest.mark.parametrize(
    "source",
    [
        "import flask",
        "from flask import g",
        "from flask_login import current_user",
        "import jinja2.sandbox",
        "from werkzeug.utils import secure_filename",
        "from tracker.core.access import current_actor",
        "from tracker import clock",
        "from tracker import extensions as ext",
        "import tracker.database",
        "from tracker.readiness.views import index",
        "def later():\n    from tracker.mailing.sender import deliver_outbox\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from flask import Flask\n",
        "class Later:\n    def method(self):\n        import tracker.cli\n",
    ],
)
def test_self_test_a_domain_module_importing_the_web_is_caught(source: str) -> None:
    assert forbidden_imports(Module(DOMAIN, source))


@pytest.mark.parametrize(
    "source",
    [
        "from sqlalchemy.orm import Session",
        "from tracker.models import User",
        "from tracker.domain.readiness import compute_readiness",
        "from tracker.domain import audit",
        "import flaskish",  # a name that merely starts like flask
        "from tracker import models",
        "from . import errors",
    ],
)
def test_self_test_domain_imports_of_the_domain_and_models_pass(source: str) -> None:
    assert forbidden_imports(Module(DOMAIN, source)) == []


def test_self_test_a_relative_import_is_resolved() -> None:
    module = Module("tracker.domain.rounds.editing", "from ...core import access\n")
    assert forbidden_imports(module) == ["<snippet>:1 imports tracker.core (tracker.core)"]


def test_self_test_a_commit_is_caught() -> None:
    source = "def save(session):\n    session.flush()\n    db.session.commit()\n"
    assert commit_calls(Module(DOMAIN, source)) == ["<snippet>:3 calls .commit()"]
    assert commit_calls(Module(DOMAIN, "def save(session):\n    session.flush()\n")) == []


def test_self_test_blueprints_are_recognised() -> None:
    assert defines_blueprint('from flask import Blueprint\nblueprint = Blueprint("a", __name__)')
    assert defines_blueprint('import flask\nbp = flask.Blueprint("a", __name__)')
    assert not defines_blueprint("from tracker.auth.blueprint import blueprint\n")


def test_self_test_a_blueprint_importing_another_is_caught() -> None:
    packages = ["tracker.auth", "tracker.admin"]
    admin = "tracker.admin.user_pages"
    for source in (
        "from tracker.auth.forms import SignInForm",
        "from tracker import auth",
        "import tracker.auth.views",
        "def later():\n    from tracker.auth.session import end_sessions\n",
    ):
        assert cross_blueprint_imports(Module(admin, source), packages), source
    for source in (
        "from tracker.admin.blueprint import blueprint",
        "from tracker.core.access import require",
        "from tracker.domain.accounts import administration",
        "from tracker import admin",
    ):
        assert cross_blueprint_imports(Module(admin, source), packages) == [], source


def _modules(**sources: str) -> dict[str, Module]:
    """Snippet modules named with "__" for "." (pkg__a is pkg.a); "pkg" alone is a package."""
    modules = {}
    for key, source in sources.items():
        name = key.replace("__", ".")
        is_package = any(other.startswith(key + "__") for other in sources)
        modules[name] = Module(name, source, is_package)
    return modules


def test_self_test_a_cycle_is_found_and_printed() -> None:
    modules = _modules(
        pkg="from pkg.a import thing\n",
        pkg__a="import pkg.b\nthing = 1\n",
        pkg__b="from pkg import c\n",
        pkg__c="from pkg.a import thing\n",
    )
    graph = import_graph(modules)
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.c", "pkg.a"]]
    assert describe(["pkg.a", "pkg.b", "pkg.c", "pkg.a"], graph).startswith(
        "pkg.a -> pkg.b -> pkg.c -> pkg.a\n    pkg.a (line 1) -> pkg.b"
    )


def test_self_test_importing_the_own_package_counts() -> None:
    modules = _modules(
        pkg="from pkg.recording import record\n",
        pkg__recording="record = print\n",
        pkg__trail="from pkg import record\n",
    )
    assert cycles(import_graph(modules)) == []
    modules["pkg"] = Module("pkg", "from pkg.trail import search\n", True)
    assert cycles(import_graph(modules)) == [["pkg", "pkg.trail", "pkg"]]


def test_self_test_a_module_importing_itself_is_a_cycle() -> None:
    assert cycles(import_graph(_modules(solo="import solo\n"))) == [["solo", "solo"]]


@pytest.mark.parametrize(
    "late_import",
    [
        "def later():\n    from pkg.a import thing\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import thing\n",
        "import typing\nif typing.TYPE_CHECKING:\n    import pkg.a\n",
    ],
)
def test_self_test_imports_that_do_not_run_at_import_time_are_no_cycle(late_import: str) -> None:
    modules = _modules(pkg="", pkg__a="import pkg.b\nthing = 1\n", pkg__b=late_import)
    assert cycles(import_graph(modules)) == []


def test_self_test_an_import_in_a_class_body_or_try_block_runs_at_import_time() -> None:
    for source in (
        "class Holder:\n    import pkg.a\n",
        "try:\n    import pkg.a\nexcept ImportError:\n    pass\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    pass\nelse:\n    import pkg.a\n",
    ):
        modules = _modules(pkg="", pkg__a="import pkg.b\n", pkg__b=source)
        assert cycles(import_graph(modules)) == [["pkg.a", "pkg.b", "pkg.a"]], source
