"""The real local model (SmolLM2-135M, GGUF run in-process) end to end on gold questions,
and the same model behind a real HTTP server on loopback for the openai: and ollama: adapters.

The model is tiny and often fails to quote (see README "Generative answers"); what these
tests pin down is the promise: whatever reaches the answer is cited and verbatim.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from checks import assert_quotes_match_store

from qa.engine import Engine
from qa.llm.grounding import number_values
from qa.settings import Settings
from qa.types import Answer

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[3]
GOLD = {json.loads(line)["id"]: json.loads(line) for line in (ROOT / "data/gold/dev.jsonl").read_text().splitlines()}
QUESTIONS = ["dev-001", "dev-007", "dev-008"]
UNANSWERABLE = "What is the population of Azerbaijan?"


def assert_kept_promise(a: Answer, store) -> None:
    """Every quote shown as verified is the stored paragraph's text at its offsets; every number
    and marker in the answer is backed by a verified quote; nothing verified means an abstention."""
    assert_quotes_match_store(a, store)
    verified = [c for c in a.citations if c.verified and c.quote]
    for c in a.citations:
        assert c.verified or not c.quote
    if a.abstained:
        return
    assert verified, a
    for marker in re.findall(r"\[(\d+)\]", a.text):
        assert a.citations[int(marker) - 1].verified
    backed = set().union(*(number_values(c.quote) for c in verified))
    assert set(number_values(re.sub(r"\[\d+\]", "", a.text))) <= backed, a.text


@pytest.fixture(scope="module")
def llm_engine(corpus_store) -> Engine:
    return Engine(Settings.from_env({}, store=str(corpus_store), reader="llm", llm="local"))


@pytest.fixture(scope="module")
def local_answers(llm_engine) -> dict[str, Answer]:
    return {g: llm_engine.answer(GOLD[g]["question"]) for g in QUESTIONS}


def test_gold_questions_with_the_local_model_keep_the_promise(local_answers, llm_engine):
    for a in local_answers.values():
        assert a.generated, a  # the model really ran
        assert_kept_promise(a, llm_engine.store)
    answered = [a for a in local_answers.values() if not a.abstained]
    assert answered, {g: a.generated for g, a in local_answers.items()}
    assert all(c.verified for a in answered for c in a.citations[:1])
    # JSON format (the default): each answer quotes a whole sentence of its stored paragraph
    for a in answered:
        c = a.citations[0]
        assert a.sentence == c.quote and c.quote.strip() and a.text.lower() in c.quote.lower() or a.notes, a


def test_one_model_serves_two_questions_at_once(llm_engine):
    """Two chat users at once: both answered, by the one llama.cpp server of the process (its
    slots decode both sequences together)."""
    import threading

    from qa.llm import local

    answers = {}
    questions = [GOLD["dev-001"]["question"], GOLD["dev-007"]["question"]]
    threads = [threading.Thread(target=lambda q=q: answers.setdefault(q, llm_engine.answer(q))) for q in questions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert set(answers) == set(questions) and all(a.generated for a in answers.values())
    assert list(local._servers) == [llm_engine.chat_model.path]  # loaded once


def test_what_the_verifier_dropped_is_reported(local_answers):
    for a in local_answers.values():
        if a.signals.get("claims_unverified"):
            assert any(n.startswith(("Dropped", "The model answered", "The model did not write")) for n in a.notes), a.notes


def test_the_local_model_streams(llm_engine):
    events = list(llm_engine.stream(UNANSWERABLE))
    assert all(isinstance(e, str) for e in events[:-1]) and len(events) > 2
    assert_kept_promise(events[-1], llm_engine.store)


# --- the same model over HTTP -----------------------------------------------------------


@pytest.fixture(scope="module")
def server_url(llm_engine):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("llm_server.py")), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=os.environ.copy())
    deadline = time.time() + 300
    line = ""
    while time.time() < deadline and "ready" not in line:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            raise RuntimeError("model server exited")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=30)


@pytest.mark.parametrize("spec", ["openai:smollm2@{url}/v1", "ollama:smollm2@{url}"])
def test_remote_endpoints_give_the_same_verified_answer(spec, server_url, corpus_store, local_answers):
    """The JSON schema travels as OpenAI's ``response_format`` and Ollama's ``format``."""
    engine = Engine(Settings.from_env({}, store=str(corpus_store), reader="llm", llm=spec.format(url=server_url)))
    a = engine.answer(GOLD["dev-007"]["question"])
    assert a.generated == local_answers["dev-007"].generated  # greedy decoding: same model, same words
    assert a.text == local_answers["dev-007"].text
    assert_kept_promise(a, engine.store)


def test_free_text_with_quotes_over_http(server_url, corpus_store):
    engine = Engine(Settings.from_env({}, store=str(corpus_store), reader="llm", llm=f"openai:smollm2@{server_url}/v1",
                                      llm_format="text"))
    a = engine.answer(GOLD["dev-001"]["question"])
    assert a.generated and not a.generated.lstrip().startswith("{")
    assert_kept_promise(a, engine.store)


def test_an_unreachable_endpoint_is_a_clear_error(corpus_store):
    from qa.errors import ModelError

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens here
    engine = Engine(Settings.from_env({}, store=str(corpus_store), reader="llm", llm=f"openai:m@http://127.0.0.1:{port}/v1",
                                      llm_timeout=5))
    with pytest.raises(ModelError, match="failed"):
        engine.answer(UNANSWERABLE)


def test_closing_the_stream_stops_generation(monkeypatch):
    """A closed chat tab closes the answer's generator: llama.cpp stops at the next token instead
    of writing on to the token limit."""
    import threading

    from qa.llm import local
    from qa.llm.models import local_gguf_path

    real = local.server_for(str(local_gguf_path()))
    seen, finished = [], threading.Event()

    class Counting:
        def handle_chat_completions(self, request, callback):
            try:
                real.handle_chat_completions(request, lambda chunk: seen.append(chunk) or callback(chunk))
            finally:
                finished.set()

    monkeypatch.setattr(local, "server_for", lambda path: Counting())
    model = local.LocalChatModel(path=str(local_gguf_path()), max_tokens=200)
    stream = model.stream("Write a very long story about a lighthouse keeper and the sea.")
    for i, _ in enumerate(stream):
        if i == 2:
            break
    stream.close()
    assert finished.wait(timeout=120), "generation did not stop"
    assert len(seen) < 20, f"{len(seen)} chunks were generated after the consumer left"
