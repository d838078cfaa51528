"""Every environment variable the tracker's source reads, found with `ast`.

A read is ``environ.get("…")`` or ``.pop``, ``os.environ["…"]``,
``os.getenv("…")``, ``"…" in os.environ`` or a click option's ``envvar``. Its
name is found when it is written there, held in a string constant (of the
module, or imported from another), or is a parameter of a function every call
of which passes a constant. A WSGI request's ``environ`` is not the process's
and is left out. Whatever cannot be named is reported, never guessed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from tests.deployment.conftest import ROOT

# The packages whose modules make up the tracker.
APP_PACKAGES = ("domain", "tracker", "projections", "web")


@dataclass
class EnvironmentReads:
    """The variable names a body of source reads, and reads it could not name."""

    names: set[str] = field(default_factory=set)
    unresolved: list[str] = field(default_factory=list)


def _is_environment(node: ast.expr) -> bool:
    """`os.environ`, a mapping called `environ`, or an expression choosing one."""
    return any(
        (isinstance(n, ast.Name) and n.id == "environ")
        or (isinstance(n, ast.Attribute) and n.attr == "environ")
        for n in ast.walk(node)
    )


def _called(call: ast.Call) -> str:
    """The name of the function or method a call calls ("" when computed)."""
    callee = call.func
    if isinstance(callee, ast.Attribute):
        return callee.attr
    return callee.id if isinstance(callee, ast.Name) else ""


class _Module:
    """One parsed module: its string constants, and each node's parent."""

    def __init__(self, label: str, source: str, modules: dict[str, _Module]) -> None:
        self.label = label
        self.tree = ast.parse(source)
        self.modules = modules
        modules[label.removesuffix(".py").replace("/", ".")] = self
        self.parents = {
            child: parent
            for parent in ast.walk(self.tree)
            for child in ast.iter_child_nodes(parent)
        }
        self.constants = {
            target.id: statement.value.value
            for statement in self.tree.body
            if isinstance(statement, ast.Assign)
            and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str)
            for target in statement.targets
            if isinstance(target, ast.Name)
        }
        self.imported = {
            alias.asname or alias.name: (statement.module or "", alias.name)
            for statement in self.tree.body
            if isinstance(statement, ast.ImportFrom)
            for alias in statement.names
        }

    def constant(self, node: ast.expr) -> str | None:
        """The string an expression certainly is: a literal, or a constant's."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if not isinstance(node, ast.Name):
            return None
        if node.id in self.constants:
            return self.constants[node.id]
        module, name = self.imported.get(node.id, ("", ""))
        found = self.modules.get(module)
        return found.constants.get(name) if found else None

    def function_of(self, node: ast.AST, name: str) -> ast.FunctionDef | None:
        """The nearest enclosing function that has a parameter `name`."""
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef) and name in _parameters(node):
                return node
        return None

    def is_wsgi(self, node: ast.expr) -> bool:
        """A WSGI request's `environ` (a parameter so annotated), not the process's."""
        if isinstance(node, ast.Attribute) and ast.unparse(node) == "request.environ":
            return True
        function = (
            self.function_of(node, "environ") if isinstance(node, ast.Name) else None
        )
        annotation = function and _parameters(function)["environ"].annotation
        return bool(annotation) and "WSGI" in ast.unparse(annotation)  # type: ignore[arg-type]

    def read_keys(self) -> Iterator[ast.expr]:
        """The key of each read of the environment in this module."""
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call) and node.args:
                target = (
                    node.func.value if isinstance(node.func, ast.Attribute) else None
                )
                if _called(node) == "getenv" or (
                    _called(node) in ("get", "pop") and target is not None
                    and _is_environment(target) and not self.is_wsgi(target)
                ):  # fmt: skip
                    yield node.args[0]
            elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
                if _is_environment(node.value) and not self.is_wsgi(node.value):
                    yield node.slice
            elif isinstance(node, ast.keyword) and node.arg == "envvar":
                yield node.value  # a click option's variable
            elif (
                isinstance(node, ast.Compare)
                and isinstance(node.ops[0], ast.In)
                and _is_environment(node.comparators[0])
            ):
                yield node.left

    def names_passed(self, function: str, position: int) -> list[str]:
        """The constants each call of `function` in this module passes at `position`."""
        return [
            value
            for call in ast.walk(self.tree)
            if isinstance(call, ast.Call) and _called(call) == function
            and len(call.args) > position
            and (value := self.constant(call.args[position])) is not None
        ]  # fmt: skip


def _parameters(function: ast.FunctionDef) -> dict[str, ast.arg]:
    """A function's positional parameters by name, in order."""
    return {a.arg: a for a in (*function.args.posonlyargs, *function.args.args)}


def environment_reads(sources: Mapping[str, str]) -> EnvironmentReads:
    """Every environment variable the given modules read (label → source).

    A name held in a variable is found when it is a constant (here or
    imported), or a parameter of a function every call of which passes one.
    """
    registry: dict[str, _Module] = {}
    modules = [_Module(label, source, registry) for label, source in sources.items()]
    reads = EnvironmentReads()
    for module in modules:
        for key in module.read_keys():
            named = module.constant(key)
            function = (
                module.function_of(key, key.id) if isinstance(key, ast.Name) else None
            )
            passed = [
                name
                for other in modules
                if function and isinstance(key, ast.Name)
                for name in other.names_passed(
                    function.name, list(_parameters(function)).index(key.id)
                )
            ]
            if named is not None or passed:
                reads.names.update([named] if named is not None else passed)
            else:
                reads.unresolved.append(f"{module.label}:{key.lineno}")
    return reads


def app_sources() -> dict[str, str]:
    """The tracker's own modules (domain, tracker, projections, web)."""
    return {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
        for package in APP_PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }
