"""The long-lived `Engine`: settings → store, embedder, retriever and reader, each opened
lazily on first use and then kept, so repeated questions pay only for themselves.

>>> engine = Engine(Settings.from_env())          # cheap: nothing loads yet
>>> engine.answer("How many Azerbaijani students study in Russia?").text  # doctest: +SKIP
'About 11,000'
"""

from __future__ import annotations

import time
from functools import cached_property
from typing import Any

from qa.question import validate_question
from qa.read import Reader
from qa.retrieve import Filters, Retriever
from qa.settings import Settings
from qa.types import Answer
from vectorstore.embed import Embedder, make_embedder
from vectorstore.store import Store


class Engine:
    def __init__(self, settings: Settings | None = None, *, store: Store | None = None,
                 embedder: Embedder | None = None, reader: Reader | None = None):
        self.settings = settings or Settings.from_env()
        if store is not None:
            self.__dict__["store"] = store
        if embedder is not None:
            self.__dict__["embedder"] = embedder
        if reader is not None:
            self.__dict__["reader"] = reader

    @cached_property
    def store(self) -> Store:
        s = self.settings
        return Store(s.store, url=s.chroma_url, token=s.chroma_token)

    @cached_property
    def embedder(self) -> Embedder:
        s = self.settings
        return make_embedder(s.embed_model, s.embed_backend, s.batch_size)

    @cached_property
    def retriever(self) -> Retriever:
        self.store.check_model(self.embedder.name)
        return Retriever(self.store, self.embedder, self.settings)

    @cached_property
    def reader(self) -> Reader:
        from qa.read import ExtractiveReader

        return ExtractiveReader(self.embedder, self.settings, idf=lambda term: self.retriever.idf(term))

    def ingester(self, progress: bool = False):
        from vectorstore.ingest import Ingester

        mb = self.settings.max_file_mb
        if "retriever" in self.__dict__:
            self.retriever.refresh()  # whatever this ingester writes is seen by the next question
        return Ingester(self.store, self.embedder, max_bytes=int(mb * 1e6) if mb else None,
                        batch_size=self.settings.batch_size, progress=progress)

    # --- answering ----------------------------------------------------------

    def answer(self, question: str, *, k: int | None = None, filters: Filters | dict | None = None,
               history: list[str] | None = None) -> Answer:
        """Answer one question; ``history`` holds earlier questions of a conversation."""
        question = validate_question(question, self.settings.max_question_chars)
        k = k or self.settings.k
        timings: dict[str, float] = {}
        passages = self.retriever.retrieve(question, n=max(k, self.settings.read_passages),
                                           filters=Filters.of(filters), history=history, timings=timings)
        t = time.perf_counter()
        answer = self.reader.read(question, passages, k=k)
        timings["read"] = (time.perf_counter() - t) * 1000
        answer.timings_ms = {**timings, **answer.timings_ms, "total": sum(timings.values())}
        return answer

    def stats(self) -> dict[str, Any]:
        docs = self.store.sources()
        return {
            "documents": len(docs),
            "paragraphs": sum(d["paragraphs"] for d in docs.values()),
            "records": self.store.count(),
            "model": self.store.model,
            "store": self.store.where,
            "sources": {src: {"title": d["title"], "date": d["date"], "paragraphs": d["paragraphs"]} for src, d in sorted(docs.items())},
        }
