"""The real chat in headless Chromium (Debian's package), driven by Playwright.

One `qa chat` server runs for the module, over a copy of the session's corpus store.
Every test saves a screenshot under its tmp dir.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]
ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
STUDENTS = "How many Azerbaijani students study in Russia?"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_chat(corpus_store, folder: Path, *args: str, env: dict | None = None):
    """A `qa chat` process over a copy of the corpus store; yields its URL, stops it afterwards."""
    store = folder / "store"
    shutil.copytree(corpus_store, store)
    port = free_port()
    log_path = folder / "chat.log"
    log = open(log_path, "w")
    proc = subprocess.Popen([sys.executable, "-m", "qa", "chat", "--store", str(store), "--port", str(port), *args],
                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 400
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(log_path.read_text())
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            time.sleep(1)
    else:
        proc.kill()
        raise RuntimeError("chat did not start:\n" + log_path.read_text())
    yield url
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


@pytest.fixture(scope="module")
def server(corpus_store, tmp_path_factory):
    yield from start_chat(corpus_store, tmp_path_factory.mktemp("ui"), env={"QA_BOOSTS": "1"})


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed; `make test` installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture
def page(browser, server, tmp_path):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.goto(server)
    pg.wait_for_selector("#question textarea", timeout=60_000)
    yield pg
    pg.screenshot(path=str(tmp_path / "screenshot.png"), full_page=True)
    ctx.close()


def ask(page, question: str, wait_for: str, n: int) -> None:
    page.fill("#question textarea", question)
    page.click("#ask")
    # the n-th assistant message with its citations
    page.wait_for_function(
        "([n, text]) => { const m = document.querySelectorAll('#chat .qa-citations'); "
        "return m.length >= n && m[n-1].closest('.message-row, .message, div').innerText.includes(text) || "
        "(document.querySelector('#chat').innerText.includes(text) && m.length >= n); }",
        arg=[n, wait_for], timeout=120_000)


def upload(page, path: Path) -> None:
    page.set_input_files("#upload input[type=file]", str(path))
    page.wait_for_function("() => document.querySelector('#upload-report').innerText.includes('added')", timeout=120_000)


def test_students_answer_with_highlighted_quote(page, tmp_path):
    ask(page, STUDENTS, "11,000", 1)
    chat = page.inner_text("#chat")
    assert "About 11,000" in chat
    marks = page.locator("#chat mark").all_inner_texts()
    assert any("About 11,000 Azerbaijani students study in Russia" in m for m in marks)
    assert page.locator("#chat strong", has_text="11,000").count() >= 1
    shot = tmp_path / "students.png"
    page.evaluate("for (const el of document.querySelectorAll('#chat, #chat *')) "
                  "{ if (el.scrollHeight > el.clientHeight) el.scrollTop = 0; }")
    page.screenshot(path=str(shot))
    if os.environ.get("QA_UPDATE_SCREENSHOT"):
        shutil.copy(shot, ROOT / "docs" / "chat.png")


def test_followup_question(page):
    ask(page, STUDENTS, "11,000", 1)
    ask(page, "and how many of them get scholarships?", "200", 2)
    last = page.locator("#chat .qa-citations").last.inner_text()
    assert "scholarships" in last


def test_speaker_filter(page):
    page.click("#speaker input")
    page.fill("#speaker input", "Azerbaijan")
    page.keyboard.press("Enter")
    ask(page, "What did they say about landmines?", "Azerbaijan", 1)
    metas = page.locator("#chat .qa-citations .qa-meta").all_inner_texts()
    assert metas and all(m.startswith("Azerbaijan") for m in metas), metas


def test_list_question_renders_a_table_and_how_it_was_read(page):
    ask(page, "Which countries mentioned the Black Sea Grain Initiative?", "Ukraine", 1)
    rows = page.locator("#chat table.qa-list tbody tr").all_inner_texts()
    assert len(rows) >= 12 and any(r.split("\t")[1:2] == ["Ukraine"] for r in rows), rows
    assert "Read as: list · who: countries · topic: the Black Sea Grain Initiative" in page.inner_text("#chat")


def test_statements_render_as_a_dated_timeline(page):
    ask(page, "What did Kirby say about Ukraine in February 2023?", "2023-02-13", 1)
    items = page.locator("#chat ol.qa-timeline li").all_inner_texts()
    assert items and all(i.startswith("2023-02-13 · Mr. Kirby") for i in items), items


def test_a_citation_opens_in_its_transcript_scrolled_to_it(page, tmp_path):
    ask(page, "What did Kirby say about Ukraine in February 2023?", "2023-02-13", 1)
    page.locator("#chat a.qa-open").first.click()
    page.wait_for_selector("#qa-source-view .qa-cited mark", timeout=60_000)
    cited = page.locator("#qa-source-view .qa-cited")
    assert cited.is_visible() and "Ukraine" in cited.inner_text()
    paras = page.locator("#qa-source-view .qa-para").all_inner_texts()
    assert 3 <= len(paras) < 40  # the neighbourhood first, not the whole briefing
    page.screenshot(path=str(tmp_path / "source-view.png"))
    if os.environ.get("QA_UPDATE_SCREENSHOT"):
        shutil.copy(tmp_path / "source-view.png", ROOT / "docs" / "source-view.png")
    page.click("#source-whole")  # the whole transcript: hundreds of paragraphs, scrolled to the cited one
    page.wait_for_function("() => document.querySelectorAll('#qa-source-view .qa-para').length > 100", timeout=60_000)
    page.wait_for_function("() => { const el = document.querySelector('#qa-source-view .qa-cited'); "
                           "const box = document.querySelector('#qa-source-view'); const r = el.getBoundingClientRect(), "
                           "b = box.getBoundingClientRect(); return r.top >= b.top - 1 && r.bottom <= b.bottom + 1; }",
                           timeout=10_000)
    paras = page.locator("#qa-source-view .qa-para").all_inner_texts()
    assert len(paras) >= 3 and any(p.startswith("¶") for p in paras)  # its neighbours, numbered
    assert "13 February" in page.inner_text("#qa-source-view") or "2023-02-13" in page.inner_text("#qa-source-view")


def test_copy_citation_puts_one_line_on_the_clipboard(page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    ask(page, STUDENTS, "11,000", 1)
    page.locator("#chat a.qa-copy").first.click()
    page.wait_for_function("() => document.querySelector('#chat a.qa-copy').textContent === 'copied'", timeout=10_000)
    line = page.evaluate("navigator.clipboard.readText()")
    assert line.startswith("“About 11,000 Azerbaijani students study in Russia")
    assert "— Maria Zakharova" in line and "¶8" in line and line.endswith("(mfa-russia/zakharova-russia-azerbaijan-strategic-partners.txt)")


def test_a_shared_link_answers_on_load(browser, server):
    ctx = browser.new_context()
    pg = ctx.new_page()
    pg.goto(server + "/?q=" + urllib.parse.quote(STUDENTS) + "&speaker=Maria+Zakharova")
    pg.wait_for_function("() => document.querySelector('#chat') && document.querySelector('#chat').innerText.includes('11,000')",
                         timeout=120_000)
    assert pg.input_value("#speaker input") == "Maria Zakharova"
    href = pg.locator("#chat a.qa-share").first.get_attribute("href")
    assert "q=How+many+Azerbaijani" in href and "speaker=Maria+Zakharova" in href
    ctx.close()


def test_upload_then_ask(page, tmp_path):
    doc = tmp_path / "ruritania_briefing.md"
    doc.write_text("---\ntitle: Ruritania briefing\ndate: '2024-05-01'\n---\n\nMR. BLACK: The Ruritanian "
                   "parliament approved 4,321 new wind turbines for the Zenda valley.\n")
    upload(page, doc)
    ask(page, "How many wind turbines did the Ruritanian parliament approve?", "4,321", 1)


def test_uploaded_markup_is_shown_as_text_and_never_runs(page, tmp_path):
    doc = tmp_path / "xss_note.txt"
    doc.write_text("Security note\n\nThe Freedonia envoy wrote <script>alert(1)</script> and "
                   "<img src=x onerror=alert(2)> in the Freedonia memo about 77 fishing boats.\n")
    upload(page, doc)
    ask(page, "How many fishing boats did the Freedonia memo mention?", "77", 1)
    chat = page.inner_text("#chat")
    assert "<script>alert(1)</script>" in chat
    assert "onerror=alert(2)" in chat
    assert page.dialogs == []
    assert page.locator("#chat script").count() == 0 and page.locator("#chat img[src=x]").count() == 0
    page.locator("#chat a.qa-open").first.click()  # the transcript viewer shows the payload as text too
    page.wait_for_selector("#qa-source-view .qa-cited", timeout=60_000)
    assert "<script>alert(1)</script>" in page.inner_text("#qa-source-view")
    assert page.locator("#source-panel script").count() == 0 and page.locator("#source-panel img").count() == 0
    assert page.dialogs == []


def test_rejected_upload_type_shows_an_error(page, tmp_path):
    bad = tmp_path / "malware.exe"
    bad.write_bytes(b"MZ\x00\x00")
    page.set_input_files("#upload input[type=file]", str(bad))
    page.wait_for_timeout(3000)
    report = page.inner_text("#upload-report") if page.locator("#upload-report").count() else ""
    body = page.inner_text("body")
    assert "rejected" in report or "Invalid file type" in body or "not allowed" in body.lower()


def test_gradio_client_ask_endpoint(server):
    from gradio_client import Client

    client = Client(server, verbose=False)
    result = client.predict(STUDENTS, api_name="/ask")
    assert "11,000" in result["text"]
    c = result["citations"][0]
    assert c["text"][c["start"]:c["end"]] == c["quote"]
    grain = client.predict("Which countries mentioned the Black Sea Grain Initiative?", api_name="/ask")
    assert grain["kind"] == "list" and grain["constraints"]["scope"] == "countries"
    assert len(grain["items"]) >= 12 and {"speaker", "date", "quote"} <= set(grain["items"][0])


def test_load_20_concurrent_askers(server, capsys):
    """20 clients x 10 questions through /ask on loopback: every answer right, no errors."""
    import statistics
    from concurrent.futures import ThreadPoolExecutor

    from gradio_client import Client

    questions = [(STUDENTS, "11,000"), ("What is the recipe for borscht?", None)]

    def asker(i: int) -> list[float]:
        client = Client(server, verbose=False)
        times = []
        for j in range(10):
            q, expected = questions[(i + j) % 2]
            t = time.perf_counter()
            result = client.predict(q, api_name="/ask")
            times.append(time.perf_counter() - t)
            assert "error" not in result, result
            assert (expected in result["text"]) if expected else result["abstained"], result["text"]
        return times

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=20) as pool:
        latencies = [t for ts in pool.map(asker, range(20)) for t in ts]
    assert len(latencies) == 200
    assert time.perf_counter() - started < 600
    p50, p95 = statistics.median(latencies), sorted(latencies)[int(0.95 * len(latencies))]
    with capsys.disabled():  # the figures belong in CI's log
        print(f"\nload: 200 requests from 20 concurrent clients, p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
