"""Retrieval: dense (Chroma) and lexical (BM25) search fused by reciprocal rank, with
speaker and date awareness. Returns whole paragraphs, best first.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from qa.analyst.constraints import read_question
from qa.analyst.speakers import SpeakerCatalog, packaged_aliases
from qa.errors import ConfigError
from qa.followup import contextualize
from qa.settings import Settings
from vectorstore.exact import ExactIndex
from vectorstore.lexical import FACETS, LexicalIndex
from vectorstore.paragraphs import date_bounds
from vectorstore.store import Store


@dataclass(frozen=True)
class Filters:
    """Hard filters on metadata. Dates are YYYY, YYYY-MM or YYYY-MM-DD."""

    speaker: str = ""
    source: str = ""
    since: str = ""
    until: str = ""

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value and date_bounds(value) == (0, 0):
                raise ConfigError(f"--{name} {value!r} is not a date like 2022, 2022-03 or 2022-03-15.")

    @classmethod
    def of(cls, value: "Filters | dict | None") -> "Filters":
        if value is None:
            return cls()
        if isinstance(value, Filters):
            return value
        unknown = set(value) - {"speaker", "source", "since", "until"}
        if unknown:
            raise ConfigError(f"Unknown filter {sorted(unknown)[0]!r}; use speaker, source, since or until.")
        return cls(**{k: str(v) for k, v in value.items() if v})

    def where(self) -> dict | None:
        clauses: list[dict] = []
        if self.speaker:
            clauses.append({"speaker": self.speaker})
        if self.source:
            clauses.append({"source": self.source})
        if self.since:
            clauses.append({"date_end": {"$gte": date_bounds(self.since)[0]}})
        if self.until:
            clauses.append({"date_start": {"$lte": date_bounds(self.until)[1]}})
            clauses.append({"date_start": {"$gt": 0}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def allows(self, meta: dict) -> bool:
        """Whether a record's metadata (or its in-memory facets) passes every filter."""
        if self.speaker and meta.get("speaker") != self.speaker:
            return False
        if self.source and meta.get("source") != self.source:
            return False
        lo, hi = self._bounds
        if lo and meta.get("date_end", 0) < lo:
            return False
        if hi and not 0 < meta.get("date_start", 0) <= hi:
            return False
        return True

    @cached_property
    def _bounds(self) -> tuple[int, int]:
        """(since, until) as yyyymmdd, 0 where open; parsed once, not per record."""
        return (date_bounds(self.since)[0] if self.since else 0, date_bounds(self.until)[1] if self.until else 0)


@dataclass
class Passage:
    """A whole paragraph found by retrieval; ``score`` is the fused retrieval score."""

    id: str
    text: str
    meta: dict[str, Any]
    score: float
    dense: float = 0.0  # best cosine similarity of any of its windows
    signals: dict[str, float] = field(default_factory=dict)


@dataclass
class _Fused:
    """A paragraph during fusion: its score, the record that stands for it, why it was boosted."""

    score: float
    record_id: str
    signals: dict[str, float] = field(default_factory=dict)


class Retriever:
    def __init__(self, store: Store, embedder, settings: Settings):
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self._lexical: LexicalIndex | None = None
        self._lexical_generation = ""
        self._exact: tuple[str, ExactIndex | None] = ("", None)  # (generation, index)
        self._checked = float("-inf")

    # --- indexes --------------------------------------------------------------

    def lexical(self) -> LexicalIndex:
        """BM25 over the store, rebuilt only when the store changed since last time.

        The store's generation is checked at most every `_RECHECK_S` seconds (a Chroma
        count costs milliseconds); `refresh()` forces the check after a local ingest.
        """
        now = time.monotonic()
        if self._lexical is not None and now - self._checked < _RECHECK_S:
            return self._lexical
        gen = self.store.generation
        self._checked = now
        if self._lexical is not None and gen == self._lexical_generation:
            return self._lexical
        folder = self.store.path / "bm25" if self.store.path and not self.store.url else None
        index = LexicalIndex.load(folder, gen) if folder else None
        if index is None:
            index = LexicalIndex.build(self.store.records())
            if folder:
                try:
                    index.save(folder, gen)
                except OSError:
                    pass  # a read-only store still answers; the index is just not cached
        self._lexical, self._lexical_generation = index, gen
        self.__dict__.pop("catalog", None)
        return index

    def exact(self) -> ExactIndex | None:
        """The store's vectors for exact dense search, or None for a store larger than
        ``exact_search_max`` (searched by Chroma's HNSW). Follows the lexical index's generation."""
        self.lexical()
        gen = self._lexical_generation
        if self._exact[0] == gen:
            return self._exact[1]
        index = None
        if self.store.count() <= self.settings.exact_search_max:
            folder = self.store.path / "exact" if self.store.path and not self.store.url else None
            index = ExactIndex.load(folder, gen) if folder else None
            if index is None:
                index = ExactIndex.build(self.store)
                if folder:
                    try:
                        index.save(folder, gen)
                    except OSError:
                        pass  # a read-only store still answers; the vectors are just not cached
        self._exact = (gen, index)
        return index

    def refresh(self) -> None:
        """Re-read the store's state on the next search (after an ingest in this process)."""
        self._checked = float("-inf")

    def idf(self, term: str) -> float:
        return self.lexical().idf(term)

    @cached_property
    def catalog(self) -> SpeakerCatalog:
        """The speakers of the store with their aliases; rebuilt with the lexical index."""
        return SpeakerCatalog({f[1] for f in self.lexical().facets}, packaged_aliases())

    # --- search -----------------------------------------------------------------

    def retrieve(self, question: str, *, n: int = 8, filters: Filters | None = None,
                 history: list[str] | None = None, timings: dict[str, float] | None = None,
                 mode: str | None = None, boosts: bool | None = None) -> list[Passage]:
        """The ``n`` best paragraphs for ``question``, fused from dense and BM25 rankings.

        Ranking works on ids and the in-memory facets only; documents are fetched from
        the store for the ``n`` winners alone. Paragraphs of a speaker the question names
        are boosted (an extra ranking restricted to that speaker was tried and lost on dev).
        """
        filters = filters or Filters()
        timings = timings if timings is not None else {}
        mode = mode or self.settings.retrieval
        boosts = self.settings.boosts if boosts is None else boosts
        query = contextualize(question, history)
        depth = max(self.settings.candidates, n)
        index = self.lexical()
        named = self._named_speakers(question) if boosts and not filters.speaker else []
        ranked: list[list[str]] = []
        dense_sim: dict[str, float] = {}

        t = time.perf_counter()
        vector = self.embedder.embed([query])[0] if mode != "bm25" else None
        timings["embed"] = (time.perf_counter() - t) * 1000

        if vector is not None:
            t = time.perf_counter()
            exact = self.exact()
            if exact is not None:
                allowed = (lambda pid: filters.allows(index.facet(pid))) if filters.where() else None
                hits = exact.search(vector, depth, allowed)
            else:
                hits = self.store.search_ids(vector, depth, filters.where())
            ranked.append([pid for pid, _ in hits])
            for pid, sim in hits:
                key = index.facet(pid).get("para_id", pid)
                dense_sim[key] = max(dense_sim.get(key, 0.0), sim)
            timings["search"] = (time.perf_counter() - t) * 1000

        if mode != "dense":
            t = time.perf_counter()
            ranked.append(self._lexical_rank(index, query, depth, filters))
            timings["bm25"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        fused = self._fuse(index, ranked)
        if boosts:
            self._boost(index, fused, question, named)
        best = sorted(fused.values(), key=lambda c: c.score, reverse=True)[:n]
        passages = self._fetch(best, dense_sim)
        timings["fuse"] = (time.perf_counter() - t) * 1000
        return passages

    def _lexical_rank(self, index: LexicalIndex, query: str, depth: int, filters: Filters) -> list[str]:
        scores = index.scores(query)
        picked: list[str] = []
        if not scores.any():
            return picked
        for i in np.argsort(-scores)[: depth * 50]:
            if scores[i] <= 0 or len(picked) >= depth:
                break
            if filters.allows(dict(zip(FACETS, index.facets[i]))):
                picked.append(index.ids[i])
        return picked

    def _fuse(self, index: LexicalIndex, ranked: list[list[str]]) -> dict[str, list]:
        """para_id → its fused entry; a paragraph scores once per list."""
        k = self.settings.rrf_k
        fused: dict[str, _Fused] = {}
        for ids in ranked:
            seen: set[str] = set()
            for pid in ids:
                key = index.facet(pid).get("para_id", pid)
                if key in seen:  # a second window of the same paragraph adds nothing
                    continue
                seen.add(key)
                entry = fused.setdefault(key, _Fused(0.0, pid))
                entry.score += 1.0 / (k + len(seen))
        return fused

    def _fetch(self, best: list[_Fused], dense_sim: dict[str, float]) -> list[Passage]:
        hits = {h.id: h for h in self.store.get([f.record_id for f in best])}
        out = []
        for f in best:
            h = hits.get(f.record_id)
            if h is None:  # removed since the index was built
                continue
            key = h.metadata.get("para_id") or h.id
            text = h.metadata.get("paragraph_text") or h.text
            out.append(Passage(key, text, h.metadata, f.score, dense_sim.get(key, 0.0), f.signals))
        return out

    def _named_speakers(self, question: str) -> list[str]:
        """Speakers the question asks about as speakers ("What did Kirby say", "according
        to Chile", "Kenya's address"), not places it merely mentions."""
        return list(read_question(question, self.catalog).speakers)

    def _boost(self, index: LexicalIndex, fused: dict[str, _Fused], question: str, named: list[str]) -> None:
        years = {int(y) for y in re.findall(r"\b(19\d{2}|20\d{2})\b", question)}
        if not named and not years:
            return
        for entry in fused.values():
            facet = index.facet(entry.record_id)
            if named and facet.get("speaker") in named:
                entry.score *= 1.5
                entry.signals["speaker"] = 1.0
            lo, hi = facet.get("date_start", 0) // 10000, facet.get("date_end", 0) // 10000
            if years and lo and any(lo <= y <= hi for y in years):
                entry.score *= 1.2
                entry.signals["date"] = 1.0


_RECHECK_S = 2.0
