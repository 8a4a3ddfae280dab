"""The long-lived `Engine`: settings → store, embedder, retriever and reader, each opened
lazily on first use and then kept, so repeated questions pay only for themselves.

>>> engine = Engine(Settings.from_env())          # cheap: nothing loads yet
>>> engine.answer("How many Azerbaijani students study in Russia?").text  # doctest: +SKIP
'About 11,000'
"""

from __future__ import annotations

import threading
import time
from functools import cached_property
from typing import Any, Iterator

from qa.analyst.constraints import FACTOID, LIST, read_question
from qa.analyst.lists import answer_list
from qa.analyst.relative_time import DATELINE_PARAGRAPHS, dateline, explain
from qa.analyst.statements import answer_statements
from qa.qtype import expected_type
from qa.question import validate_question
from qa.read import Reader, read_events
from qa.retrieve import Filters, Retriever
from qa.settings import Settings
from qa.types import Answer
from vectorstore.embed import CachedEmbedder, Embedder, RecentTexts, make_embedder
from vectorstore.store import Store


class Engine:
    def __init__(self, settings: Settings | None = None, *, store: Store | None = None,
                 embedder: Embedder | None = None, reader: Reader | None = None, chat_model: Any = None):
        self.settings = settings or Settings.from_env()
        # Retrieval and the extractive reader share models that are not made for threads; a
        # generative model's decoding runs outside this lock, so several chat users overlap there.
        self.lock = threading.RLock()
        if chat_model is not None:
            self.__dict__["chat_model"] = chat_model
        if store is not None:
            self.__dict__["store"] = store
        if embedder is not None:
            self.__dict__["embedder"] = embedder if isinstance(embedder, RecentTexts) else RecentTexts(embedder)
        if reader is not None:
            self.__dict__["reader"] = reader

    @cached_property
    def store(self) -> Store:
        s = self.settings
        return Store(s.store, url=s.chroma_url, token=s.chroma_token)

    @cached_property
    def embedder(self) -> Embedder:
        s = self.settings
        return RecentTexts(make_embedder(s.embed_model, s.embed_backend, s.batch_size))  # the question, embedded once

    @cached_property
    def sentence_embedder(self) -> Embedder:
        """The embedder for sentences of stored paragraphs: their vectors from ingest where the
        store has them (`vectorstore.sentence_vectors`), else embedded now."""
        vectors = self.store.sentence_vectors(self.embedder.name)
        return self.embedder if vectors is None else CachedEmbedder(self.embedder, vectors)

    @cached_property
    def retriever(self) -> Retriever:
        self.store.check_model(self.embedder.name)
        return Retriever(self.store, self.embedder, self.settings)

    @cached_property
    def reader(self) -> Reader:
        from qa.reader import ExtractiveReader

        from qa.reader.verify import AnswerVerifier

        extractive = ExtractiveReader(self.sentence_embedder, self.settings, idf=lambda term: self.retriever.idf(term),
                                      verifier=AnswerVerifier() if self.settings.verify else None)
        if self.settings.reader == "llm":
            from qa.llm.reader import LLMReader

            return LLMReader(self.chat_model, self.settings, extractive=extractive, lock=self.lock)
        return extractive

    @cached_property
    def chat_model(self):
        """The LangChain chat model of QA_LLM (LLM reader only); built lazily, loaded on first use."""
        from qa.llm.models import chat_model

        return chat_model(self.settings)

    def ingester(self, progress: bool = False, backfill: bool = True):
        """``backfill=False`` leaves an older store's missing sentence vectors for a later `qa ingest`
        (the chat's uploads: a backfill takes minutes, and answers wait for the upload)."""
        from vectorstore.ingest import Ingester

        mb = self.settings.max_file_mb
        if "retriever" in self.__dict__:
            self.retriever.refresh()  # whatever this ingester writes is seen by the next question
        return Ingester(self.store, self.embedder, max_bytes=int(mb * 1e6) if mb else None,
                        batch_size=self.settings.batch_size, progress=progress, backfill=backfill)

    # --- answering ----------------------------------------------------------

    def answer(self, question: str, *, k: int | None = None, filters: Filters | dict | None = None,
               history: list[str] | None = None) -> Answer:
        """Answer one question; ``history`` holds earlier questions of a conversation."""
        for event in self.stream(question, k=k, filters=filters, history=history):
            pass
        return event

    def stream(self, question: str, *, k: int | None = None, filters: Filters | dict | None = None,
               history: list[str] | None = None) -> Iterator[str | Answer]:
        """Like `answer`, but the LLM reader's text arrives token by token (``str``) before the
        verified `Answer`, which is always the last item. The extractive reader yields only the Answer."""
        started = time.perf_counter()
        question = validate_question(question, self.settings.max_question_chars)
        k = k or self.settings.k
        timings: dict[str, float] = {}
        asked, notes = question, []
        if self.settings.reader == "llm" and history:
            from qa.llm.rewrite import rewrite

            t = time.perf_counter()
            asked = rewrite(self.chat_model, question, history)
            timings["rewrite"] = (time.perf_counter() - t) * 1000
            if asked != question:
                notes.append(f"Follow-up read as: {asked}")
            history = None  # the rewrite already carries the conversation
        t = time.perf_counter()
        f = Filters.of(filters)
        with self.lock:  # the catalog is built with the lexical index on first use
            read = read_question(question, self.retriever.catalog).with_filters(f.speaker, f.since, f.until, f.source)
        timings["parse"] = (time.perf_counter() - t) * 1000
        if read.kind != FACTOID:
            t = time.perf_counter()
            with self.lock:
                if read.kind == LIST:
                    answer = answer_list(self.retriever, self.retriever.catalog, question, read)
                else:
                    answer = answer_statements(self.retriever, self.sentence_embedder, question, read)
            timings["search"] = (time.perf_counter() - t) * 1000
            yield self._finish(answer, question, read, notes, timings, started)
            return
        with self.lock:
            passages = self.retriever.retrieve(asked, n=max(k, self.settings.read_passages),
                                               filters=f, history=history, timings=timings)
        t = time.perf_counter()
        for event in read_events(self.reader, asked, passages, k):
            if isinstance(event, Answer):
                timings["read"] = (time.perf_counter() - t) * 1000
                if not event.abstained and event.citations and expected_type(question).name in ("date", "time"):
                    c = event.citations[0]
                    when = explain(event.text, c.date, _document_kind(c.title), held=self._held(c.source))
                    event.resolved = when[len(event.text) + 2:-1] if when else ""
                if read.speakers and not event.abstained and event.citations and event.citations[0].speaker not in read.speakers:
                    # A named speaker only boosts a factoid's retrieval (filtering lost on dev), so say when
                    # the answer is someone else's words.
                    event.notes.append(f"The question names {' or '.join(read.speakers)}; this answer is quoted from "
                                       f"{event.citations[0].speaker or 'an unattributed paragraph'}.")
                event.retrieved = [p.id for p in passages]
                event = self._finish(event, question, read, notes, timings, started)
            yield event

    def _held(self, source: str) -> str:
        """The date in ``source``'s own dateline ("(September 23, 2021)" over a call filed under the
        24th), or "": relative time in it is resolved against that day. Kept while the retriever's
        lexical index is, which follows the store's generation (no store round trip per answer)."""
        index = self.retriever.lexical()
        known = self.__dict__.get("_datelines")
        if known is None or known[0] is not index:
            known = self.__dict__["_datelines"] = (index, {})
        if source not in known[1]:
            where = {"$and": [{"source": source}, {"paragraph": {"$lte": DATELINE_PARAGRAPHS}}, {"window": 0}]}
            opening = sorted((m["paragraph"], text) for _, text, m in self.store.records(where))
            known[1][source] = dateline([text for _, text in opening])
        return known[1][source]

    @staticmethod
    def _finish(answer: Answer, question: str, read, notes: list[str], timings: dict[str, float], started: float) -> Answer:
        """The answer with the question, how it was read, and its timings; ``total`` is the wall
        time of the whole call, so no cost can hide between the stages."""
        answer.question = question
        answer.kind = read.kind
        answer.constraints = read.to_json()
        answer.notes = notes + answer.notes
        answer.timings_ms = {**timings, **answer.timings_ms, "total": (time.perf_counter() - started) * 1000}
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


def _document_kind(title: str) -> str:
    """What to call a transcript in "the briefing is dated …"."""
    t = title.lower()
    for word in ("briefing", "gaggle", "press call", "call", "interview", "address", "speech"):
        if word in t:
            return word
    return "transcript"
