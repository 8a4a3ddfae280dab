"""Citations of the LLM readers (free text and JSON): one paragraph quoted, then the context.

>>> from qa.retrieve import Passage
>>> ps = [Passage("p1", "Trade grew.", {}, 0.5), Passage("p2", "About 11,000 students.", {}, 0.4)]
>>> [(c.id, c.quote, c.rank) for c in with_context(ps, [cite(ps[1], ps, 0, 12)], 2)]
[('p2', 'About 11,000', 2), ('p1', '', 1)]
"""

from __future__ import annotations

from qa.retrieve import Passage
from qa.types import Citation


def cite(p: Passage, passages: list[Passage], start: int, end: int, *, verified: bool = True,
         claimed: str = "") -> Citation:
    """``p`` quoting ``p.text[start:end]``, ranked by its place in ``passages``."""
    rank = next((r for r, q in enumerate(passages, start=1) if q.id == p.id), 0)
    return Citation.from_passage(p, start, end, rank=rank, verified=verified, claimed=claimed)


def with_context(passages: list[Passage], cited: list[Citation], k: int) -> list[Citation]:
    """The cited passages first, then the other retrieved ones (no quote, not verified) up to ``k``."""
    out = list(cited)
    seen = {c.id for c in cited}
    for p in passages:
        if len(out) >= max(k, len(cited)):
            break
        if p.id not in seen:
            out.append(cite(p, passages, 0, 0, verified=False))
            seen.add(p.id)
    return out
