"""SIGKILL an ingest at several points: a re-run always ends with exactly the paragraphs of an
uninterrupted ingest (same ids, no duplicates, no orphans) in Chroma and in the BM25 index."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qa.retrieve import Retriever
from qa.settings import Settings
from vectorstore.store import Store

HERE = Path(__file__).resolve().parent
FIX = HERE.parent / "fixtures" / "transcripts"


def make_corpus(root: Path, copies: int = 12) -> Path:
    root.mkdir()
    for i in range(copies):
        for src in FIX.rglob("*.*"):
            text = src.read_text()
            (root / f"{i:02d}-{src.name}").write_text(text.replace("Kenya", f"Kenya{i}").replace("Maria", f"Maria{i}"))
    return root


def ingest(root: Path, store: Path, delay: float = 0.0) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(HERE / "ingest_driver.py"), str(root), str(store), str(delay)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def ids(store: Path) -> list[str]:
    return sorted(i for i, _ in Store(store).metadata())


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    base = tmp_path_factory.mktemp("ref")
    root = make_corpus(base / "corpus")
    p = ingest(root, base / "store")
    assert p.wait(timeout=120) == 0, p.stderr.read()
    return root, ids(base / "store")


@pytest.mark.parametrize("kill_after", [0.2, 0.7, 1.2, 1.9])
def test_killed_ingest_then_rerun_equals_clean_ingest(reference, tmp_path, kill_after):
    root, expected = reference
    store = tmp_path / "store"
    p = ingest(root, store, delay=0.8)
    assert p.stdout.readline().strip() == "started"
    time.sleep(kill_after)
    assert p.poll() is None, "the ingest finished before it could be killed"
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=30)
    rerun = ingest(root, store)
    assert rerun.wait(timeout=120) == 0, rerun.stderr.read()
    got = ids(store)
    assert got == expected
    assert len(got) == len(set(got))
    # the lexical index is derived from Chroma, so it holds exactly the same records
    retriever = Retriever(Store(store), None, Settings.from_env({}, store=str(store)))
    assert sorted(retriever.lexical().ids) == expected


def test_two_concurrent_ingests_do_not_corrupt_the_store(reference, tmp_path):
    root, expected = reference
    store = tmp_path / "store"
    first = ingest(root, store, delay=0.8)
    assert first.stdout.readline().strip() == "started"
    time.sleep(0.5)
    second = ingest(root, store)
    assert second.wait(timeout=60) != 0
    assert "Another `qa ingest`" in second.stderr.read()
    assert first.wait(timeout=120) == 0
    assert ids(store) == expected
