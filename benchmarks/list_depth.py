"""How deep must retrieval go to find every speaker of a list question? Ranked hybrid search
at several depths against the exhaustive postings lookup that list answers use.

    python -m benchmarks.list_depth --store .store [--gold data/gold/dev.jsonl]

Recall and precision are over the gold speakers of each list question (averaged); "ranked"
takes the speakers of the top-N paragraphs of `Retriever.retrieve(question)`, with the question's scope applied as the
list answer applies it; "exhaustive" is `qa.answer()`'s own list.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEPTHS = (10, 40, 100, 300)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", default=".store")
    ap.add_argument("--gold", type=Path, default=ROOT / "data" / "gold" / "dev.jsonl")
    args = ap.parse_args(argv)

    from qa.analyst.constraints import read_question
    from qa.engine import Engine
    from qa.evaluate.gold import load_gold
    from qa.settings import Settings

    engine = Engine(Settings.from_env({}, store=args.store))
    items = [g for g in load_gold(args.gold) if g.answer_kind == "list"]
    catalog = engine.retriever.catalog
    recall: dict[str, list[float]] = {str(d): [] for d in DEPTHS} | {"exhaustive": []}
    precision: dict[str, list[float]] = {k: [] for k in recall}
    ms: dict[str, list[float]] = {k: [] for k in recall}
    engine.answer(items[0].question)  # warm
    for g in items:
        gold = set(g.answers)
        c = read_question(g.question, catalog)
        for d in DEPTHS:
            t = time.perf_counter()
            passages = engine.retriever.retrieve(g.question, n=d)
            ms[str(d)].append((time.perf_counter() - t) * 1000)
            got = {p.meta.get("speaker", "") for p in passages}
            if c.scope == "countries":
                got = {s for s in got if catalog.is_country(s)}
            recall[str(d)].append(len(gold & got) / len(gold))
            precision[str(d)].append(len(gold & got) / len(got) if got else 0.0)
        t = time.perf_counter()
        a = engine.answer(g.question)
        ms["exhaustive"].append((time.perf_counter() - t) * 1000)
        got = {x.speaker for x in a.citations}
        recall["exhaustive"].append(len(gold & got) / len(gold))
        precision["exhaustive"].append(len(gold & got) / len(got) if got else 0.0)
    out = {k: {"recall": round(statistics.mean(v), 3), "precision": round(statistics.mean(precision[k]), 3),
               "p50_ms": round(statistics.median(ms[k]), 1)} for k, v in recall.items()}
    print(json.dumps({"questions": len(items), "gold": str(args.gold.relative_to(ROOT)), "by_depth": out}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
