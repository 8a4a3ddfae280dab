"""The regression gate: which metrics of a `qa eval` run fell below their floors.

Floors live in ``data/gold/floors.json``; ``qa eval GOLD --floors FILE`` exits 1 when any is
missed, and CI's gate test runs exactly that on the test split.

>>> below_floors({"f1": 0.5, "citation_precision": 0.9}, {"f1": 0.6, "citation_precision": 0.85})
['f1 0.5 is below its floor 0.6']
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from qa.errors import QAError

# floor name -> (how to read the metric, True when a higher value is better)
METRICS: dict[str, tuple[Callable[[dict], Any], bool]] = {
    "f1": (lambda m: m["f1"], True),
    "recall@5": (lambda m: m["retrieval"]["recall@5"], True),
    "quotes_verbatim": (lambda m: m["quotes_verbatim"], True),
    "abstention_accuracy": (lambda m: m["unanswerable"]["abstention_accuracy"], True),
    "false_abstention_max": (lambda m: m["answerable"]["false_abstention"], False),
    "answered_precision": (lambda m: m["answered_precision"], True),
    "citation_precision": (lambda m: m["citation_precision"], True),
    "list_f1": (lambda m: m["lists"]["f1"], True),
    "statements_speaker_and_dates": (lambda m: m["statements"]["speaker_and_dates"], True),
}


def load_floors(path: Path) -> dict[str, float]:
    try:
        floors = json.loads(Path(path).read_text())
    except (OSError, ValueError) as err:
        raise QAError(f"Cannot read the floors file {path}: {err}") from err
    unknown = sorted(k for k in floors if not k.startswith("_") and k not in METRICS)
    if unknown:
        raise QAError(f"{path}: unknown floor {unknown[0]!r}; known: {', '.join(METRICS)}")
    return {k: float(v) for k, v in floors.items() if not k.startswith("_")}


def below_floors(metrics: dict, floors: dict[str, float]) -> list[str]:
    """One line per missed floor; a metric the run did not measure (no list questions) is skipped."""
    out = []
    for name, floor in floors.items():
        read, higher = METRICS[name]
        try:
            value = read(metrics)
        except KeyError:
            continue
        if (value < floor) if higher else (value > floor):
            out.append(f"{name.removesuffix('_max')} {value} is {'below' if higher else 'above'} its "
                       f"{'floor' if higher else 'ceiling'} {floor}")
    return out
