"""Does retrieval rank the same in two processes? Exact in-memory search against Chroma's HNSW.

    python -m benchmarks.determinism --store .store [--questions 200]

Each configuration runs retrieval for the same questions (train gold) in two fresh processes and
counts the questions whose top 8 differ between them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = ("import json, sys; from qa.engine import Engine; from qa.settings import Settings; "
         "qs = json.load(sys.stdin); e = Engine(Settings.from_env()); "
         "print(json.dumps([[p.id for p in e.retriever.retrieve(q, n=8)] for q in qs]))")


def rankings(store: str, questions: list[str], exact_max: str) -> list[list[str]]:
    env = {**os.environ, "QA_STORE": store, "QA_EXACT_SEARCH_MAX": exact_max}
    out = subprocess.run([sys.executable, "-c", CHILD], input=json.dumps(questions), capture_output=True, text=True,
                         cwd=ROOT, env=env, check=True)
    return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", default=".store")
    ap.add_argument("--questions", type=int, default=200)
    args = ap.parse_args()
    lines = (ROOT / "data/gold/train.jsonl").read_text().splitlines()
    questions = [json.loads(x)["question"] for x in lines if x.strip()][: args.questions]
    print("| dense search | questions whose top 8 differ between two processes |\n|---|---|")
    for name, exact_max in (("Chroma HNSW (QA_EXACT_SEARCH_MAX=0)", "0"), ("exact, in memory (default)", "100000")):
        a, b = rankings(args.store, questions, exact_max), rankings(args.store, questions, exact_max)
        print(f"| {name} | {sum(x != y for x, y in zip(a, b))} of {len(questions)} |")


if __name__ == "__main__":
    main()
