"""The verifier against a chat model that writes only attacks, over many questions.

    python -m benchmarks.attacks --store .store [--train 600]

For each dev, test and first ``--train`` train question: retrieve, show the LLM reader's three
passages to the attacker (`tests/fakes.py: attacks`: flipped negations, changed or doubled
numbers, numbers in words, numbers cut from bigger ones, made-up names, sentences stitched by an
ellipsis, quotes cut from negated clauses, made-up inline quotations) and verify its claims.
Prints how many claims were made and how many were verified (should be none), with examples.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from qa.engine import Engine
from qa.evaluate.gold import load_gold
from qa.llm.prompt import answer_messages
from qa.llm.reader import focus
from qa.llm.verify import parse_claims, verify
from qa.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", default=".store")
    ap.add_argument("--train", type=int, default=600)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "tests"))
    from fakes import attacks

    settings = Settings.from_env(store=args.store, reader="llm", llm_format="text")
    engine = Engine(settings)
    gold = load_gold(ROOT / "data/gold/dev.jsonl") + load_gold(ROOT / "data/gold/test.jsonl")
    questions = [g.question for g in gold if g.answer_kind == "factoid"]
    lines = (ROOT / "data/gold/train.jsonl").read_text().splitlines()[: args.train]
    questions += [json.loads(x)["question"] for x in lines if x.strip()]
    made, slipped = 0, []
    for q in questions:
        given = engine.retriever.retrieve(q, n=settings.read_passages)[: settings.llm_passages]
        shown = [focus(p.text, q, settings.llm_passage_chars) for p in given]
        output = attacks(answer_messages(q, shown)[-1][1])
        for c in verify(parse_claims(output), [p.text for p in given], [p.meta.get("speaker", "") for p in given]):
            made += 1
            if c.verified:
                slipped.append((c.text, c.quote))
    print(f"{len(questions)} questions, {made} attack claims, {len(slipped)} verified")
    for text, quote in slipped[:10]:
        print(f"  verified: {text[:120]!r} on {quote[:120]!r}")


if __name__ == "__main__":
    main()
