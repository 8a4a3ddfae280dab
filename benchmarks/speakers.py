"""Speaker detection per question, with 300 speakers: one compiled alternation against the old
way (one regex per speaker per question, which thrashes the `re` cache past 512 patterns).

    python -m benchmarks.speakers [--speakers 300] [--questions 500]

Both run in this process over the same questions (dev and train gold questions); prints medians,
p95 and the ratio, as Markdown.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from pathlib import Path

from qa.analyst.constraints import read_question
from qa.analyst.speakers import SpeakerCatalog, packaged_aliases
from qa.evaluate.metrics import percentile

ROOT = Path(__file__).resolve().parents[1]


def labels(n: int) -> list[str]:
    """``n`` speaker labels: the packaged officials and countries first, then made-up names."""
    real = sorted({a.label for a in packaged_aliases()})
    return (real + [f"Ms. Speaker{i} Person{i}" for i in range(max(0, n - len(real)))])[:n]


def questions(n: int) -> list[str]:
    lines = []
    for name in ("dev.jsonl", "train.jsonl"):
        lines += (ROOT / "data/gold" / name).read_text().splitlines()
    return [json.loads(x)["question"] for x in lines if x.strip()][:n]


def per_speaker_regexes(question: str, names: list[str]) -> list[str]:
    """The old detection: one pattern per alias, compiled (via the cache) for every question."""
    return [n for n in names if re.search(r"(?<![\w-])" + re.escape(n) + r"(?![\w-])", question, re.I)]


def timed(fn, items) -> list[float]:
    out = []
    for q in items:
        t = time.perf_counter()
        fn(q)
        out.append((time.perf_counter() - t) * 1e6)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--speakers", type=int, default=300)
    ap.add_argument("--questions", type=int, default=500)
    args = ap.parse_args()
    catalog = SpeakerCatalog(labels(args.speakers), packaged_aliases())
    names = sorted(catalog._table, key=len, reverse=True)
    qs = questions(args.questions)
    catalog.mentions(qs[0])
    rows = [("one alternation (`SpeakerCatalog.mentions`)", timed(catalog.mentions, qs)),
            ("the whole question reading (`read_question`)", timed(lambda q: read_question(q, catalog), qs)),
            ("baseline: one regex per alias per question", timed(lambda q: per_speaker_regexes(q, names), qs))]
    base = statistics.median(rows[-1][1])
    print(f"{len(catalog.labels)} speakers, {len(names)} aliases, {len(qs)} questions\n")
    print("| detection | median µs | p95 µs | vs baseline |\n|---|---|---|---|")
    for name, xs in rows:
        med = statistics.median(xs)
        print(f"| {name} | {med:.0f} | {percentile(xs, 95):.0f} | {base / med:.0f}× faster |" if xs is not rows[-1][1]
              else f"| {name} | {med:.0f} | {percentile(xs, 95):.0f} | 1× |")


if __name__ == "__main__":
    main()
