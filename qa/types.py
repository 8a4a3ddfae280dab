"""The typed results every interface returns: `Answer` and its `Citation`s."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Citation:
    """A stored paragraph, with the exact quote the answer rests on.

    ``text[start:end] == quote`` always holds; ``quote`` is "" for a passage that was
    retrieved but not quoted.

    ``score`` has one meaning: the cosine similarity, in [-1, 1] and rounded to 4 places,
    between the question's embedding and the embedding of the text this paragraph was judged
    by: its closest stored window (`qa.retrieve.Passage.dense`) for a retrieved paragraph, the
    quoted sentence for a statements answer. It is 0.0 where no embedding was compared: a
    paragraph only the BM25 or speaker search found, and the rows of a list answer. It is never
    a BM25 or fused (reciprocal-rank) score; the retrieval order is ``rank``. Build citations
    with `Citation.from_passage`, which keeps to this; every reader does.
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

    @classmethod
    def from_passage(cls, p: Any, start: int = 0, end: int = 0, *, rank: int = 0, cosine: float | None = None,
                     verified: bool = True, claimed: str = "") -> "Citation":
        """The citation of ``p`` quoting ``p.text[start:end]`` (nothing for ``0, 0``): the one
        builder. ``p`` is anything with ``id``, ``text`` and ``meta`` (a `qa.retrieve.Passage`,
        an analyst search hit); its metadata gives source, title, date, speaker and paragraph.
        ``score`` is ``cosine`` when given, else ``p.dense`` (0.0 when the dense search did not
        find the paragraph), as the class docstring says; ``rank`` is its 1-based place in the retrieval order.

        >>> from qa.retrieve import Passage
        >>> p = Passage("p1", "MS ZAKHAROVA: About 11,000 students.", {"source": "a.txt", "paragraph": 3},
        ...             score=0.0323, dense=0.61234)
        >>> c = Citation.from_passage(p, 14, 36, rank=2)
        >>> c.quote, c.paragraph, c.score, c.rank
        ('About 11,000 students.', 3, 0.6123, 2)
        """
        m = p.meta
        score = p.dense if cosine is None else cosine
        return cls(source=m.get("source", ""), title=m.get("title", ""), date=m.get("date", ""),
                   speaker=m.get("speaker", ""), paragraph=int(m.get("paragraph", 0)), text=p.text,
                   quote=p.text[start:end], start=start, end=end, score=round(float(score), 4), id=p.id,
                   rank=rank, verified=verified, claimed=claimed)


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
    # "25 September 2021; the briefing is dated 24 September 2021", or against the transcript's own
    # dateline when it gives another day ("...; the press call was held on 17 November 2021 and is
    # dated 18 November 2021").
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
