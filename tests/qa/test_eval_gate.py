"""The regression gate: `qa eval` on the test split must stay above the recorded floors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def test_test_split_stays_above_the_floors(corpus_store, tmp_path):
    floors = json.loads((ROOT / "data/gold/floors.json").read_text())
    out = subprocess.run([sys.executable, "-m", "qa", "eval", "data/gold/test.jsonl", "--store", str(corpus_store),
                          "--json", "--report", str(tmp_path / "report")],
                         capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert out.returncode == 0, out.stderr
    m = json.loads(out.stdout)
    assert m["n"] >= 100
    assert m["f1"] >= floors["f1"], f"F1 {m['f1']} fell below the floor {floors['f1']}"
    assert m["retrieval"]["recall@5"] >= floors["recall@5"], m["retrieval"]
    assert m["quotes_verbatim"] >= floors["quotes_verbatim"]
    assert {"n", "exact_match", "f1", "answerable", "unanswerable", "retrieval", "citation_precision",
            "latency_ms", "questions"} <= set(m)
    for name in ("report.md", "report.json", "metrics.png", "latency.png"):
        assert (tmp_path / "report" / name).stat().st_size > 0
