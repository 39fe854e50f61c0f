"""One direction between apps: no import cycle between two apps, or between residence's shared packages.

Every module of every app is parsed (ast, nothing imported), function-local imports counted, as a
cycle through a function-local import is still a cycle: the two apps cannot be understood, tested
or moved apart. Imports under ``if TYPE_CHECKING:`` are left out: they never run. The project
package's own modules (settings, urls, celery, wsgi, asgi) are the one place that names every app,
so what they import is not counted; the rest of ``residence`` (regions, storage, ...) counts as one
shared package each.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Every app at the top of the tree (a folder with an apps.py), so a new app is checked as it lands.
APPS = tuple(sorted(path.parent.name for path in ROOT.glob("*/apps.py")))
PROJECT_MODULES = {
    "residence.settings",
    "residence.urls",
    "residence.celery",
    "residence.wsgi",
    "residence.asgi",
}

# Known exceptions: the import (from, to) that closes a cycle and is tolerated for now, with the
# reason. Every entry is a debt, not a design; test_known_cycles_are_still_cycles makes an entry
# leave the list as soon as its cycle is gone.
KNOWN_BACK_EDGES: dict[tuple[str, str], str] = {
    # applications records consent (privacy.services, consent_texts) at submission; privacy exports
    # and erases applications' records. Consent should be recorded by the submit view's service call
    # into a privacy hook, or privacy's models should sit below applications.
    ("applications", "privacy"): "consent is recorded by applications.services",
    # accounts' admin and API use the second factor (mfa), which reads accounts' users.
    ("residence.accounts", "residence.mfa"): "the staff admin and API ask for a recent second factor",
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _unit(module: str) -> str | None:
    """The app or shared package a module belongs to (None: outside the project)."""
    parts = module.split(".")
    if parts[0] in APPS:
        return parts[0]
    if parts[0] == "residence" and len(parts) > 1:
        return f"residence.{parts[1]}"
    return None


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, module: str, is_package: bool) -> list[str]:
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base if is_package else base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append(target)
            # "from . import services": each name may be a module of its own.
            found.extend(f"{target}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def dependency_graph() -> dict[str, dict[str, set[str]]]:
    """unit -> {unit it imports: the modules that import it}."""
    graph: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    paths = [p for app in APPS for p in (ROOT / app).rglob("*.py")] + list((ROOT / "residence").rglob("*.py"))
    for path in paths:
        module = _module_name(path)
        source = _unit(module)
        if source is None or module in PROJECT_MODULES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for target in _imports(tree, module, path.name == "__init__.py"):
            unit = _unit(target)
            if unit is not None and unit != source:
                graph[source][unit].add(module)
    return graph


def cycles(graph: dict[str, dict[str, set[str]]]) -> list[list[str]]:
    """The strongly connected components of more than one unit (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, {}):
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def _without_known(graph):
    pruned = {source: dict(targets) for source, targets in graph.items()}
    for source, target in KNOWN_BACK_EDGES:
        pruned.get(source, {}).pop(target, None)
    return pruned


def _explain(graph, component: list[str]) -> str:
    lines = [" <-> ".join(component)]
    for source in component:
        for target in component:
            for module in sorted(graph.get(source, {}).get(target, ())):
                lines.append(f"  {module} imports {target}")
    return "\n".join(lines)


def test_no_import_cycle_between_apps_or_shared_packages():
    graph = dependency_graph()
    found = cycles(_without_known(graph))
    assert not found, "\n".join(_explain(graph, component) for component in found)


def test_the_graph_sees_function_local_imports():
    # eligibility's receiver wiring is a function-local import in ApplicationsConfig.ready.
    graph = dependency_graph()
    assert "eligibility" in graph["applications"]
    assert "applications.apps" in graph["applications"]["eligibility"]


def test_known_cycles_are_still_cycles():
    """An import that no longer closes a cycle must leave the list of exceptions."""
    graph = dependency_graph()
    for source, target in KNOWN_BACK_EDGES:
        assert target in graph.get(source, {}), (source, target)
        back = _without_known(graph)
        # With the edge put back alone, its two ends are in one cycle again.
        back.setdefault(source, {})[target] = graph[source][target]
        assert any(source in c and target in c for c in cycles(back)), (source, target)


def test_the_fixed_cycles_stay_fixed():
    """The ones issue 18 named and this change removed, by name, so a regression reads clearly."""
    graph = dependency_graph()
    assert "applications" not in graph["eligibility"]  # the impact page: a registered case source
    assert "verification" not in graph["residence.core"]  # the health check: registered figures
    assert "cards" not in graph["residence.core"]  # the card signing deploy check lives in cards
    assert "residence.accounts" not in graph["residence.core"]  # home pages, demo, token auth moved
    # Verification checks cases it does not own: applications registers them (verification.extensions)
    # and moves a case on when told its checks are complete; cards registers the revoker.
    assert "applications" not in graph["verification"]
    assert "cards" not in graph["verification"]
    assert "identity" not in graph["applications"]  # identity registers its submission check and gate
    assert "residence.accounts" not in graph["residence.audit"]  # accounts registers the alert
    assert "residence.core" not in graph["residence.audit"]
