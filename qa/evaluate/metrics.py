"""Scoring with the official SQuAD conventions, plus retrieval and citation metrics.

>>> normalize_answer("The  Eiffel-Tower!")
'eiffeltower'
>>> round(f1_score("about 11,000 students", "11,000"), 3)
0.5
"""

from __future__ import annotations

import collections
import re
import string
from typing import Iterable, Sequence

_ARTICLES = re.compile(r"\b(a|an|the)\b", re.UNICODE)
_PUNCT = set(string.punctuation)


def normalize_answer(s: str) -> str:
    """Lower-case, drop punctuation and the articles a/an/the, collapse white space."""
    s = s.lower()
    s = "".join(ch for ch in s if ch not in _PUNCT)
    s = _ARTICLES.sub(" ", s)
    return " ".join(s.split())


def exact_match(prediction: str, gold: str) -> float:
    return float(normalize_answer(prediction) == normalize_answer(gold))


def f1_score(prediction: str, gold: str) -> float:
    pred, ref = normalize_answer(prediction).split(), normalize_answer(gold).split()
    if not pred or not ref:
        return float(pred == ref)
    common = collections.Counter(pred) & collections.Counter(ref)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision, recall = same / len(pred), same / len(ref)
    return 2 * precision * recall / (precision + recall)


def best_over(metric, prediction: str, golds: Sequence[str]) -> float:
    return max((metric(prediction, g) for g in golds), default=0.0)


def score_answer(prediction: str, abstained: bool, golds: Sequence[str]) -> tuple[float, float]:
    """(EM, F1) for one question. For an unanswerable question, abstaining scores 1."""
    if not golds:
        return (1.0, 1.0) if abstained else (0.0, 0.0)
    if abstained:
        return 0.0, 0.0
    return best_over(exact_match, prediction, golds), best_over(f1_score, prediction, golds)


def collapse(text: str) -> str:
    return " ".join(text.split())


def is_relevant(paragraph: str, evidence: str) -> bool:
    """A paragraph is relevant when it contains the evidence, white space collapsed."""
    return bool(evidence) and collapse(evidence) in collapse(paragraph)


def first_relevant_rank(paragraphs: Iterable[str], evidence: str) -> int | None:
    for rank, text in enumerate(paragraphs, start=1):
        if is_relevant(text, evidence):
            return rank
    return None


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile, q in [0, 100]; 0 for no values.

    The project's one percentile (``qa eval``'s latencies, ``benchmarks.run`` and
    ``benchmarks.scale``): numpy's default method ("linear"), so ``percentile(xs, 50)`` is
    ``statistics.median(xs)``.

    >>> percentile([1, 2, 3, 4], 95)
    3.85
    """
    if not values:
        return 0.0
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def expected_calibration_error(pairs: Sequence[tuple[float, bool]], bins: int = 10) -> float:
    """Mean gap between confidence and accuracy over equal-width confidence bins, weighted by
    the bins' sizes. ``pairs`` are (confidence, the offered answer is right).

    >>> expected_calibration_error([(0.9, True), (0.9, False), (0.2, False)])
    0.3333
    """
    if not pairs:
        return 0.0
    total = 0.0
    for lo, hi, members in calibration_bins(pairs, bins):
        if members:
            conf = sum(c for c, _ in members) / len(members)
            acc = sum(1 for _, r in members if r) / len(members)
            total += len(members) * abs(conf - acc)
    return round(total / len(pairs), 4)


def calibration_bins(pairs: Sequence[tuple[float, bool]], bins: int = 10) -> list[tuple[float, float, list]]:
    out = [(i / bins, (i + 1) / bins, []) for i in range(bins)]
    for c, r in pairs:
        out[min(int(c * bins), bins - 1)][2].append((c, r))
    return out


def risk_coverage(pairs: Sequence[tuple[float, bool]], points: int = 20) -> list[dict]:
    """Answer only the most confident share of questions: precision at each coverage.

    >>> risk_coverage([(0.9, True), (0.5, False)], points=2)
    [{'coverage': 0.5, 'precision': 1.0}, {'coverage': 1.0, 'precision': 0.5}]
    """
    ranked = sorted(pairs, key=lambda p: -p[0])
    out = []
    for i in range(1, points + 1):
        n = max(1, round(len(ranked) * i / points))
        top = ranked[:n]
        if top:
            out.append({"coverage": round(n / len(ranked), 4), "precision": round(sum(1 for _, r in top if r) / n, 4)})
    return out
