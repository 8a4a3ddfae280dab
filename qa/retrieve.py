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

from qa.errors import ConfigError
from qa.followup import contextualize
from qa.settings import Settings
from vectorstore.lexical import LexicalIndex
from vectorstore.paragraphs import date_bounds
from vectorstore.store import Hit, Store


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
        if self.speaker and meta.get("speaker") != self.speaker:
            return False
        if self.source and meta.get("source") != self.source:
            return False
        if self.since and meta.get("date_end", 0) < date_bounds(self.since)[0]:
            return False
        if self.until and not 0 < meta.get("date_start", 0) <= date_bounds(self.until)[1]:
            return False
        return True


@dataclass
class Passage:
    """A whole paragraph found by retrieval; ``score`` is the fused retrieval score."""

    id: str
    text: str
    meta: dict[str, Any]
    score: float
    dense: float = 0.0  # best cosine similarity of any of its windows
    signals: dict[str, float] = field(default_factory=dict)


class Retriever:
    def __init__(self, store: Store, embedder, settings: Settings):
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self._lexical: LexicalIndex | None = None
        self._lexical_generation = ""

    # --- indexes --------------------------------------------------------------

    def lexical(self) -> LexicalIndex:
        """BM25 over the store, rebuilt only when the store changed since last time."""
        gen = self.store.generation
        if self._lexical is not None and gen == self._lexical_generation:
            return self._lexical
        folder = self.store.path / "bm25" if self.store.path and not self.store.url else None
        index = LexicalIndex.load(folder, gen) if folder else None
        if index is None:
            index = LexicalIndex.build((i, t) for i, t, _ in self.store.records())
            if folder:
                try:
                    index.save(folder, gen)
                except OSError:
                    pass  # a read-only store still answers; the index is just not cached
        self._lexical, self._lexical_generation = index, gen
        self._meta_cache = None
        return index

    @cached_property
    def speakers(self) -> dict[str, str]:
        """lower-cased name or surname → speaker label, for spotting names in questions."""
        names: dict[str, str] = {}
        for _, meta in self.store.metadata():
            sp = meta.get("speaker") or ""
            if not sp or sp == "Q" or sp in names.values():
                continue
            names[sp.lower()] = sp
            words = [w for w in re.split(r"[\s.]+", sp) if w and w.lower() not in _HONORIFICS]
            if len(words) >= 2 and words[-1][0].isupper():
                names.setdefault(words[-1].lower(), sp)
            elif len(words) == 1:
                names.setdefault(words[0].lower(), sp)
        return names

    # --- search -----------------------------------------------------------------

    def retrieve(self, question: str, *, n: int = 8, filters: Filters | None = None,
                 history: list[str] | None = None, timings: dict[str, float] | None = None,
                 mode: str | None = None, boosts: bool | None = None) -> list[Passage]:
        filters = filters or Filters()
        timings = timings if timings is not None else {}
        mode = mode or self.settings.retrieval
        boosts = self.settings.boosts if boosts is None else boosts
        query = contextualize(question, history)
        depth = max(self.settings.candidates, n)
        where = filters.where()
        ranked: list[list[Hit]] = []
        dense_sim: dict[str, float] = {}

        t = time.perf_counter()
        vector = self.embedder.embed([query])[0] if mode != "bm25" else None
        timings["embed"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        named = self._named_speakers(question) if boosts and not filters.speaker else []
        if vector is not None:
            hits = self.store.search(vector, depth, where)
            ranked.append(hits)
            for sp in named:
                ranked.append(self.store.search(vector, depth // 2, _and(where, {"speaker": sp})))
            for hs in ranked:
                for h in hs:
                    key = h.metadata.get("para_id") or h.id
                    dense_sim[key] = max(dense_sim.get(key, 0.0), h.score)
        timings["search"] = (time.perf_counter() - t) * 1000

        if mode != "dense":
            t = time.perf_counter()
            ranked.extend(self._lexical_hits(query, depth, filters, named))
            timings["bm25"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        passages = self._fuse(ranked, dense_sim)
        if boosts:
            self._boost(passages, question, named)
        passages.sort(key=lambda p: p.score, reverse=True)
        timings["fuse"] = (time.perf_counter() - t) * 1000
        return passages[:n]

    def _lexical_hits(self, query: str, depth: int, filters: Filters, named: list[str]) -> list[list[Hit]]:
        index = self.lexical()
        scores = index.scores(query)
        if not scores.any():
            return []
        order = np.argsort(-scores)
        out: list[list[Hit]] = []
        want = [None] + named  # the unrestricted list, then one per named speaker
        for sp in want:
            picked: list[str] = []
            for i in order[: depth * 50]:
                if scores[i] <= 0 or len(picked) >= (depth if sp is None else depth // 2):
                    break
                picked.append(index.ids[i])
            hits = [h for h in self.store.get(picked) if filters.allows(h.metadata) and (sp is None or h.metadata.get("speaker") == sp)]
            out.append(hits)
        return out

    def _fuse(self, ranked: list[list[Hit]], dense_sim: dict[str, float]) -> list[Passage]:
        k = self.settings.rrf_k
        by_para: dict[str, Passage] = {}
        for hits in ranked:
            seen: set[str] = set()
            rank = 0
            for h in hits:
                key = h.metadata.get("para_id") or h.id
                if key in seen:  # a second window of the same paragraph adds nothing
                    continue
                seen.add(key)
                rank += 1
                p = by_para.get(key)
                if p is None:
                    text = h.metadata.get("paragraph_text") or h.text
                    p = by_para[key] = Passage(key, text, h.metadata, 0.0, dense_sim.get(key, 0.0))
                p.score += 1.0 / (k + rank)
        return list(by_para.values())

    def _named_speakers(self, question: str) -> list[str]:
        """Speakers the question asks about as speakers ("What did Kirby say", "according
        to Chile", "Kenya's address"), not places it merely mentions."""
        q = " ".join(question.split())
        # "... according to its address": then any name in the question is the speaker.
        anaphora = re.search(r"\b(?:its|their|his|her)\s+(?:\w+\s+)?(?:address|speech|statement|remarks|briefing)\b", q, re.I)
        found: list[str] = []
        for name, label in self.speakers.items():
            if name in _COMMON_WORDS or label in found:
                continue
            pattern = _NAME.format(name=re.escape(name)) if anaphora else _SPEAKER_CONTEXT.format(name=re.escape(name))
            if re.search(pattern, q, re.I):
                found.append(label)
        return found[:3]

    def _boost(self, passages: list[Passage], question: str, named: list[str]) -> None:
        years = {int(y) for y in re.findall(r"\b(19\d{2}|20\d{2})\b", question)}
        for p in passages:
            if named and p.meta.get("speaker") in named:
                p.score *= 1.5
                p.signals["speaker"] = 1.0
            if years:
                lo, hi = p.meta.get("date_start", 0) // 10000, p.meta.get("date_end", 0) // 10000
                if lo and any(lo <= y <= hi for y in years):
                    p.score *= 1.2
                    p.signals["date"] = 1.0


def _and(where: dict | None, clause: dict) -> dict:
    return clause if where is None else {"$and": [where, clause]}


_SAY = r"(?:say|said|says|tell|told|state|stated|claim|claimed|announce|announced|argue|argued|note|noted|warn|warned|stress|stressed|call|called|propose|proposed|describe|described|urge|urged|mention|mentioned|think|believe|report|reported|recall|recalled|ask|asked|pledge|pledged|promise|promised)"
# "{name}" followed by a demonym ending ("Azerbaijani") still names the country.
_NAME = r"\b{name}(?:i|ns?)?\b"
_SPEAKER_CONTEXT = (
    r"(?:according to|per|in the words of)\s+(?:the\s+)?(?:\w+\s+){{0,6}}?" + _NAME
    + r"|" + _NAME + r"(?:['’]s?)?\s+(?:\w+\s+){{0,3}}?(?:address|speech|statement|remarks|briefing|delegation|representative|government|president|prime minister|minister|foreign minister|spokesperson|call|interview|view|position)"
    + r"|\b(?:did|does|do|has|have|will|would)\s+(?:the\s+)?(?:\w+\s+){{0,4}}?" + _NAME + r"\s+(?:\w+\s+)?" + _SAY
    + r"|" + _NAME + r"\s+(?:\w+\s+)?" + _SAY
    + r"|\b(?:by|from)\s+(?:the\s+)?(?:\w+\s+){{0,3}}?" + _NAME + r"\b(?=.*\b(?:address|speech|statement|remarks|briefing)\b)"
)

_HONORIFICS = {"mr", "ms", "mrs", "dr", "the", "of", "and"}
# Speaker labels that are also everyday words in questions.
_COMMON_WORDS = {"q", "moderator", "operator", "aide", "official", "senior", "administration", "president",
                 "director", "general", "chair"}
