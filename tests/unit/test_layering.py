"""Arrows point one way: bot imports storage; storage never imports bot or telegram."""

import ast
from pathlib import Path

STORAGE = Path(__file__).resolve().parents[2] / "storage"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_storage_imports_neither_telegram_nor_bot():
    offenders = {
        str(path.relative_to(STORAGE.parent)): sorted(_imports(path) & {"telegram", "bot"})
        for path in STORAGE.rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


BOT = STORAGE.parent / "bot"
# The Bot API stand-in is a test double with its own internal references.
STAND_IN = "bot.fake_telegram"


def _module_name(path: Path) -> str:
    parts = path.relative_to(STORAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_nodes(tree: ast.AST):
    """Every node but those under ``if TYPE_CHECKING:``, which never run."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            continue
        yield node
        yield from _runtime_nodes(node)


def _bot_graph() -> dict[str, set[str]]:
    """Each bot module and the bot modules it imports, at any depth of the file."""
    modules = {_module_name(path): path for path in BOT.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                targets.add(node.module)
                # ``from package import module`` imports the module.
                targets.update(f"{node.module}.{alias.name}" for alias in node.names)
        graph[name] = {target for target in targets if target in modules and target != name}
    return graph


def test_handlers_never_import_conversations():
    offenders = {
        name: sorted(t for t in targets if t.startswith("bot.conversations"))
        for name, targets in _bot_graph().items()
        if name.startswith("bot.handlers")
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_circle_of_imports_outside_the_stand_in():
    graph = {
        name: {t for t in targets if not t.startswith(STAND_IN)}
        for name, targets in _bot_graph().items()
        if not name.startswith(STAND_IN)
    }
    assert _cycles(graph) == []


def test_no_handler_or_flow_commits_a_transaction_itself():
    # Services in storage/ own their transaction: they open the unit of work they are
    # handed, commit once and close it, so a handler never holds half a change.
    offenders = [
        f"{path.relative_to(BOT.parent)}:{node.lineno}"
        for folder in ("handlers", "conversations", "flowkit")
        for path in (BOT / folder).rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "commit"
    ]
    assert offenders == []
