"""The chat with the LLM reader, in headless Chromium: the model's words stream in, then the
verified answer replaces them, with each citation marked verified or not."""

from __future__ import annotations

import json

import pytest
from test_browser import ROOT, browser, start_chat  # noqa: F401  (browser is a fixture)

pytestmark = [pytest.mark.slow, pytest.mark.browser]
GOLD = {json.loads(line)["id"]: json.loads(line) for line in (ROOT / "data/gold/dev.jsonl").read_text().splitlines()}


@pytest.fixture(scope="module")
def llm_server(corpus_store, tmp_path_factory):
    yield from start_chat(corpus_store, tmp_path_factory.mktemp("ui-llm"), "--reader", "llm", "--llm", "local")


def test_tokens_stream_then_the_verified_answer_replaces_them(browser, llm_server, tmp_path):  # noqa: F811
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(llm_server)
    page.wait_for_selector("#question textarea", timeout=60_000)
    page.fill("#question textarea", GOLD["dev-007"]["question"])
    page.click("#ask")
    page.wait_for_selector("#chat .qa-draft", timeout=120_000)  # words arrive before verification
    page.wait_for_selector("#chat .qa-citations", timeout=300_000)
    page.screenshot(path=str(tmp_path / "llm.png"), full_page=True)
    assert page.locator("#chat .qa-draft").count() == 0  # the draft is gone once verified
    assert page.locator("#chat .qa-ok", has_text="quote verified").count() >= 1
    first = page.locator("#chat .qa-citations li").first
    assert first.locator(".qa-ok").count() == 1 and first.locator("mark").count() >= 1


def test_llm_users_are_served_at_once_through_ask(llm_server, capsys):
    """4 clients x 3 questions through /ask with QA_READER=llm: every one answered, none failed;
    the p50 and p95 go to CI's log (README "Generative answers")."""
    import statistics
    import time
    from concurrent.futures import ThreadPoolExecutor

    from gradio_client import Client

    questions = [GOLD[g]["question"] for g in ("dev-001", "dev-002", "dev-007")]

    def asker(i: int) -> list[float]:
        client = Client(llm_server, verbose=False)
        times = []
        for j in range(3):
            t = time.perf_counter()
            result = client.predict(questions[(i + j) % 3], api_name="/ask")
            times.append(time.perf_counter() - t)
            assert "error" not in result and result["generated"], result
        return times

    with ThreadPoolExecutor(max_workers=4) as pool:
        latencies = [t for ts in pool.map(asker, range(4)) for t in ts]
    assert len(latencies) == 12
    p50, p95 = statistics.median(latencies), sorted(latencies)[int(0.95 * len(latencies))]
    with capsys.disabled():
        print(f"\nLLM load: 12 requests from 4 concurrent clients through /ask, p50 {p50:.2f} s, p95 {p95:.2f} s")
