"""What the neural span score costs a factoid answer: warm `answer()` over the dev factoids with
the span model and with a scorer that returns nothing, alternating in one process, and the span
model's own call on the 4 parsed sentences. ``--part verifier``: the same for the answer verifier
(`qa.reader.verify`), with it and without, and its own call on the chosen answer.

    python -m benchmarks.neural_cost --store .store [--part verifier]
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
    ap.add_argument("--part", choices=["span", "verifier"], default="span")
    args = ap.parse_args(argv)
    from qa.engine import Engine
    from qa.evaluate.gold import load_gold
    from qa.reader.question import analyze
    from qa.settings import Settings

    engine = Engine(Settings.from_env(store=args.store))
    questions = [g.question for g in load_gold("data/gold/dev.jsonl") if not g.extra.get("answer_kind")]
    engine.answer(questions[0])  # load everything once
    reader = engine.reader
    attr, off = ("spans", _NoSpans()) if args.part == "span" else ("verifier", None)
    real = getattr(reader, attr)
    for r in range(args.rounds):
        for name, part in ((f"with the {attr}", real), ("without", off)):
            setattr(reader, attr, part)
            times = []
            for q in questions:
                t = time.perf_counter()
                engine.answer(q)
                times.append(1000 * (time.perf_counter() - t))
            times.sort()
            print(f"round {r + 1}, {name}: answer() p50 {statistics.median(times):.1f} ms, "
                  f"p95 {times[int(0.95 * len(times))]:.1f} ms ({len(times)} dev factoids)")
    setattr(reader, attr, real)
    own = []
    for q in questions:
        question = analyze(q, reader.idf)
        parsed = reader.rank_sentences(question, engine.retriever.retrieve(q, n=engine.settings.read_passages))
        if args.part == "span":
            t = time.perf_counter()
            real.scores(q, [s.text for s in parsed[:4]])
        else:
            top = (reader.rank_candidates(question, parsed) or [None])[0] if parsed else None
            if top is None:
                continue
            t = time.perf_counter()
            real.logit(q, top.sentence.text, top.span.start, top.span.end)
        own.append(1000 * (time.perf_counter() - t))
    print(f"the {attr}'s own call: p50 {statistics.median(own):.1f} ms ({len(own)} calls)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
