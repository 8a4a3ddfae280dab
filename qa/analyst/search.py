"""Every stored paragraph that speaks of a topic, found exhaustively in the BM25 postings
(no ranking depth can cut a list short), with the sentence that names it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from qa.analyst.topic import Topic
from qa.types import Citation
from vectorstore.lexical import FACETS
from vectorstore.sentences import sentence_spans


@dataclass
class Found:
    """A paragraph on the topic; ``start:end`` is its best sentence on the topic."""

    id: str
    text: str
    meta: dict
    start: int
    end: int
    score: float  # BM25 of the ranking query: the order among paragraphs of one speaker

    @property
    def speaker(self) -> str:
        return self.meta.get("speaker", "")

    @property
    def date(self) -> str:
        return self.meta.get("date", "")

    def citation(self, rank: int = 0, cosine: float = 0.0) -> Citation:
        """Its sentence as a citation; ``cosine`` is the sentence's cosine with the question where one
        was computed (statements), and its BM25 ``score`` is not a citation's score (`Citation`)."""
        return Citation.from_passage(self, self.start, self.end, rank=rank, cosine=cosine)


def find(retriever, topic: Topic, allow: Callable[[dict], bool], rank_query: str = "",
         prefer: Callable[[str], float] | None = None, min_coverage: float = 1.0) -> list[Found]:
    """Paragraphs whose facets pass ``allow`` and that hold a sentence on ``topic``, best
    BM25 (of ``rank_query``) first. ``prefer`` scores sentences, to pick the quote.

    With ``min_coverage`` below 1, a sentence also counts when it holds that idf-weighted share
    of the topic's words ("the Red Sea" for "shipping disruptions in the Red Sea").
    """
    index = retriever.lexical()
    vocab = index.vocabulary
    if min_coverage >= 1.0:  # every stem of some option
        found = [index.containing(groups) for groups in topic.stem_groups(vocab)]
    else:  # any stem
        found = [index.containing([g]) for groups in topic.stem_groups(vocab) for g in groups]
    rows = np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    if len(rows) == 0:
        return []
    scores = index.scores(rank_query or topic.text)
    chosen: dict[str, tuple[float, str]] = {}  # para_id → (score, record id standing for it)
    for i in rows:
        facet = dict(zip(FACETS, index.facets[i]))
        if not allow(facet):
            continue
        key = facet["para_id"] or index.ids[i]
        s = float(scores[i])
        if key not in chosen or s > chosen[key][0]:
            chosen[key] = (s, index.ids[i])
    hits = {h.id: h for h in retriever.store.get([rid for _, rid in chosen.values()])} if chosen else {}
    out: list[Found] = []
    for key, (s, rid) in chosen.items():
        h = hits.get(rid)
        if h is None:
            continue
        text = h.metadata.get("paragraph_text") or h.text
        best = None
        for start, end, sent in sentence_spans(text):
            if min_coverage >= 1.0:
                ok, cover = topic.matches(sent), 1.0
            else:
                cover = topic.coverage(sent, index.idf)
                ok = cover >= min_coverage
            if ok:
                value = (prefer(sent) if prefer else 0.0) + cover
                if best is None or value > best[0]:
                    best = (value, start, end)
        if best is not None:
            out.append(Found(key, text, h.metadata, best[1], best[2], s))
    out.sort(key=lambda f: -f.score)
    return out
