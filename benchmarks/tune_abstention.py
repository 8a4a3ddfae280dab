"""Fit the reader's confidence model on the dev split (never on test).

    python -m benchmarks.tune_abstention --store .store [--gold data/gold/dev.jsonl]

For every dev question it records the reader's evidence features and whether the
answer it would give is right (F1 >= 0.5; any answer to an unanswerable question is
wrong), fits a logistic regression, and prints the weights for
`qa.read.CONFIDENCE_WEIGHTS` and the threshold for `QA_MIN_CONFIDENCE` that
maximises dev F1.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from qa.engine import Engine
from qa.evaluate.gold import load_gold
from qa.evaluate.metrics import score_answer
from qa.settings import Settings


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", default=".store")
    ap.add_argument("--gold", type=Path, default=Path("data/gold/dev.jsonl"))
    ap.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength")
    args = ap.parse_args()
    if "test" in args.gold.name:
        raise SystemExit("refusing to tune on a test split")

    engine = Engine(Settings.from_env(store=args.store, min_confidence=0.0))
    rows = []
    for g in load_gold(args.gold):
        a = engine.answer(g.question)
        _, f1 = score_answer(a.text, False, g.answers) if g.answers else (0.0, 0.0)
        rows.append((g, a, float(f1 >= 0.5)))

    from sklearn.linear_model import LogisticRegression

    keys = list(rows[0][1].signals)
    X = [[a.signals[k] for k in keys] for _, a, _ in rows]
    y = [label for *_, label in rows]
    model = LogisticRegression(C=args.c, max_iter=1000).fit(X, y)
    weights = {k: round(float(w), 2) for k, w in zip(keys, model.coef_[0])}
    bias = round(float(model.intercept_[0]), 2)

    # The threshold is chosen on out-of-fold probabilities (5-fold cross-validation on
    # dev): picking it on the same questions the weights were fitted on overfits.
    from sklearn.model_selection import cross_val_predict

    oof = cross_val_predict(LogisticRegression(C=args.c, max_iter=1000), X, y, cv=5, method="predict_proba")[:, 1]

    def f1_at(t: float, probs) -> float:
        return sum(score_answer(a.text, p < t, g.answers)[1] for (g, a, _), p in zip(rows, probs)) / len(rows)

    fitted = [1 / (1 + math.exp(-(bias + sum(weights[k] * v for k, v in zip(keys, x))))) for x in X]
    grid = [i / 100 for i in range(5, 96)]
    best = max(grid, key=lambda t: (round(f1_at(t, oof), 3), -t))
    print(f"questions: {len(rows)}, answer right when not abstaining: {sum(y):.0f}")
    print(f"CONFIDENCE_BIAS = {bias}")
    print(f"CONFIDENCE_WEIGHTS = {weights}")
    print(f"QA_MIN_CONFIDENCE = {best:.2f}  (out-of-fold dev F1 {f1_at(best, oof):.3f}; in-sample {f1_at(best, fitted):.3f}; "
          f"never abstaining {f1_at(0.0, fitted):.3f})")


if __name__ == "__main__":
    main()
