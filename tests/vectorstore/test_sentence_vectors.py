"""Sentence vectors embedded at ingest (`vectorstore.sentence_vectors`): every stored paragraph's
sentences have one, the reader embeds only what is missing, and a killed or older ingest is
completed by the next run."""

import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from fakes import FakeEmbedder, OtherFakeEmbedder
from vectorstore.ingest import Ingester
from vectorstore.sentence_vectors import FILE, CachedEmbedder, SentenceVectors
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


def test_reingest_embeds_no_sentence_again(ingester, store, corpus):
    ingester.run([corpus])
    assert Ingester(store, FakeEmbedder()).run([corpus]).sentences_embedded == 0


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
        assert reader.lookup(["Hello."]) == {}
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
