"""Retrieval ablation: dense only, BM25 only, hybrid, hybrid with speaker/date boosts.

    python -m benchmarks.ablation --store .store [--squad]

Reports recall@1, recall@5, MRR, answer F1 and median latency per configuration on the
test gold split (and on the SQuAD subset with --squad), as a Markdown table.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from qa.engine import Engine
from qa.evaluate.gold import load_gold
from qa.evaluate.run import evaluate
from qa.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = [("dense only", "dense", False), ("BM25 only", "bm25", False), ("hybrid", "hybrid", False),
           ("hybrid + speaker/date boosts", "hybrid", True)]


def run(engine_for, gold, label: str) -> list[str]:
    rows = []
    for name, mode, boosts in CONFIGS:
        engine = engine_for(mode, boosts)
        m = evaluate(engine, gold, k=5)
        r = m["retrieval"]
        rows.append(f"| {label} | {name} | {r['recall@1']:.3f} | {r['recall@5']:.3f} | {r['mrr']:.3f} | "
                    f"{m['f1']:.3f} | {m['latency_ms']['p50']:.0f} |")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", default=".store")
    ap.add_argument("--gold", type=Path, default=ROOT / "data/gold/test.jsonl")
    ap.add_argument("--squad", action="store_true", help="also run on data/squad/squad2-dev-subset.json")
    args = ap.parse_args()
    base = Settings.from_env(store=args.store)
    rows = ["| data | configuration | recall@1 | recall@5 | MRR | answer F1 | p50 ms |", "|---|---|---|---|---|---|---|"]
    rows += run(lambda mode, boosts: Engine(base.replace(retrieval=mode, boosts=boosts)), load_gold(args.gold), args.gold.name)
    if args.squad:
        from qa.evaluate.squad import squad_engine

        engine, gold = squad_engine(ROOT / "data/squad/squad2-dev-subset.json", base)
        squad_store = engine.settings.store
        rows += run(lambda mode, boosts: Engine(base.replace(store=squad_store, retrieval=mode, boosts=boosts)), gold, "SQuAD subset")
    table = "\n".join(rows)
    print(table)
    (ROOT / "benchmarks" / "ablation.md").write_text(table + "\n")


if __name__ == "__main__":
    main()
