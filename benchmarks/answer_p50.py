"""Warm `answer()` p50 over the dev factoids, for A/B runs of two checkouts of this repository
(run it alternately in each; the machine's noise is larger than most code changes).

    python -m benchmarks.answer_p50 --store .store
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

DEV = Path(__file__).resolve().parents[1] / "data" / "gold" / "dev.jsonl"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", default=".store")
    args = ap.parse_args(argv)
    from qa.engine import Engine
    from qa.evaluate.gold import load_gold
    from qa.settings import Settings

    engine = Engine(Settings.from_env(store=args.store))
    questions = [g.question for g in load_gold(DEV) if not g.extra.get("answer_kind")]
    for q in questions[:3]:
        engine.answer(q)  # models loaded, ONNX sessions warm
    times = []
    for q in questions:
        t = time.perf_counter()
        engine.answer(q)
        times.append((time.perf_counter() - t) * 1000)
    print(f"{len(questions)} dev factoids: warm answer() p50 {statistics.median(times):.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
