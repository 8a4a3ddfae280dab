"""Score reader model folders (`train_reader --out DIR`) side by side on one question set.

    python -m benchmarks.compare_weights qa/reader/weights /tmp/variant --on squad --store .store
    python -m benchmarks.compare_weights qa/reader/weights /tmp/variant --on dev,select,select2

For each folder, at the threshold in its manifest: F1 over all questions, F1 on the answerable
ones, and how well its confidence ranks right answers above the rest (AUC; "right" is an answer
with F1 >= 0.5), which does not depend on the threshold. Each folder after the first is also
paired with the first: the difference in F1 per question and its 95% bootstrap interval
(`paired_difference`). Sets, one or several pooled: `dev`, `select` (607 questions
written for choosing between variants, `data/gold/extra/select.jsonl`, never trained on; `select2`,
634 more, for confirming a choice made on it), `squad`
(the SQuAD 2.0 subset, in its own store) and `wiki` (the encyclopedic training articles,
`data/gold/extra/wiki/`). Never `test`: variants are chosen without it. `--live-sentences` embeds
the sentences at answer time instead of taking the vectors ingest stored, as before they existed.
`--results FILE` keeps every question's result (tagged with its set); `--from-results FILE ...`
scores such files instead of running folders, so that variants whose feature code differs (each
run in its own checkout) are still paired question by question:

    python -m benchmarks.compare_weights --from-results shipped.json variant.json --on select2 --tune-on dev,select
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def auc(right: list[float], rest: list[float]) -> float:
    """P(a right answer's confidence > a wrong or unanswerable one's); ties count half.

    >>> auc([0.9, 0.8], [0.1, 0.8])
    0.875
    """
    pairs = sum((r > w) + 0.5 * (r == w) for r in right for w in rest)
    return pairs / (len(right) * len(rest)) if right and rest else float("nan")


def score(results: list[dict], threshold: float) -> dict:
    """Metrics of per-question results (confidence, f1 when answered, answerable) at ``threshold``."""
    answerable = [r for r in results if r["answers"]]
    right = [r["confidence"] for r in results if r["answers"] and r["f1"] >= 0.5]
    rest = [r["confidence"] for r in results if not (r["answers"] and r["f1"] >= 0.5)]
    answered = [r for r in results if r["confidence"] >= threshold]
    return {"threshold": threshold, "f1": f1_at(results, threshold),
            "answered_precision": round(sum(bool(r["answers"]) and r["f1"] >= 0.5 for r in answered) / max(len(answered), 1), 4),
            "coverage": round(len(answered) / len(results), 4),
            "answerable_f1": round(sum(r["f1"] for r in answerable if r["confidence"] >= threshold) / len(answerable), 4),
            "top_answer_right": len(right), "auc": round(auc(right, rest), 4), "questions": len(results)}


def per_question(r: dict, threshold: float) -> float:
    """The F1 `score` counts for one question: its answer's F1 if given, 1 for a right abstention."""
    return (r["f1"] if r["confidence"] >= threshold else 0.0) if r["answers"] else float(r["confidence"] < threshold)


def f1_at(results: list[dict], threshold: float) -> float:
    """F1 over all questions at ``threshold`` (`score`'s "f1"), without the rest of `score`."""
    return round(sum(per_question(r, threshold) for r in results) / len(results), 4)


def best_threshold(results: list[dict], max_false_abstention: float = 1.0) -> float:
    """The threshold (0.00 to 1.00, by 0.01) with the best F1 among those withholding at most
    ``max_false_abstention`` of the answerable questions' answers; the lowest of equals.

    >>> rs = [{"answers": ["a"], "f1": 1.0, "confidence": 0.5}, {"answers": ["b"], "f1": 0.5, "confidence": 0.3},
    ...       {"answers": [], "f1": 0.0, "confidence": 0.4}]
    >>> best_threshold(rs), best_threshold(rs, max_false_abstention=0.0)  # 0.41 withholds b's half-right answer
    (0.41, 0.0)
    """
    answerable = [r for r in results if r["answers"]]
    best, chosen = -1.0, 0.0
    for step in range(101):
        t = step / 100
        withheld = sum(1 for r in answerable if r["confidence"] < t) / max(len(answerable), 1)
        f1 = f1_at(results, t) if withheld <= max_false_abstention else -1.0
        if f1 > best:
            best, chosen = f1, t
    return chosen


def paired_difference(a: list[float], b: list[float], resamples: int = 2000, seed: int = 0) -> dict:
    """Mean of b - a over the same questions, with a percentile bootstrap 95% interval.

    >>> paired_difference([0, 1, 1, 0], [1, 1, 1, 0])["difference"]
    0.25
    >>> d = paired_difference([0.0] * 50, [1.0] * 50); (d["low"], d["high"])
    (1.0, 1.0)
    """
    import random

    if len(a) != len(b) or not a:
        raise ValueError(f"paired_difference needs two equally long, non-empty lists; got {len(a)} and {len(b)}")
    d = [y - x for x, y in zip(a, b)]
    rng, n = random.Random(seed), len(d)
    means = sorted(sum(d[rng.randrange(n)] for _ in range(n)) / n for _ in range(resamples))
    return {"difference": round(sum(d) / n, 4), "low": round(means[int(0.025 * resamples)], 4),
            "high": round(means[int(0.975 * resamples) - 1], 4), "questions": n}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folders", nargs="*", type=Path)
    ap.add_argument("--from-results", type=Path, nargs="+", metavar="FILE",
                    help="score the per-question results saved by --results instead of running folders")
    ap.add_argument("--on", default="dev", type=_sets,
                    help="dev, select, select2 (several pooled: dev,select,select2), squad or wiki")
    ap.add_argument("--expected-type", type=_types, help="only questions whose expected answer type is one of "
                                                         "these (comma-separated names from qa/qtype.py: date,time,duration)")
    ap.add_argument("--tune-on", type=_sets, help="choose each folder's threshold on these transcript sets "
                                                   "instead of taking its manifest's (disjoint from --on)")
    ap.add_argument("--max-false-abstention", type=float, default=1.0,
                    help="with --tune-on: the best-F1 threshold among those withholding at most this share of "
                         "the answerable questions' answers (default 1: no bound)")
    ap.add_argument("--results", type=Path, help="also write each folder's per-question results here (JSON)")
    ap.add_argument("--store", default=".store", help="the transcripts' store (for --on dev and select)")
    ap.add_argument("--live-sentences", action="store_true",
                    help="embed sentences at answer time, not from the vectors stored at ingest")
    args = ap.parse_args(argv)
    if bool(args.folders) == bool(args.from_results):
        ap.error("give model folders, or --from-results FILE ..., not both")
    if args.tune_on and (set(args.tune_on) & set(args.on) or not set(args.tune_on) | set(args.on) <= _POOLED):
        ap.error(f"--tune-on takes transcript sets other than --on's; got --on {','.join(args.on)} "
                 f"--tune-on {','.join(args.tune_on)}")
    runs = _saved(args.from_results, args.on + (args.tune_on or [])) if args.from_results else _run(args)
    base, kept = None, {}
    for folder, tagged in runs:
        results = [r for r in tagged if r["set"] in args.on and _wanted(r["question"], args.expected_type)]
        if args.tune_on:
            threshold = best_threshold([r for r in tagged if r["set"] in args.tune_on], args.max_false_abstention)
        else:
            threshold = json.loads((Path(folder) / "manifest.json").read_text())["threshold"]
        kept[folder] = tagged
        row = {"folder": folder, "on": ",".join(args.on), "live_sentences": args.live_sentences,
               **({"threshold_tuned_on": ",".join(args.tune_on), "max_false_abstention": args.max_false_abstention}
                  if args.tune_on else {}),
               **score(results, threshold)}
        per = [per_question(r, threshold) for r in results]
        if base is None:
            base, base_ids = per, [r["id"] for r in results]
        elif [r["id"] for r in results] != base_ids:
            raise SystemExit(f"{folder}: its questions are not the first folder's; pair results of the same sets")
        else:
            row["f1_difference_from_first"] = paired_difference(base, per)
        print(json.dumps(row), flush=True)
    if args.results:
        args.results.write_text(json.dumps(kept))
    return 0


def _run(args) -> list[tuple[str, list[dict]]]:
    """Each folder's per-question results over the --on and --tune-on sets, each tagged with its set."""
    from qa.engine import Engine
    from qa.evaluate.run import evaluate
    from benchmarks.train_reader import use_weights
    from qa.settings import Settings

    settings = Settings.from_env(store=args.store, min_confidence=0.0)  # every answer kept; thresholds applied below
    if args.on == ["squad"]:
        from qa.evaluate.squad import squad_engine

        engine, gold = squad_engine(ROOT / "data" / "squad" / "squad2-dev-subset.json", settings)
        sets = ["squad"] * len(gold)
    elif args.on == ["wiki"]:
        from benchmarks.train_reader import wiki_gold

        engine, gold = wiki_gold(settings, progress=False)
        sets = ["wiki"] * len(gold)
    else:
        engine, (gold, sets) = Engine(settings), _factoids(args.on + (args.tune_on or []))
    # Only the asked types are scored, so only they are answered (the tuning sets stay whole).
    kept = [(g, name) for g, name in zip(gold, sets) if name not in args.on or _wanted(g.question, args.expected_type)]
    gold, sets = [g for g, _ in kept], [name for _, name in kept]
    if args.live_sentences:
        engine.__dict__["sentence_embedder"] = engine.embedder
    runs = []
    for folder in args.folders:
        use_weights(engine, folder)
        runs.append((str(folder), [{**r, "set": name} for r, name in zip(evaluate(engine, gold, k=5)["questions"], sets)]))
    return runs


def _saved(files: list[Path], needed: list[str]) -> list[tuple[str, list[dict]]]:
    """The (folder, results) pairs that ``--results`` wrote into ``files``, in order."""
    runs = []
    for path in files:
        for folder, results in json.loads(path.read_text()).items():
            missing = set(needed) - {r.get("set") for r in results}
            if missing:
                raise SystemExit(f"{path}: {folder} has no results for {', '.join(sorted(missing))} "
                                 "(run it with --results and those sets in --on)")
            runs.append((folder, results))
    return runs


_POOLED = {"dev", "select", "select2"}


def _factoids(names: list[str]) -> tuple[list, list[str]]:
    """The factoid questions of the named transcript sets, and each one's set name."""
    from qa.evaluate.gold import load_gold

    gold, sets = [], []
    for name in names:
        path = ROOT / "data" / "gold" / ("dev.jsonl" if name == "dev" else f"extra/{name}.jsonl")
        items = [g for g in load_gold(path) if g.answer_kind == "factoid"]
        gold += items
        sets += [name] * len(items)
    return gold, sets


def _wanted(question: str, types: set[str] | None) -> bool:
    """Whether ``question``'s expected answer type is one of ``types`` (all are, without them)."""
    if not types:
        return True
    from qa.qtype import expected_type

    return expected_type(question).name in types


def _types(value: str) -> set[str]:
    from qa.reader.features import QTYPES

    names = set(value.split(","))
    if not names <= set(QTYPES):
        raise argparse.ArgumentTypeError(f"{value!r}: expected types are {', '.join(QTYPES)}")
    return names


def _sets(value: str) -> list[str]:
    names = value.split(",")
    if not (set(names) <= _POOLED or names in (["squad"], ["wiki"])):
        raise argparse.ArgumentTypeError(f"{value!r}: give dev, select, select2 (or several of them, comma-separated), "
                                         "squad or wiki")
    return names


if __name__ == "__main__":
    raise SystemExit(main())
