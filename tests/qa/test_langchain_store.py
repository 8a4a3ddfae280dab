"""The store as a LangChain VectorStore: as_retriever, scores, filters, windows, read-only; and
LangChain's standard Embeddings suite on the encoder adapter."""

from pathlib import Path

import pytest
from fakes import FakeEmbedder
from langchain_core.vectorstores import VectorStoreRetriever
from langchain_tests.integration_tests import EmbeddingsIntegrationTests

from qa.errors import QAError
from qa.langchain_store import EncoderEmbeddings, TranscriptVectorStore

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "transcripts"


@pytest.fixture
def vs(fake_engine, tmp_path):
    long = tmp_path / "long"
    long.mkdir()
    (long / "speech.txt").write_text(" ".join(f"Sentence {i} is about the olive harvest {i}." for i in range(30)) + "\n")
    fake_engine.ingester().run([FIX, long])
    return TranscriptVectorStore(fake_engine.store, fake_engine.embedder)


def test_as_retriever_returns_whole_paragraphs_with_their_metadata(vs):
    retriever = vs.as_retriever(search_kwargs={"k": 2})
    assert isinstance(retriever, VectorStoreRetriever)
    docs = retriever.invoke("How many Azerbaijani students study in Russia?")
    assert len(docs) == 2
    assert "11,000 Azerbaijani students" in docs[0].page_content
    assert docs[0].metadata["source"] == "interview.txt" and docs[0].metadata["paragraph"] >= 1
    assert docs[0].id and vs.get_by_ids([docs[0].id])[0].page_content == docs[0].page_content


def test_scores_are_cosines_best_first_and_filters_apply(vs):
    scored = vs.similarity_search_with_relevance_scores("refugees crossed into neighbouring countries", k=3)
    scores = [s for _, s in scored]
    assert scores == sorted(scores, reverse=True) and -1 <= scores[-1] <= scores[0] <= 1
    only = vs.similarity_search("refugees", k=5, filter={"source": "interview.txt"})
    assert only and {d.metadata["source"] for d in only} == {"interview.txt"}


def test_a_windowed_paragraph_comes_back_once_and_whole(vs):
    docs = vs.similarity_search("olive harvest sentence", k=3)
    speech = [d for d in docs if d.metadata["source"] == "speech.txt"]
    assert len(speech) == 1  # its windows are one paragraph
    assert speech[0].page_content.startswith("Sentence 0 ") and speech[0].page_content.endswith("harvest 29.")


def test_it_is_read_only_and_says_how_to_add(vs):
    with pytest.raises(QAError, match="qa ingest"):
        vs.add_texts(["anything"])
    with pytest.raises(QAError, match="qa ingest"):
        TranscriptVectorStore.from_texts(["x"], EncoderEmbeddings(FakeEmbedder()))
    with pytest.raises(QAError, match="k must be at least 1"):
        vs.similarity_search("x", k=0)


class TestEncoderEmbeddingsStandard(EmbeddingsIntegrationTests):
    @property
    def embeddings_class(self):
        return EncoderEmbeddings

    @property
    def embedding_model_params(self) -> dict:
        return {"embedder": FakeEmbedder()}
