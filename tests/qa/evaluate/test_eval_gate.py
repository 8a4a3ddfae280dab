"""The regression gate: `qa eval` on the test split must stay above the recorded floors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fakes import AttackChatModel

from qa.engine import Engine
from qa.evaluate.gold import load_gold
from qa.evaluate.run import evaluate
from qa.settings import Settings

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[3]


def test_test_split_stays_above_the_floors(corpus_store, tmp_path):
    floors = json.loads((ROOT / "data/gold/floors.json").read_text())
    out = subprocess.run([sys.executable, "-m", "qa", "eval", "data/gold/test.jsonl", "--store", str(corpus_store),
                          "--json", "--report", str(tmp_path / "report"), "--floors", "data/gold/floors.json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert out.returncode == 0, out.stderr  # exit 1 names each missed floor ("gate: f1 0.55 is below its floor 0.6")
    m = json.loads(out.stdout)
    assert m["n"] >= 100
    assert m["f1"] >= floors["f1"], f"F1 {m['f1']} fell below the floor {floors['f1']}"
    assert m["retrieval"]["recall@5"] >= floors["recall@5"], m["retrieval"]
    assert m["quotes_verbatim"] >= floors["quotes_verbatim"]
    assert m["unanswerable"]["abstention_accuracy"] >= floors["abstention_accuracy"], m["unanswerable"]
    assert m["answerable"]["false_abstention"] <= floors["false_abstention_max"], m["answerable"]
    assert m["answered_precision"] >= floors["answered_precision"], m["answered_precision"]
    assert m["citation_precision"] >= floors["citation_precision"], m["citation_precision"]
    assert 0 < m["retrieval"]["recall@1"] <= m["retrieval"]["recall@5"] and 0 < m["citation_recall"] <= 1
    assert m["lists"]["n"] >= 20 and m["lists"]["f1"] >= floors["list_f1"], m["lists"]
    assert m["statements"]["n"] >= 20, m["statements"]
    assert m["statements"]["speaker_and_dates"] >= floors["statements_speaker_and_dates"], m["statements"]
    assert {"n", "exact_match", "f1", "answerable", "unanswerable", "retrieval", "citation_precision", "citation_recall",
            "answered_precision", "coverage", "calibration", "latency_ms", "questions"} <= set(m)
    assert 0 <= m["calibration"]["ece"] <= 1 and len(m["calibration"]["risk_coverage"]) == 20
    for name in ("report.md", "report.json", "metrics.png", "calibration.png", "latency.png"):
        assert (tmp_path / "report" / name).stat().st_size > 0


def test_the_llm_reader_under_attack_answers_nothing_on_the_test_split(corpus_store):
    """The LLM reader with a chat model that writes only verifier attacks (`fakes.attacks`) about
    the passages it is shown: every claim is refused, so no answer is given."""
    gold = load_gold(ROOT / "data/gold/test.jsonl")
    factoids = [g for g in gold if g.answer_kind == "factoid"][:40]
    engine = Engine(Settings.from_env({}, store=str(corpus_store), reader="llm", llm_format="text"),
                    chat_model=AttackChatModel())
    m = evaluate(engine, factoids, k=5)
    assert m["verifier"]["claims"] >= 200 and m["verifier"]["share_caught"] == 1.0, m["verifier"]
    assert m["coverage"] == 0.0 and m["quotes_verbatim"] == 1.0
