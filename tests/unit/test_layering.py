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
