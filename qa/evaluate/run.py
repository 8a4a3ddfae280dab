"""Run a gold set through the same `Engine.answer()` everyone uses, and score it."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, dataclass

from qa.errors import QAError
from qa.evaluate.analyst import score_analyst, summarize_analyst
from qa.evaluate.gate import below_floors, load_floors
from qa.evaluate.gold import GoldQuestion, load_gold
from qa.evaluate.metrics import (
    expected_calibration_error, first_relevant_rank, is_relevant, percentile, risk_coverage, score_answer,
)
from qa.settings import Settings


@dataclass
class QuestionResult:
    id: str
    question: str
    answers: list[str]
    prediction: str
    abstained: bool
    confidence: float
    exact_match: float
    f1: float
    rank: int | None          # first relevant passage in the retriever's own ranking, 1-based; None if not retrieved
    cited_relevant: bool | None  # the first citation of a given answer holds the evidence
    quotes_verbatim: bool     # every quote equals the stored paragraph's text at its offsets, fetched by id
    source: str
    latency_ms: float
    passed: bool
    has_evidence: bool = False
    right: bool = False         # the short answer given, or withheld, scores F1 >= 0.5 (never, if unanswerable)
    error: str = ""
    claims: int = 0             # LLM reader: claims the model made ...
    claims_unverified: int = 0  # ... and how many the verifier caught
    cited_evidence: bool | None = None  # the evidence paragraph is among the citations shown (citation recall)


def evaluate(engine, gold: list[GoldQuestion], k: int = 5, progress: bool = False) -> dict:
    """Metrics plus a per-question list, as `qa eval --json` prints them."""
    depth = max(k, 5)
    results: list[QuestionResult] = []
    analyst: list = []
    items = gold
    if progress:
        from tqdm import tqdm

        items = tqdm(gold, unit="q", desc="eval", dynamic_ncols=True)
    for g in items:
        if g.answer_kind == "factoid":
            results.append(_one(engine, g, depth))
        else:
            analyst.append(score_analyst(engine, g, depth))
    metrics = summarize(results, k)
    if analyst:
        metrics.update(summarize_analyst(analyst))
    return metrics


def _one(engine, g: GoldQuestion, depth: int) -> QuestionResult:
    t = time.perf_counter()
    try:
        a = engine.answer(g.question, k=depth)
    except QAError as err:
        em, f1 = score_answer("", True, g.answers)
        return QuestionResult(g.id, g.question, list(g.answers), "", True, 0.0, em, f1, None, None, True, "",
                              (time.perf_counter() - t) * 1000, not g.answers, bool(g.evidence), str(err))
    latency = (time.perf_counter() - t) * 1000
    em, f1 = score_answer(a.text, a.abstained, g.answers)
    stored = engine.store.paragraphs([*a.retrieved, *(c.id for c in a.citations)])
    rank = cited = cited_evidence = None
    if g.evidence:
        rank = first_relevant_rank([stored.get(i, "") for i in a.retrieved], g.evidence)
        cited_evidence = any(is_relevant(stored.get(c.id, ""), g.evidence) for c in a.citations)
        if not a.abstained and a.citations:
            cited = is_relevant(stored.get(a.citations[0].id, ""), g.evidence)
    verbatim = quotes_verbatim(a, stored)
    passed = (em == 1.0 or f1 >= 0.5) if g.answers else a.abstained
    offered = a.withheld if a.abstained else a.text
    right = bool(g.answers) and bool(offered) and score_answer(offered, False, g.answers)[1] >= 0.5
    return QuestionResult(g.id, g.question, list(g.answers), a.text, a.abstained, round(a.confidence, 4), em, f1,
                          rank, cited, verbatim, a.citations[0].source if a.citations else "", latency, passed,
                          bool(g.evidence), right=right, claims=int(a.signals.get("claims", 0)),
                          claims_unverified=int(a.signals.get("claims_unverified", 0)), cited_evidence=cited_evidence)


def quotes_verbatim(a, stored: dict[str, str]) -> bool:
    """Every quote of ``a`` is the stored paragraph's text at its offsets (``stored``: paragraph id ->
    text as Chroma holds it, `Store.paragraphs`), and an extracted short answer is words of the paragraph it cites."""
    for c in a.citations:
        if c.quote and stored.get(c.id, "")[c.start:c.end] != c.quote:
            return False
    if a.abstained or a.generated or not a.citations or a.kind != "factoid":
        return True
    return a.text in stored.get(a.citations[0].id, "")


def summarize(results: list[QuestionResult], k: int) -> dict:
    def mean(xs):
        xs = list(xs)
        return round(sum(xs) / len(xs), 4) if xs else 0.0

    answerable = [r for r in results if r.answers]
    unanswerable = [r for r in results if not r.answers]
    ev = [r for r in results if r.has_evidence]
    answered = [r for r in results if r.cited_relevant is not None]
    lat = [r.latency_ms for r in results]
    given = [r for r in results if not r.abstained]
    pairs = [(r.confidence, r.right) for r in results]
    claims = sum(r.claims for r in results)
    extra = {}
    if claims:  # LLM reader: how much of what the model wrote the verifier refused
        caught = sum(r.claims_unverified for r in results)
        extra["verifier"] = {"claims": claims, "unverified_caught": caught, "share_caught": round(caught / claims, 4),
                             "answers_with_a_dropped_claim": sum(r.claims_unverified > 0 for r in results)}
    return {
        "n": len(results),
        "exact_match": mean(r.exact_match for r in results),
        "f1": mean(r.f1 for r in results),
        "answerable": {
            "n": len(answerable),
            "exact_match": mean(r.exact_match for r in answerable),
            "f1": mean(r.f1 for r in answerable),
            "false_abstention": mean(float(r.abstained) for r in answerable),
        },
        "unanswerable": {"n": len(unanswerable), "abstention_accuracy": mean(float(r.abstained) for r in unanswerable)},
        # Retrieval: the retriever's own ranking (`Answer.retrieved`), before the reader moves the
        # passage it quotes first. Citation recall: the evidence is among the passages cited.
        "retrieval": {
            "n": len(ev),
            "recall@1": mean(float(r.rank is not None and r.rank <= 1) for r in ev),
            "recall@5": mean(float(r.rank is not None and r.rank <= 5) for r in ev),
            "recall@k": mean(float(r.rank is not None and r.rank <= k) for r in ev),
            "mrr": mean((1.0 / r.rank) if r.rank else 0.0 for r in ev),
            "k": k,
        },
        "answered_precision": mean(float(r.right) for r in given),
        "coverage": mean(float(not r.abstained) for r in results),
        "calibration": {"ece": round(expected_calibration_error(pairs), 4), "bins": 10,
                        "risk_coverage": risk_coverage(pairs)},
        "citation_precision": mean(float(r.cited_relevant) for r in answered),
        "citation_recall": mean(float(bool(r.cited_evidence)) for r in ev),
        "quotes_verbatim": mean(float(r.quotes_verbatim) for r in results),
        "latency_ms": {"p50": round(percentile(lat, 50), 1), "p95": round(percentile(lat, 95), 1)},
        **extra,
        "questions": [asdict(r) for r in results],
    }


def run_eval_command(args, settings: Settings) -> int:
    from qa.engine import Engine

    if args.squad:
        from qa.evaluate.squad import squad_engine

        engine, gold = squad_engine(args.squad, settings, progress=not args.json and sys.stderr.isatty())
    elif args.gold:
        gold = load_gold(args.gold)  # a malformed file stops here, before any model loads
        engine = Engine(settings)
        engine.retriever  # fail fast on a missing or mismatched store
    else:
        raise QAError("Give a gold file (qa eval data/gold/test.jsonl) or --squad FILE.")
    floors = load_floors(args.floors) if getattr(args, "floors", None) else {}
    k = args.k or settings.k
    metrics = evaluate(engine, gold, k=k, progress=not args.json and sys.stderr.isatty())
    if args.report:
        from qa.evaluate.report import write_report

        write_report(metrics, args.report, title=str(args.squad or args.gold))
    if args.json:
        print(json.dumps(metrics, indent=2, ensure_ascii=False))
    else:
        from qa.evaluate.report import metrics_table

        print(metrics_table(metrics))
        if args.report:
            print(f"\nreport written to {args.report}/report.md")
    missed = below_floors(metrics, floors)
    for line in missed:
        print(f"gate: {line}", file=sys.stderr)
    return 1 if missed else 0
