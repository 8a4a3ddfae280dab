"""The typed results every interface returns: `Answer` and its `Citation`s."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Citation:
    """A stored paragraph, with the exact quote the answer rests on.

    ``text[start:end] == quote`` always holds; ``quote`` is "" for a passage that was
    retrieved but not quoted.
    """

    source: str
    title: str
    date: str
    speaker: str
    paragraph: int
    text: str
    quote: str
    start: int
    end: int
    score: float
    id: str = ""
    rank: int = 0  # 1-based position in the retrieval ranking
    verified: bool = True

    def __post_init__(self) -> None:
        if self.text[self.start:self.end] != self.quote:
            raise ValueError(f"quote {self.quote!r} is not text[{self.start}:{self.end}] of {self.source}")


@dataclass
class Answer:
    """What `qa.answer()` returns.

    ``text`` is the short answer ("About 11,000"), ``sentence`` the sentence it was
    read from, ``citations[0]`` the passage it came from.
    """

    question: str
    text: str
    sentence: str
    abstained: bool
    confidence: float
    citations: list[Citation] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    # The reader's evidence features behind `confidence`; for tuning, not part of the JSON.
    signals: dict[str, float] = field(default_factory=dict, repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("signals")
        d.pop("question")  # the documented JSON has exactly the six answer fields
        d["confidence"] = round(self.confidence, 4)
        d["timings_ms"] = {k: round(v, 2) for k, v in self.timings_ms.items()}
        for c in d["citations"]:
            c["score"] = round(c["score"], 4)
        return d


NO_ANSWER = "The transcripts do not answer this question."
