"""The transcript store as a standard LangChain `VectorStore`, for people who already know LangChain.

>>> vs = open_vectorstore()                                            # doctest: +SKIP
>>> vs.as_retriever(search_kwargs={"k": 3}).invoke("Azerbaijani students in Russia")   # doctest: +SKIP
[Document(id='…', metadata={'source': 'mfa-russia/…', 'speaker': 'Maria Zakharova', …}, page_content='"About 11,000 …')]

It searches the same Chroma collection `qa ingest` writes, with the same encoder (wrapped as a
LangChain `Embeddings`), by dense similarity only: `qa.chain.ParagraphRetriever` is the hybrid
(dense + BM25) retriever the product answers with. Each `Document` is a whole paragraph: a long
paragraph stored as sentence windows comes back once, with its full text. It is read-only;
``add_texts`` says to use `qa ingest`, which keeps the store's ids, hashes and BM25 index consistent.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.vectorstores import VectorStore

from qa.errors import QAError


class EncoderEmbeddings(Embeddings):
    """The project's sentence encoder (`vectorstore.embed.Embedder`) as a LangChain `Embeddings`."""

    def __init__(self, embedder: Any):
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed(list(texts)).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed([text])[0].tolist()


class TranscriptVectorStore(VectorStore):
    def __init__(self, store: Any, embedder: Any):
        self.store = store  # `vectorstore.store.Store`; opened on first search
        self._embeddings = EncoderEmbeddings(embedder)

    @property
    def embeddings(self) -> Embeddings:
        return self._embeddings

    def similarity_search(self, query: str, k: int = 4, filter: dict | None = None, **kwargs: Any) -> list[Document]:
        return [doc for doc, _ in self.similarity_search_with_score(query, k=k, filter=filter)]

    def similarity_search_with_score(self, query: str, k: int = 4, filter: dict | None = None,
                                     **kwargs: Any) -> list[tuple[Document, float]]:
        """(paragraph, cosine similarity of the query and its best record), best first."""
        return self._by_vector(self._embeddings.embed_query(query), k, filter)

    def similarity_search_by_vector(self, embedding: list[float], k: int = 4, filter: dict | None = None,
                                    **kwargs: Any) -> list[Document]:
        return [doc for doc, _ in self._by_vector(embedding, k, filter)]

    def _by_vector(self, vector: Sequence[float], k: int, filter: dict | None) -> list[tuple[Document, float]]:
        import numpy as np

        if k < 1:
            raise QAError(f"k must be at least 1, not {k}")
        # Windows of one paragraph compete for places: ask for more records than paragraphs.
        hits = self.store.search_ids(np.asarray(vector, dtype=np.float32), 4 * k, filter or None)
        records = {h.id: h for h in self.store.get([i for i, _ in hits])}
        out: dict[str, tuple[Document, float]] = {}
        for rid, sim in hits:
            h = records.get(rid)
            if h is None:
                continue
            pid = h.metadata.get("para_id") or rid
            if pid not in out:
                meta = {k: v for k, v in h.metadata.items() if k not in ("paragraph_text", "para_id")}
                out[pid] = (Document(page_content=h.metadata.get("paragraph_text") or h.text, id=pid, metadata=meta), sim)
            if len(out) == k:
                break
        return list(out.values())

    def _select_relevance_score_fn(self):
        return lambda similarity: similarity  # cosine similarity of unit vectors: already in [-1, 1], higher is better

    def get_by_ids(self, ids: Sequence[str], /) -> list[Document]:
        texts = self.store.paragraphs(ids)
        return [Document(page_content=texts[i], id=i) for i in ids if i in texts]

    def add_texts(self, texts: Iterable[str], metadatas: list[dict] | None = None, **kwargs: Any) -> list[str]:
        raise QAError("This vector store is read-only: add transcripts with `qa ingest FOLDER`, which keeps "
                      "ids, file hashes and the BM25 index consistent.")

    @classmethod
    def from_texts(cls, texts: list[str], embedding: Embeddings, metadatas: list[dict] | None = None,
                   **kwargs: Any) -> "TranscriptVectorStore":
        raise QAError("Build the store with `qa ingest FOLDER`, then open it with qa.langchain_store.open_vectorstore().")


def open_vectorstore(settings: Any = None) -> TranscriptVectorStore:
    """The store of ``settings`` (default: the environment's `QA_*`), checked against the encoder."""
    from qa.engine import Engine

    engine = Engine(settings)
    engine.retriever  # a missing store, or one built with another encoder, fails here with a clear message
    return TranscriptVectorStore(engine.store, engine.embedder)
