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
    # True when ``quote`` was found verbatim in ``text``: always so for the extractive reader;
    # for the LLM reader, False on a passage the model cited with a quote that is not in it.
    verified: bool = True
    claimed: str = ""  # LLM reader: the quote the model gave, when it could not be verified

    @property
    def status(self) -> str:
        """For display of LLM answers: "verified" (its quote was found here), "unverified" (the
        model cited this paragraph with a quote that is not in it) or "context" (retrieved only)."""
        if self.quote and self.verified:
            return "verified"
        return "unverified" if self.claimed else "context"

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
    generated: str = ""  # LLM reader: the model's raw output, before verification
    notes: list[str] = field(default_factory=list)  # what verification dropped or flagged, and why
    # Extractive reader, when it abstains: the short answer it judged too unlikely to give
    # (for calibration and risk-coverage curves in `qa eval`; never shown as an answer).
    withheld: str = ""
    # factoid (a short span), statements (what a speaker said on a topic, one citation per
    # sentence, in date order) or list (one citation per speaker who named the topic).
    kind: str = "factoid"
    # How the question was read (`qa.analyst.Constraints.to_json()`): speakers, dates, topic.
    constraints: dict[str, Any] = field(default_factory=dict)
    # A relative answer ("tomorrow") resolved against its transcript's date, e.g.
    # "25 September 2021; the briefing is dated 24 September 2021".
    resolved: str = ""
    # Ids of the paragraphs retrieval returned, best first (factoids): the ranking the reader
    # read, before it put the passage it quotes first. `qa eval` measures retrieval on this.
    retrieved: list[str] = field(default_factory=list)
    # The reader's evidence features behind `confidence`; for tuning, not part of the JSON.
    signals: dict[str, float] = field(default_factory=dict, repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("signals")
        d.pop("question")  # the question is the caller's own input
        d["confidence"] = round(self.confidence, 4)
        d["timings_ms"] = {k: round(v, 2) for k, v in self.timings_ms.items()}
        for c in d["citations"]:
            c["score"] = round(c["score"], 4)
        if self.kind != "factoid":  # the rows of a list or a timeline, without the paragraph texts
            d["items"] = [{"speaker": c.speaker, "date": c.date, "source": c.source, "paragraph": c.paragraph,
                           "quote": c.quote} for c in self.citations]
        return d

    @property
    def display(self) -> str:
        """The answer as shown to people: a resolved relative date carries its date."""
        return f"{self.text} ({self.resolved})" if self.resolved else self.text

    def __radd__(self, other: Any) -> "Answer":
        # LangChain folds a stream's chunks with ``+``: the LLM reader streams text tokens and
        # then the verified Answer, and folding them must yield the Answer.
        if isinstance(other, str):
            return self
        return NotImplemented


NO_ANSWER = "The transcripts do not answer this question."
