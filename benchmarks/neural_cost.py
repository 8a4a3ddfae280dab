"""What the neural span score costs a factoid answer: warm `answer()` over the dev factoids with
the span model and with a scorer that returns nothing, alternating in one process, and the span
model's own call on the 4 parsed sentences.

    python -m benchmarks.neural_cost --store .store
"""

from __future__ import annotations

import argparse
import statistics
import time


class _NoSpans:
    def scores(self, question, contexts):
        return [[] for _ in contexts]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", default=".store")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)
    from qa.engine import Engine
    from qa.evaluate.gold import load_gold
    from qa.reader.question import analyze
    from qa.settings import Settings

    engine = Engine(Settings.from_env(store=args.store))
    questions = [g.question for g in load_gold("data/gold/dev.jsonl") if not g.extra.get("answer_kind")]
    engine.answer(questions[0])  # load everything once
    reader, real = engine.reader, engine.reader.spans
    for r in range(args.rounds):
        for name, spans in (("with the span model", real), ("without", _NoSpans())):
            reader.spans = spans
            times = []
            for q in questions:
                t = time.perf_counter()
                engine.answer(q)
                times.append(1000 * (time.perf_counter() - t))
            times.sort()
            print(f"round {r + 1}, {name}: answer() p50 {statistics.median(times):.1f} ms, "
                  f"p95 {times[int(0.95 * len(times))]:.1f} ms ({len(times)} dev factoids)")
    reader.spans = real
    own = []
    for q in questions:
        parsed = reader.rank_sentences(analyze(q, reader.idf), engine.retriever.retrieve(q, n=engine.settings.read_passages))[:4]
        t = time.perf_counter()
        real.scores(q, [s.text for s in parsed])
        own.append(1000 * (time.perf_counter() - t))
    print(f"the span model's own call on the 4 parsed sentences: p50 {statistics.median(own):.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
