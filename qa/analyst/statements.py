"""Statement answers: what a speaker said about a topic, as a short cited timeline.

"What did Kirby say about Ukraine in February 2023?" → the few sentences by Mr. Kirby, inside
the dates, that name the topic and are closest in meaning to the question, in date order.
When the speaker never names the topic there, the answer says so instead of quoting someone else.
"""

from __future__ import annotations

import numpy as np

from qa.analyst.constraints import Constraints
from qa.analyst.search import find
from qa.analyst.topic import Topic
from qa.retrieve import Filters
from qa.types import Answer
from vectorstore.lexical import FACETS

STATEMENTS = 4  # sentences in a statement answer
RERANKED = 24  # best BM25 paragraphs whose quotes are embedded and compared with the question
RELAXED = 0.4  # idf-weighted share of the topic's words a sentence needs when none holds them all


def answer_statements(retriever, embedder, question: str, c: Constraints) -> Answer:
    topic = Topic.of(c.topic, retriever.lexical().acronyms)
    limits = Filters(source=c.source, since=c.dates.since, until=c.dates.until)  # the document and dates asked
    speakers = set(c.speakers)

    def allow(facet: dict) -> bool:
        return facet.get("speaker", "") in speakers and limits.allows(facet)

    found = find(retriever, topic, allow, rank_query=c.topic) if topic else []
    if topic and not found:  # no sentence names all of it: the sentences that name most of it
        found = find(retriever, topic, allow, rank_query=c.topic, min_coverage=RELAXED)
    who = " or ".join(c.speakers)
    window = f" {c.dates.describe()}" if c.dates else ""
    if not found:
        spoke = _has_paragraphs(retriever, allow)
        text = (f"No paragraph by {who}{window} mentions {c.topic}." if spoke
                else f"No paragraph by {who}{window} is in the transcripts.")
        return Answer(question, text, "", True, 0.0, [], kind="statements")
    pool = found[:RERANKED]
    quotes = [f.text[f.start:f.end] for f in pool]
    vectors = embedder.embed([question] + quotes)
    sims = np.asarray(vectors[1:]) @ np.asarray(vectors[0])
    order = np.argsort(-sims)[:STATEMENTS]
    chosen = sorted((pool[i] for i in order), key=lambda f: (f.date, f.meta.get("source", ""), int(f.meta.get("paragraph", 0))))
    citations = [f.citation(rank=r, cosine=float(sims[pool.index(f)])) for r, f in enumerate(chosen, start=1)]
    n = len(found)
    head = f"{who} on {c.topic}{window}: "
    if n <= len(chosen):
        text = head + (f"{n} paragraphs name it, in date order:" if n > 1 else "1 paragraph names it:")
    else:
        text = head + f"{n} paragraphs name it; the {len(chosen)} closest to the question, in date order:"
    return Answer(question, text, citations[0].quote, False, 1.0, citations, kind="statements")


def _has_paragraphs(retriever, allow) -> bool:
    return any(allow(dict(zip(FACETS, f))) for f in retriever.lexical().facets)
