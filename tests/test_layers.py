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


def private_imports(package: str) -> list[str]:
    """``from <other layer> import _name``: a layer reaching into another's private helpers."""
    out = []
    for p in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                    and node.module.split(".")[0] != package:
                out += [f"{p.relative_to(ROOT)} imports {node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    return sorted(out)


def test_no_layer_imports_another_layers_private_helpers():
    for package in ("qa", "ui", "vectorstore"):
        assert private_imports(package) == []


def test_the_cache_folder_is_one_public_helper(monkeypatch, tmp_path):
    """Converted models (the ONNX export, and any other) live where vectorstore.cache says: no
    other module reads the cache settings itself."""
    from vectorstore.cache import cache_dir, digest

    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path))
    assert cache_dir("llm") == tmp_path / "qa-transcripts" / "llm"
    monkeypatch.delenv("QA_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir("onnx") == tmp_path / "xdg" / "qa-transcripts" / "onnx"
    assert digest("a:1:2") == digest("a:1:2") != digest("a:1:3") and len(digest("x")) == 12
    readers = sorted(str(p.relative_to(ROOT)) for package in ("qa", "ui", "vectorstore", "benchmarks")
                     for p in (ROOT / package).rglob("*.py")
                     if any(isinstance(n, ast.Call) and any(isinstance(a, ast.Constant) and a.value in ("QA_CACHE_DIR", "XDG_CACHE_HOME")
                                                             for a in n.args)
                            for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))))
    assert readers == ["vectorstore/cache.py"]
    onnx_embed = ast.parse((ROOT / "vectorstore" / "onnx_embed.py").read_text(encoding="utf-8"))
    assert "vectorstore.cache" in {n.module for n in ast.walk(onnx_embed) if isinstance(n, ast.ImportFrom)}
