"""Scoring list and statement questions (gold items with ``answer_kind``).

- **list**: the speakers the answer lists against the gold speakers (every speaker of the
  corpus whose paragraph names the phrase or an agreed synonym, computed by
  ``python -m benchmarks.mentions``): precision, recall and F1 per question, then averaged.
- **statements**: the share of cited paragraphs by the asked speaker, inside the asked
  dates, and on the topic (naming one of the gold topic phrases); an item marked
  ``expect_none`` is right when the answer cites nothing and says no paragraph mentions it.

>>> mentions("the Black Sea Grain Initiative", ["black sea grain initiative"])
True
>>> in_dates("2023-02-13", "2023-02", "2023-02"), in_dates("2023", "2024", "")
(True, False)
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

from qa.errors import QAError
from vectorstore.words import phrase

LIST, STATEMENTS = "list", "statements"


def mentions(text: str, phrases: list[str]) -> bool:
    """``text`` holds one of ``phrases``, case-insensitively, on word boundaries, with white
    space, hyphens and apostrophes alike."""
    t = f" {phrase(text)} "
    return any(f" {p} " in t for p in map(phrase, phrases) if p)


def in_dates(date: str, since: str, until: str) -> bool:
    """A document date (YYYY[-MM[-DD]]) overlaps [since, until]; an undated one fits only an open window."""
    if not since and not until:
        return True
    if not date:
        return False
    return (not since or date + "-99" >= since) and (not until or date[: len(until)] <= until)


@dataclass
class AnalystResult:
    id: str
    question: str
    kind: str  # what the gold item is
    predicted_kind: str  # how the product read it
    latency_ms: float
    expected: list[str] = field(default_factory=list)  # list: gold speakers
    predicted: list[str] = field(default_factory=list)  # list: speakers answered; statements: cited speakers
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    cited: int = 0  # statements: paragraphs cited
    on_speaker: float = 0.0  # statements: share of them by the asked speaker ...
    in_dates: float = 0.0  # ... inside the asked dates ...
    on_topic: float = 0.0  # ... naming the topic ...
    speaker_and_dates: float = 0.0  # ... by the speaker and inside the dates
    all_three: float = 0.0  # ... all three at once
    expect_none: bool = False
    passed: bool = False
    error: str = ""


def score_analyst(engine, g, depth: int) -> AnalystResult:
    kind = g.extra["answer_kind"]
    t = time.perf_counter()
    try:
        a = engine.answer(g.question, k=depth)
    except QAError as err:
        return AnalystResult(g.id, g.question, kind, "", (time.perf_counter() - t) * 1000, list(g.answers), error=str(err))
    r = AnalystResult(g.id, g.question, kind, a.kind, (time.perf_counter() - t) * 1000)
    if kind == LIST:
        gold = set(g.answers)
        got = {c.speaker for c in a.citations} if a.kind == LIST else set()
        hit = len(gold & got)
        r.expected, r.predicted = sorted(gold), sorted(got)
        r.precision = hit / len(got) if got else float(not gold)
        r.recall = hit / len(gold) if gold else 1.0
        r.f1 = 2 * r.precision * r.recall / (r.precision + r.recall) if hit else 0.0
        r.passed = r.f1 >= 0.8
        return r
    x = g.extra
    r.expect_none = bool(x.get("expect_none"))
    cites = a.citations if a.kind == STATEMENTS else []
    r.cited, r.predicted = len(cites), [c.speaker for c in cites]
    if cites:
        sp = [c.speaker == x["speaker"] for c in cites]
        dt = [in_dates(c.date, x.get("since", ""), x.get("until", "")) for c in cites]
        topic = [form for p in x["topic"] for form in (p, p + "s", p + "es")]  # "North Koreans" is on "North Korean"
        tp = [mentions(c.text, topic) for c in cites]
        n = len(cites)
        r.on_speaker, r.in_dates, r.on_topic = sum(sp) / n, sum(dt) / n, sum(tp) / n
        r.speaker_and_dates = sum(a and b for a, b in zip(sp, dt)) / n
        r.all_three = sum(a and b and c for a, b, c in zip(sp, dt, tp)) / n
    r.passed = (not cites and a.kind == STATEMENTS) if r.expect_none else (bool(cites) and r.all_three >= 0.9)
    return r


def summarize_analyst(results: list[AnalystResult]) -> dict:
    def mean(xs):
        xs = list(xs)
        return round(sum(xs) / len(xs), 4) if xs else 0.0

    out: dict = {}
    lists = [r for r in results if r.kind == LIST]
    if lists:
        out["lists"] = {"n": len(lists), "precision": mean(r.precision for r in lists), "recall": mean(r.recall for r in lists),
                        "f1": mean(r.f1 for r in lists), "read_as_list": mean(float(r.predicted_kind == LIST) for r in lists),
                        "latency_ms_p50": _median([r.latency_ms for r in lists])}
    st = [r for r in results if r.kind == STATEMENTS]
    if st:
        said = [r for r in st if not r.expect_none]
        none = [r for r in st if r.expect_none]
        cites = sum(r.cited for r in said)

        def weighted(attr):  # share over all cited paragraphs, not per question
            return round(sum(getattr(r, attr) * r.cited for r in said) / cites, 4) if cites else 0.0
        out["statements"] = {"n": len(st), "answered": mean(float(r.cited > 0) for r in said),
                             "citations": cites, "on_speaker": weighted("on_speaker"), "in_dates": weighted("in_dates"),
                             "on_topic": weighted("on_topic"), "speaker_and_dates": weighted("speaker_and_dates"),
                             "all_three": weighted("all_three"),
                             "none_expected": len(none), "none_right": mean(float(r.passed) for r in none),
                             "read_as_statements": mean(float(r.predicted_kind == STATEMENTS) for r in st)}
    out["analyst_questions"] = [asdict(r) for r in results]
    return out


def _median(xs: list[float]) -> float:
    xs = sorted(xs)
    return round(xs[len(xs) // 2], 1) if xs else 0.0
