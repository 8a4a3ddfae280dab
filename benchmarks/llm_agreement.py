"""When the local LLM's short answer agrees with the extractive span ("2023" and "March 2023"),
which boundaries should be shown? Runs the LLM reader (JSON format, `QA_LLM`, default the local
SmolLM2) and the extractive reader over every n-th train factoid and scores four rules on the
answers the reader found grounded and agreeing: the extractive span, the model's own answer, the
shorter and the longer of the two (the shorter was the first rule, the longer the second), and the
longer unless the words it adds mostly repeat the question (what `qa.llm.structured` ships). Never
on test: the rule is chosen on train and the selection sets.

    python -m benchmarks.llm_agreement --store .store --every 5     # 440 questions, ~12 min
    python -m benchmarks.llm_agreement --store .store --gold data/gold/extra/train_more.jsonl --every 1   # 895, ~25 min
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

RULES = ("extractive span", "model's answer", "shorter", "longer", "longer unless it repeats the question")


def shown(rule: str, model: str, span: str, question: str) -> str:
    """The answer a rule shows for two agreeing answers; a tie goes to the span for "longer" and to
    the model for "shorter" (what the first rule did).

    >>> shown("longer", "175 million Americans", "175 million", "How many Americans?")
    '175 million Americans'
    >>> shown("longer unless it repeats the question", "175 million Americans", "175 million", "How many Americans?")
    '175 million'
    """
    from qa.llm.structured import longer, model_shown

    if rule == "extractive span":
        return span
    if rule == "model's answer":
        return model
    if rule == "longer":
        return model if longer(model, span) else span
    if rule == "longer unless it repeats the question":
        return model if model_shown(model, span, question) else span  # the shipped rule, through its predicate
    return span if longer(model, span) else model


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", default=".store")
    ap.add_argument("--gold", default="data/gold/train.jsonl")
    ap.add_argument("--every", type=int, default=5, help="take every n-th factoid question")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    from tqdm import tqdm

    from qa.engine import Engine
    from qa.evaluate.gold import load_gold
    from qa.evaluate.metrics import score_answer
    from qa.llm.structured import AGREES, SHOWN, parse
    from qa.settings import Settings

    if "test" in Path(args.gold).name:
        raise SystemExit("the rule is chosen on train or dev questions, never on test")
    gold = [g for g in load_gold(args.gold) if not g.extra.get("answer_kind")][:: args.every]
    settings = Settings.from_env(store=args.store).replace(reader="extractive")
    extractive = Engine(settings)
    llm = Engine(settings.replace(reader="llm"), store=extractive.store, embedder=extractive.embedder)
    totals = dict.fromkeys(RULES, 0.0)
    agreeing, changed, seconds = 0, [], []
    for g in tqdm(gold, desc="questions", dynamic_ncols=True):
        e = extractive.answer(g.question)
        t = time.perf_counter()
        a = llm.answer(g.question)
        seconds.append(time.perf_counter() - t)
        choice = parse(a.generated or "", SHOWN)
        # The reader's own test: grounded in a shown sentence and agreeing with the span (its note says so).
        agree = not e.abstained and any(AGREES in n for n in a.notes)
        agreeing += agree
        scores = {}
        for rule in RULES:
            text, abstained = (shown(rule, choice.answer, e.text, g.question), False) if agree else (a.text, a.abstained)
            scores[rule] = score_answer(text, abstained, g.answers)[1]
            totals[rule] += scores[rule]
        if len(set(scores.values())) > 1:
            changed.append({"question": g.question, "gold": list(g.answers[:2]), "span": e.text,
                            "model": choice.answer, "f1": scores})
    n = len(gold)
    if not n:
        raise SystemExit(f"no factoid questions in {args.gold}")
    result = {"questions": n, "agreeing": agreeing, "f1": {r: round(v / n, 4) for r, v in totals.items()},
              "llm_p50_s": round(sorted(seconds)[n // 2], 2), "differing": changed}
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    print(f"{n} questions, {agreeing} where the model's answer agrees with the extractive span; "
          f"LLM p50 {result['llm_p50_s']} s")
    for rule in RULES:
        print(f"  {rule:38} F1 {result['f1'][rule]:.4f}")
    for d in changed:
        print(f"  {d['question'][:70]!r} gold {d['gold'][0]!r}: span {d['span']!r}, model {d['model']!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
