"""SIGKILL an ingest mid-write: a re-run always ends with exactly the records of an uninterrupted
ingest (same ids and metadata, no duplicates, no orphans) in Chroma and in the BM25 index.

Kills land at named points in ingest's write path (`vectorstore.faults`: after an upsert, between
two metadata updates, before the deletes), on a fresh ingest and on the re-ingest of edited files;
the exit status (-SIGKILL) proves each one landed there."""

import os
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


def ingest(root: Path, store: Path, delay: float = 0.0, fault: str = "") -> subprocess.Popen:
    env = {**os.environ, "QA_FAULT": fault}
    return subprocess.Popen([sys.executable, str(HERE / "ingest_driver.py"), str(root), str(store), str(delay)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def ids(store: Path) -> list[str]:
    return sorted(i for i, _ in Store(store).metadata())


def records(store: Path) -> dict[str, dict]:
    """id -> metadata, without the corpus folder's path (the reference was built from another copy)."""
    return {i: {k: v for k, v in m.items() if k != "root"} for i, m in Store(store).metadata()}


def missing_sentence_vectors(store: Path) -> list[str]:
    """Sentences of stored paragraphs without a vector from ingest (`vectorstore.sentence_vectors`)."""
    from fakes import FakeEmbedder
    from vectorstore.sentences import embedded_sentences

    s = Store(store)
    texts = {t for _, text, m in s.records() for t in embedded_sentences(m.get("paragraph_text") or text)}
    return sorted(texts - set(s.sentence_vectors(FakeEmbedder.name).lookup(list(texts))))


def edit(root: Path) -> None:
    """Edits that exercise every write: a new first paragraph (all kept paragraphs move: metadata
    updates), a changed paragraph (an add and a delete) and a removed one (a delete)."""
    for path in sorted(root.glob("*-interview.txt"))[:6]:
        text = path.read_text()
        text = text.replace("Today, Russia and Azerbaijan", "Today, Russia and Azerbaijan, she stressed,")
        text = text.replace("Every year, over 200 scholarships", "Every year, over 250 scholarships")
        path.write_text("A new opening paragraph about the visit.\n\n" + text)
    for path in sorted(root.glob("*-briefing.md"))[:4]:
        path.write_text(path.read_text().replace("That number keeps rising.", ""))


def run_to_end(root: Path, store: Path, fault: str = "") -> None:
    p = ingest(root, store, fault=fault)
    assert p.wait(timeout=120) == 0, p.stderr.read()


@pytest.fixture(scope="module")
def edited_reference(tmp_path_factory):
    base = tmp_path_factory.mktemp("edited")
    root = make_corpus(base / "corpus")
    edit(root)
    run_to_end(root, base / "store")
    return records(base / "store")


@pytest.mark.parametrize("fault", ["after_upsert@1", "after_upsert@2"])
def test_fresh_ingest_killed_at_a_named_point_then_rerun(reference, tmp_path, fault):
    root, expected = reference
    store = tmp_path / "store"
    p = ingest(root, store, fault=fault)
    assert p.wait(timeout=120) == -signal.SIGKILL, f"no kill at {fault}: {p.stderr.read()}"
    assert 0 < len(ids(store)) < len(expected)  # it died mid-write
    assert not missing_sentence_vectors(store)  # written before their paragraphs
    run_to_end(root, store)
    assert ids(store) == expected
    assert not missing_sentence_vectors(store)


@pytest.mark.slow
@pytest.mark.parametrize("fault", ["after_upsert@1", "during_metadata_update@1", "during_metadata_update@3",
                                   "before_delete@1"])
def test_edited_reingest_killed_at_a_named_point_then_rerun(edited_reference, tmp_path, fault):
    root = make_corpus(tmp_path / "corpus")
    store = tmp_path / "store"
    run_to_end(root, store)
    before = records(store)
    edit(root)
    p = ingest(root, store, fault=fault)
    assert p.wait(timeout=120) == -signal.SIGKILL, f"no kill at {fault}: {p.stderr.read()}"
    assert records(store) != before  # the kill landed after a write
    assert not missing_sentence_vectors(store)  # written before their paragraphs, on an edit too
    run_to_end(root, store)
    got = records(store)
    assert sorted(got) == sorted(edited_reference)
    assert got == edited_reference  # metadata too: hashes, paragraph numbers
    retriever = Retriever(Store(store), None, Settings.from_env({}, store=str(store)))
    assert sorted(retriever.lexical().ids) == sorted(edited_reference)


def test_an_unknown_fault_point_is_an_error(tmp_path):
    p = ingest(make_corpus(tmp_path / "corpus", copies=1), tmp_path / "store", fault="after_lunch")
    assert p.wait(timeout=120) != 0 and "unknown point" in p.stderr.read()


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    base = tmp_path_factory.mktemp("ref")
    root = make_corpus(base / "corpus")
    p = ingest(root, base / "store")
    assert p.wait(timeout=120) == 0, p.stderr.read()
    return root, ids(base / "store")


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
