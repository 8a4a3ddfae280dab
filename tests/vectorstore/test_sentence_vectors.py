"""Sentence vectors embedded at ingest (`vectorstore.sentence_vectors`): every stored paragraph's
sentences have one, the reader embeds only what is missing, and a killed or older ingest is
completed by the next run."""

import shutil
import sqlite3
import time
from pathlib import Path

import numpy as np
import pytest

from fakes import FakeEmbedder, OtherFakeEmbedder
from vectorstore.ingest import Ingester
from vectorstore.embed import CachedEmbedder
from vectorstore.sentence_vectors import FILE, SentenceVectors
from vectorstore.sentences import embedded_sentences
from vectorstore.store import Store


FIX = Path(__file__).resolve().parents[1] / "fixtures" / "transcripts"


@pytest.fixture
def corpus(tmp_path) -> Path:
    root = tmp_path / "transcripts"
    shutil.copytree(FIX, root)
    return root


def stored_sentences(store: Store) -> list[str]:
    paragraphs = {m.get("para_id") or i: m.get("paragraph_text") or t for i, t, m in store.records()}
    return list(dict.fromkeys(s for p in paragraphs.values() for s in embedded_sentences(p)))


def test_every_stored_sentence_has_its_vector_after_ingest(ingester, store, corpus, embedder):
    report = ingester.run([corpus])
    sentences = stored_sentences(store)
    found = store.sentence_vectors(embedder.name).lookup(sentences)
    assert len(sentences) > 15 and set(found) == set(sentences)
    assert report.sentences_embedded == len(sentences)
    for text in sentences[:5]:  # the vector is the embedder's for that text
        assert np.allclose(found[text], embedder.embed([text])[0])


def test_reingest_embeds_no_sentence_again_and_does_not_rescan(ingester, store, corpus, embedder, monkeypatch):
    ingester.run([corpus])
    assert store.sentence_vectors(embedder.name).complete()  # a fresh store is marked without a backfill

    def no_backfill(self, report):
        raise AssertionError("a complete store was scanned again")

    monkeypatch.setattr(Ingester, "_backfill_sentences", no_backfill)
    assert Ingester(store, FakeEmbedder()).run([corpus]).sentences_embedded == 0


def test_a_store_completed_under_other_splitting_code_is_backfilled(ingester, store, corpus, embedder, monkeypatch):
    import vectorstore.sentence_vectors as sv

    ingester.run([corpus])
    monkeypatch.setattr(sv, "splitter_fingerprint", lambda: "another splitter")
    assert not store.sentence_vectors(embedder.name).complete()
    calls = []
    monkeypatch.setattr(Ingester, "_backfill_sentences", lambda self, report: calls.append(1))
    Ingester(store, FakeEmbedder()).run([corpus])
    assert calls and store.sentence_vectors(embedder.name).complete()


def test_an_upload_does_not_backfill_an_older_store(ingester, store, corpus, embedder, tmp_path):
    ingester.run([corpus])
    (store.path / FILE).unlink()
    extra = tmp_path / "upload"
    extra.mkdir()
    (extra / "new.txt").write_text("A new paragraph about Ghana. It has two sentences.\n")
    report = Ingester(store, FakeEmbedder(), backfill=False).run([extra])
    assert report.sentences_embedded == 2  # its own sentences only
    assert not store.sentence_vectors(embedder.name).complete()  # left for the next `qa ingest`


def test_a_store_without_sentence_vectors_is_backfilled(ingester, store, corpus, embedder):
    ingester.run([corpus])
    (store.path / FILE).unlink()  # a store from before this release
    report = Ingester(store, FakeEmbedder()).run([corpus])
    assert report.paragraphs_added == 0 and report.sentences_embedded == len(stored_sentences(store))
    assert set(store.sentence_vectors(embedder.name).lookup(stored_sentences(store))) == set(stored_sentences(store))


def test_a_run_killed_before_backfilling_backfills_next_time(ingester, store, corpus, embedder):
    ingester.run([corpus])
    vectors = store.sentence_vectors(embedder.name)
    with vectors._writer() as con:  # as if killed after its paragraphs, before the mark
        con.execute("DELETE FROM meta WHERE name = 'complete'")
        con.execute("DELETE FROM vectors WHERE rowid % 2 = 0")
    vectors.close()
    report = Ingester(store, FakeEmbedder()).run([corpus])
    assert report.sentences_embedded > 0
    assert set(store.sentence_vectors(embedder.name).lookup(stored_sentences(store))) == set(stored_sentences(store))


def test_cached_embedder_embeds_only_the_misses_and_keeps_the_order(tmp_path):
    vectors = SentenceVectors(tmp_path / FILE, FakeEmbedder.name)
    base = FakeEmbedder()
    vectors.add(["Stored one.", "Stored two."], base.embed(["Stored one.", "Stored two."]))
    spy = FakeEmbedder()
    texts = ["A question?", "Stored two.", "New sentence.", "Stored one.", "A question?"]
    out = CachedEmbedder(spy, vectors).embed(texts)
    assert spy.calls == 1 and spy.texts_embedded == 2  # the question and the new sentence, once each
    assert np.allclose(out, FakeEmbedder().embed(texts))
    assert CachedEmbedder(spy, vectors).embed([]).shape[0] == 0


def test_vectors_of_another_encoder_are_not_used(tmp_path):
    SentenceVectors(tmp_path / FILE, OtherFakeEmbedder.name).add(["Hello."], np.ones((1, 64), np.float32))
    assert SentenceVectors(tmp_path / FILE, FakeEmbedder.name).lookup(["Hello."]) == {}
    assert SentenceVectors(tmp_path / "missing" / FILE, FakeEmbedder.name).lookup(["Hello."]) == {}


def test_a_locked_file_is_a_miss_not_a_wait_or_an_error(tmp_path):
    vectors = SentenceVectors(tmp_path / FILE, FakeEmbedder.name)
    vectors.add(["Hello."], np.ones((1, 64), np.float32))
    reader = SentenceVectors(tmp_path / FILE, FakeEmbedder.name)
    assert list(reader.lookup(["Hello."])) == ["Hello."]
    writer = sqlite3.connect(str(tmp_path / FILE))
    writer.execute("BEGIN EXCLUSIVE")  # an ingest committing
    try:
        started = time.perf_counter()
        assert reader.lookup(["Hello."]) == {}
        assert time.perf_counter() - started < 0.5  # it gave up at once, no 30 s wait
    finally:
        writer.rollback()
    assert list(reader.lookup(["Hello."])) == ["Hello."]


def test_add_checks_its_arguments(tmp_path):
    with pytest.raises(ValueError, match="2 texts but 1 vectors"):
        SentenceVectors(tmp_path / FILE, "m").add(["a", "b"], np.ones((1, 4), np.float32))


def test_a_store_on_a_server_has_none():
    assert Store(url="http://127.0.0.1:9").sentence_vectors("m") is None


@pytest.mark.parametrize("module", ["vectorstore.sentences", "vectorstore.sentence_vectors"])
def test_doctests(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0, result


def test_a_journal_left_by_a_killed_writer_is_rolled_back_by_a_reader(tmp_path):
    """A SIGKILL inside `add` leaves a hot journal; a reader that can write the folder rolls it back
    instead of seeing nothing until the next ingest."""
    import subprocess
    import sys

    SentenceVectors(tmp_path / FILE, FakeEmbedder.name).add(["Hello."], np.ones((1, 64), np.float32))
    code = ("import os, sqlite3, sys; con = sqlite3.connect(sys.argv[1]); con.execute('PRAGMA cache_size=1'); "
            "con.execute('BEGIN'); [con.execute('INSERT INTO vectors VALUES (?, ?)', (os.urandom(16), b'x' * 4096)) "
            "for _ in range(200)]; os._exit(9)")
    assert subprocess.run([sys.executable, "-c", code, str(tmp_path / FILE)]).returncode == 9
    assert (tmp_path / (FILE + "-journal")).exists()
    assert list(SentenceVectors(tmp_path / FILE, FakeEmbedder.name).lookup(["Hello."])) == ["Hello."]


def test_a_corrupt_file_is_a_store_error_naming_the_fix(tmp_path):
    from vectorstore.errors import StoreError

    (tmp_path / FILE).write_bytes(b"not a database" * 100)
    with pytest.raises(StoreError, match="Delete that file"):
        SentenceVectors(tmp_path / FILE, "m").add(["a"], np.ones((1, 4), np.float32))
    assert SentenceVectors(tmp_path / FILE, "m").lookup(["a"]) == {}  # reading: a miss, never an error
