"""The main flows run with every outbound connection blocked except loopback."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]


def run(*args, env):
    return subprocess.run([sys.executable, "-m", "qa", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)


def test_ingest_ask_and_eval_with_the_network_blocked(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "tests" / "netblock"), str(ROOT)])}
    probe = subprocess.run([sys.executable, "-c", "import socket; socket.create_connection(('192.0.2.1', 80), 1)"],
                           capture_output=True, text=True, env=env)
    assert "blocked outbound connection" in probe.stderr  # the blocker is really active
    store = str(tmp_path / "store")
    out = run("ingest", "tests/fixtures/transcripts", "--store", store, "--json", env=env)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["files_read"] == 4
    out = run("ask", "How many Azerbaijani students study in Russia?", "--store", store, "--json", env=env)
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)  # a four-file store: the reader may find it too thin to answer, but reads it
    assert "11,000" in (d["withheld"] if d["abstained"] else d["text"])
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"question": "How many Azerbaijani students study in Russia?", "answers": ["About 11,000"]}\n')
    out = run("eval", str(gold), "--store", store, "--json", env=env)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["n"] == 1
