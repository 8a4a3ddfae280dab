"""The layers import downwards only: ui → qa → vectorstore. Read from the source with `ast`, so a
late import inside a function counts too."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module.split(".")[0])
    return out


def offenders(package: str, forbidden: set[str], allowed: set[str] = frozenset()) -> list[str]:
    return sorted(f"{p.relative_to(ROOT)} imports {', '.join(sorted(imports(p) & forbidden))}"
                  for p in (ROOT / package).rglob("*.py")
                  if imports(p) & forbidden and str(p.relative_to(ROOT)) not in allowed)


def test_vectorstore_imports_neither_qa_nor_ui():
    assert offenders("vectorstore", {"qa", "ui"}) == []


def test_qa_imports_ui_only_to_start_the_chat():
    assert offenders("qa", {"ui"}, allowed={"qa/cli.py"}) == []


def test_the_check_can_fail():
    assert imports(ROOT / "qa" / "cli.py") >= {"ui"}  # the one allowed exception is seen
    assert "vectorstore" in imports(ROOT / "qa" / "engine.py")
