"""LangChain adapter: the engine's retriever and reader as a runnable chain.

>>> chain = build_chain(Engine())                                      # doctest: +SKIP
>>> chain.invoke("How many Azerbaijani students study in Russia?").text  # doctest: +SKIP
'About 11,000'

``invoke``, ``batch`` and ``stream`` all work; the chain composes with any LangChain
runnable. List and statement questions ("Which countries mentioned …?") get the same answer as
`Engine.answer()`. With the LLM reader, ``stream`` yields the model's text token by token (``str``)
and then the verified `Answer`; with the extractive reader it yields the Answer alone.
LangChain stays in `qa/`: the rest of the package uses its own types.
"""

from __future__ import annotations

from typing import Any, Iterator

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableGenerator, RunnableLambda, RunnableParallel, RunnablePassthrough

from qa.analyst.constraints import FACTOID, read_question
from qa.question import validate_question
from qa.read import read_events
from qa.retrieve import Filters, Passage
from qa.types import Answer


class ParagraphRetriever(BaseRetriever):
    """A LangChain retriever over the Chroma store: hybrid search, whole paragraphs."""

    engine: Any
    k: int = 8
    filters: dict | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                k: int | None = None, filters: dict | None = None) -> list[Document]:
        """``invoke(query, k=3, filters={...})`` overrides the constructor's ``k`` and ``filters``."""
        passages = self.engine.retriever.retrieve(query, n=k or self.k, filters=Filters.of(filters or self.filters))
        return [to_document(p) for p in passages]


def to_document(p: Passage) -> Document:
    return Document(page_content=p.text, id=p.id, metadata={**p.meta, "score": p.score, "dense": p.dense})


def to_passage(doc: Document) -> Passage:
    meta = dict(doc.metadata)
    score, dense = meta.pop("score", 0.0), meta.pop("dense", 0.0)
    return Passage(doc.id or meta.get("para_id", ""), doc.page_content, meta, score, dense)


def build_chain(engine, *, k: int | None = None, filters: dict | None = None) -> Runnable:
    """question → ParagraphRetriever → reader → `Answer`."""
    k = k or engine.settings.k
    retriever = ParagraphRetriever(engine=engine, k=max(k, engine.settings.read_passages), filters=filters)

    def read(chunks: Iterator[dict]) -> Iterator[str | Answer]:
        inputs: dict = {}
        for chunk in chunks:  # the parallel step's output arrives in pieces
            inputs.update(chunk)
        if read_question(inputs["question"], engine.retriever.catalog).kind != FACTOID:
            yield engine.answer(inputs["question"], k=k, filters=filters)  # lists and statements: the engine's own path
            return
        passages = [to_passage(d) for d in inputs["docs"]]
        yield from read_events(engine.reader, inputs["question"], passages, k)  # invoke folds str + Answer into the Answer

    check = RunnableLambda(lambda q: validate_question(q, engine.settings.max_question_chars))
    return check | RunnableParallel(question=RunnablePassthrough(), docs=retriever) | RunnableGenerator(read)
