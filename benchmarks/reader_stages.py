"""Where a factoid answer's reading time goes: each stage of the extractive reader timed on its
own over the dev factoids (p50, ms), after one warm-up answer. ``--answer-only`` times just
`answer()`, for A/B runs of two checkouts (run this file alternately with PYTHONPATH set to each;
the machine's noise is larger than most code changes). ``--live-sentences`` embeds the sentences at
answer time instead of reading the vectors ingest stored (`vectorstore.sentence_vectors`).

    python -m benchmarks.reader_stages --store .store [--live-sentences]
    PYTHONPATH=../other-checkout python benchmarks/reader_stages.py --store .store --answer-only
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
    ap.add_argument("--answer-only", action="store_true", help="time only the whole answer()")
    ap.add_argument("--live-sentences", action="store_true", help="embed sentences at answer time, as before ingest stored them")
    args = ap.parse_args(argv)
    from qa.engine import Engine
    from qa.evaluate.gold import load_gold
    from qa.reader.extractive import EMBEDDED, PARSED, _strip_label
    from qa.reader.question import analyze
    from qa.settings import Settings

    engine = Engine(Settings.from_env(store=args.store).replace(reader="extractive"))
    if args.live_sentences:
        engine.__dict__["sentence_embedder"] = engine.embedder
    questions = [g.question for g in load_gold(DEV) if not g.extra.get("answer_kind")]
    for q in questions[:3]:
        engine.answer(q)  # models loaded, ONNX sessions warm
    # Each question is timed as a new one: the engine remembers recent question vectors
    # (`vectorstore.embed.RecentTexts`), and a checkout from before that has nothing to forget.
    forget = getattr(engine.embedder, "forget", lambda: None)
    r = engine.reader
    times: dict[str, list[float]] = {}

    def timed(name, fn, *a):
        t = time.perf_counter()
        out = fn(*a)
        times.setdefault(name, []).append((time.perf_counter() - t) * 1000)
        return out

    for question in questions:
        forget()
        if args.answer_only:
            timed("whole answer()", engine.answer, question)
            continue
        passages = timed("retrieval", lambda: engine.retriever.retrieve(question, n=8))[: r.settings.read_passages]
        q = analyze(question, r.idf)
        sentences = timed("sentence stage (all)", r.rank_sentences, q, passages)
        best = sorted(sentences, key=lambda s: -s.prescore)[:EMBEDDED]
        timed(f"- embed question + {EMBEDDED} sentences", r.embedder.embed, [q.text] + [_strip_label(s.text) for s in best])
        pool = [s.text for s in sentences[:PARSED]]
        timed(f"span stage (all, spaCy and span model overlapped)", r.rank_candidates, q, sentences)
        timed(f"- spaCy parse of {PARSED} sentences", lambda: list(r.nlp.pipe(pool)))
        timed(f"- neural span model on {PARSED} sentences", r.spans.scores, q.text, pool)
        forget()
        timed("whole answer()", engine.answer, question)
    print(f"{len(questions)} dev factoids, p50 ms:")
    for name, v in times.items():
        print(f"  {name:55} {statistics.median(v):6.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
