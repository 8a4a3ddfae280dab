"""The chat's service layer over a tmp store (fake embedder, no browser)."""

from ui.app import ChatService
from vectorstore.ingest import Ingester
from vectorstore.sentence_vectors import FILE


def test_an_upload_into_an_older_store_does_not_backfill_under_the_engine_lock(fixture_engine, tmp_path, monkeypatch):
    (fixture_engine.store.path / FILE).unlink()  # a store from before sentence vectors

    def no_backfill(self, report):
        raise AssertionError("an upload backfilled the whole store while answers waited")

    monkeypatch.setattr(Ingester, "_backfill_sentences", no_backfill)
    doc = tmp_path / "note.txt"
    doc.write_text("Ghana will host the summit in Accra next year. It will last three days.\n")
    report = ChatService(fixture_engine).add_files([str(doc)])
    assert "✅ `note.txt` added" in report
    vectors = fixture_engine.store.sentence_vectors(fixture_engine.embedder.name)
    assert set(vectors.lookup(["Ghana will host the summit in Accra next year."]))  # its own sentences are in
