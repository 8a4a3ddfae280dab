"""Is the difference between two answer models more than seed noise? Retrain each from its table.

    python -m benchmarks.answer_seeds qa/reader/weights /tmp/variant --seeds 5

For each weights folder (`train_reader --out DIR`), the answer model is cross-fitted again from
its `answer_table.csv` under several LightGBM seeds (same folds, Platt calibration as in
training). Printed per folder, mean and sd over seeds: the share of training questions decided
right (a right short answer given, or an unanswerable question declined) at the best threshold,
and averaged over the thresholds 0.26-0.40. The table's rows are the training questions that
are not "sentence" questions, in `train.jsonl` order, as `benchmarks.train_reader` writes them.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np


def decided_right(probs: np.ndarray, labels: np.ndarray, answerable: np.ndarray, t: float) -> float:
    """Share answered and right, or declined and unanswerable.

    >>> decided_right(np.array([0.9, 0.2, 0.8]), np.array([1, 0, 0]), np.array([True, False, True]), 0.5)
    0.6666666666666666
    """
    return float((((probs >= t) & (labels == 1)) | ((probs < t) & ~answerable)).mean())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--seeds", type=int, default=5)
    args = ap.parse_args(argv)
    import benchmarks.train_reader as tr
    from qa.evaluate.gold import load_gold
    from qa.qtype import expected_type
    from qa.reader.models import platt

    gold = [g for g in load_gold(tr.TRAIN) if expected_type(g.question).name != "sentence"]
    groups = np.array([tr.group_of(g) for g in gold])
    answerable = np.array([bool(g.answers) for g in gold])
    for folder in args.folders:
        X, y = tr.read_table(folder / "answer_table.csv")
        if len(y) != len(gold) or y[~answerable].any():  # an unanswerable question's row is never "right"
            raise SystemExit(f"{folder}: its {len(y)} rows do not line up with train.jsonl's {len(gold)} non-sentence "
                             "questions (trained with other question types?)")
        best, fixed = [], []
        for seed in range(args.seeds):
            oof = tr.out_of_fold("answer", X, y, groups, seed=100 + seed)
            ab = tr.fit_platt(oof, y)
            cal = np.array([platt(p, ab) for p in oof])
            best.append(max(decided_right(cal, y, answerable, t) for t in np.arange(0.1, 0.91, 0.01)))
            fixed.append(np.mean([decided_right(cal, y, answerable, t) for t in (0.26, 0.30, 0.35, 0.40)]))
        print(json.dumps({"folder": str(folder), "rows": len(y), "right_answers": int(y.sum()),
                          "decided_right_best": round(float(np.mean(best)), 4), "sd": round(float(np.std(best)), 4),
                          "decided_right_0.26_0.40": round(float(np.mean(fixed)), 4)}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
