"""Ingest is idempotent, follows edits and deletions, and reports what it skipped."""

import shutil
from pathlib import Path

import pytest
from fakes import FakeEmbedder, OtherFakeEmbedder

from qa.errors import StoreError
from vectorstore.ingest import Ingester
from vectorstore.store import Store

FIX = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def corpus(tmp_path) -> Path:
    root = tmp_path / "transcripts"
    shutil.copytree(FIX / "transcripts", root)
    return root


def snapshot(store: Store) -> dict[str, tuple]:
    return {pid: (meta["source"], meta["paragraph"]) for pid, meta in store.metadata()}


def test_first_ingest_reads_every_file(ingester, corpus, store):
    report = ingester.run([corpus])
    assert report.files_read == 4 and report.files_skipped == []
    assert report.paragraphs_added == store.count() > 10
    assert report.paragraphs_removed == 0
    sources = store.sources()
    assert set(sources) == {"briefing.md", "interview.txt", "page.html", "un/KEN_78_2023.txt"}
    meta = next(m for _, m in store.metadata({"source": "briefing.md"}))
    assert meta["title"].startswith("Press Briefing") and meta["date"] == "2022-03-01"


def test_second_ingest_changes_nothing_and_embeds_nothing(ingester, corpus, store, embedder):
    ingester.run([corpus])
    before, calls = snapshot(store), embedder.calls
    report = ingester.run([corpus])
    assert report.paragraphs_added == 0 and report.paragraphs_removed == 0
    assert report.paragraphs_unchanged == len(before)
    assert snapshot(store) == before
    assert embedder.calls == calls


def test_edit_then_reingest_leaves_exactly_the_new_paragraphs(ingester, corpus, store):
    ingester.run([corpus])
    path = corpus / "interview.txt"
    path.write_text(path.read_text().replace("over 200 scholarships", "over 300 scholarships") + "\nA new closing paragraph.\n")
    report = ingester.run([corpus])
    assert report.paragraphs_added == 2 and report.paragraphs_removed == 1
    texts = {t for _, t, m in store.records({"source": "interview.txt"})}
    assert any("over 300 scholarships" in t for t in texts)
    assert not any("over 200 scholarships" in t for t in texts)
    assert "A new closing paragraph." in texts
    fresh = Store(store.path.parent / "fresh")
    Ingester(fresh, FakeEmbedder()).run([corpus])
    assert snapshot(store) == snapshot(fresh)


def test_an_edit_interrupted_before_its_records_land_leaves_the_old_labels(ingester, corpus, store, monkeypatch):
    """Kept paragraphs take the file's new hash only after its new paragraphs are stored: a
    crash in between leaves the file looking changed, so the next run repairs it."""
    ingester.run([corpus])
    before = {m["file_sha"] for _, m in store.metadata({"source": "interview.txt"})}
    path = corpus / "interview.txt"
    path.write_text(path.read_text() + "\nA new closing paragraph.\n")

    def crash(*args, **kwargs):
        raise KeyboardInterrupt("killed while writing")

    monkeypatch.setattr(store, "upsert", crash)
    with pytest.raises(KeyboardInterrupt):
        ingester.run([corpus])
    assert {m["file_sha"] for _, m in store.metadata({"source": "interview.txt"})} == before  # still the old file's
    monkeypatch.undo()
    report = ingester.run([corpus])
    assert report.paragraphs_added == 1
    assert "A new closing paragraph." in {t for _, t, _ in store.records({"source": "interview.txt"})}


def test_deleted_file_is_removed_on_reingest(ingester, corpus, store):
    ingester.run([corpus])
    (corpus / "page.html").unlink()
    report = ingester.run([corpus])
    assert report.paragraphs_removed > 0
    assert "page.html" not in store.sources()


def test_remove_one_document(ingester, corpus, store):
    ingester.run([corpus])
    n = ingester.remove("briefing.md")
    assert n > 0 and "briefing.md" not in store.sources()
    assert ingester.remove("briefing.md") == 0


def test_bad_files_are_skipped_with_reasons_and_the_rest_ingested(ingester, tmp_path, store):
    root = tmp_path / "mixed"
    shutil.copytree(FIX / "bad", root)
    shutil.copy(FIX / "transcripts" / "interview.txt", root)
    report = ingester.run([root])
    reasons = {Path(s.path).name: s.reason for s in report.files_skipped}
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["binary.txt"]
    assert "unsupported file type .docx" in reasons["notes.docx"]
    assert report.files_read == 2  # interview.txt and latin1.txt
    assert {"interview.txt", "latin1.txt"} == set(store.sources())


def test_missing_path_is_reported(ingester, tmp_path):
    report = ingester.run([tmp_path / "nope"])
    assert report.files_skipped[0].reason == "no such file or folder"


def test_symlink_loop_and_unreadable_folder_are_skipped(ingester, tmp_path, store):
    root = tmp_path / "tree"
    root.mkdir()
    shutil.copy(FIX / "transcripts" / "interview.txt", root)
    (root / "loop").symlink_to(root, target_is_directory=True)
    (root / "self.txt").symlink_to(root / "self.txt")
    report = ingester.run([root])
    reasons = {Path(s.path).name: s.reason for s in report.files_skipped}
    assert "not followed" in reasons["loop"]
    assert "symbolic link" in reasons["self.txt"]
    assert report.files_read == 1


def test_a_store_refuses_a_second_embedding_model(ingester, corpus, store):
    ingester.run([corpus])
    with pytest.raises(StoreError, match="built with the embedding model 'fake-hash-embedder'"):
        Ingester(Store(store.path), OtherFakeEmbedder()).run([corpus])


def test_concurrent_writer_gets_a_clear_error(ingester, corpus, store):
    with store.write_lock():
        with pytest.raises(StoreError, match="Another `qa ingest`"):
            Ingester(Store(store.path), FakeEmbedder()).run([corpus])


def test_report_json_has_the_documented_keys(ingester, corpus):
    d = ingester.run([corpus]).to_json()
    assert set(d) == {"files_read", "files_skipped", "paragraphs_added", "paragraphs_unchanged",
                      "paragraphs_removed", "sentences_embedded", "seconds", "paragraphs_per_second"}


def test_long_paragraph_is_windowed_and_each_window_cites_the_paragraph(store, tmp_path):
    sentences = [f"Sentence number {i} talks about topic {i} at some length here." for i in range(30)]
    sentences[-1] = "The delegation planted exactly 4,321 olive trees in Yevlakh."
    root = tmp_path / "long"
    root.mkdir()
    (root / "speech.txt").write_text(" ".join(sentences) + "\n\nA short one.\n")
    Ingester(store, FakeEmbedder()).run([root])  # FakeEmbedder reads at most 40 "tokens"
    recs = list(store.records({"source": "speech.txt"}))
    windows = [(t, m) for _, t, m in recs if m["window"]]
    assert len(windows) > 3
    assert {m["para_id"] for _, m in windows} == {windows[0][1]["para_id"]}
    assert all(m["paragraph_text"].endswith("olive trees in Yevlakh.") for _, m in windows)
    assert any("4,321 olive trees" in t for t, _ in windows)
    # by paragraph id, the stored text is the whole paragraph, found through its windows
    short = next(i for i, t, m in recs if t == "A short one.")
    para = windows[0][1]["para_id"]
    assert store.paragraphs([para, short, "no-such-id"]) == {para: " ".join(sentences), short: "A short one."}
    assert all(len(t.split()) <= 38 for t, _ in windows)


def test_an_unchanged_file_with_windows_is_not_parsed_again(store, tmp_path, monkeypatch):
    from vectorstore.loaders.text import TextLoader

    root = tmp_path / "long"
    root.mkdir()
    (root / "speech.txt").write_text(" ".join(f"Sentence {i} talks about topic {i} at some length." for i in range(30))
                                     + "\n\nA short one.\n")
    Ingester(store, FakeEmbedder()).run([root])
    assert sum(1 for _, m in store.metadata() if m["window"]) > 1  # it was windowed

    def no_parsing(*args, **kwargs):
        raise AssertionError("an unchanged, complete file was parsed again")

    monkeypatch.setattr(TextLoader, "load", no_parsing)
    report = Ingester(store, FakeEmbedder()).run([root])
    assert report.files_read == 1 and report.paragraphs_unchanged == 2 and report.paragraphs_added == 0


def test_removed_document_is_gone_from_dense_and_bm25(fake_engine, corpus):
    fake_engine.ingester().run([corpus])
    question = "How many Azerbaijani students study in Russia?"
    for mode in ("dense", "bm25"):
        hits = fake_engine.retriever.retrieve(question, n=10, mode=mode)
        assert any(p.meta["source"] == "interview.txt" for p in hits)
    assert fake_engine.ingester().remove("interview.txt") > 0
    for mode in ("dense", "bm25", "hybrid"):
        hits = fake_engine.retriever.retrieve(question, n=10, mode=mode)
        assert all(p.meta["source"] != "interview.txt" for p in hits), mode


def test_fact_in_the_last_sentence_of_a_long_paragraph_is_retrievable(fake_engine, tmp_path):
    filler = " ".join(f"Sentence number {i} talks about topic {i} at some length here." for i in range(30))
    root = tmp_path / "long"
    root.mkdir()
    (root / "speech.txt").write_text(filler + " The delegation planted exactly 4,321 olive trees in Yevlakh.\n\n"
                                     + "Another paragraph about fisheries and the sea.\n")
    fake_engine.ingester().run([root])
    for mode in ("dense", "bm25"):
        top = fake_engine.retriever.retrieve("How many olive trees were planted in Yevlakh?", n=1, mode=mode)[0]
        assert top.text.endswith("olive trees in Yevlakh.") and top.text.startswith("Sentence number 0")


def test_a_200_mb_file_is_rejected_without_being_read(store, tmp_path):
    root = tmp_path / "big"
    root.mkdir()
    with open(root / "huge.txt", "wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    shutil.copy(FIX / "transcripts" / "interview.txt", root)
    report = Ingester(store, FakeEmbedder(), max_bytes=50_000_000).run([root])
    assert report.files_read == 1
    assert "over the 50 MB limit" in report.files_skipped[0].reason


def test_stats_count_paragraphs_not_windows(fake_engine, tmp_path):
    root = tmp_path / "long"
    root.mkdir()
    (root / "speech.txt").write_text(" ".join(f"Sentence {i} is about topic {i} in some detail." for i in range(40)) + "\n")
    report = fake_engine.ingester().run([root])
    stats = fake_engine.stats()
    assert report.paragraphs_added == stats["paragraphs"] == 1
    assert stats["records"] > 1 and stats["documents"] == 1
