"""The web chat: a thin Gradio adapter over `qa.engine.Engine`.

    qa chat [--store DIR] [--host 127.0.0.1] [--port 7860]

Gradio stays in `ui/`; everything it shows comes from `Answer` objects.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from html import escape
from pathlib import Path
from typing import Iterator
from urllib.parse import urlencode

from qa.engine import Engine
from qa.errors import ConfigError, QAError
from qa.settings import Settings
from ui.render import answer_html, citations_html, draft_html
from ui.source import document, panel_html, parse_ref

UPLOAD_TYPES = (".txt", ".md", ".html", ".htm", ".pdf")
MAX_UPLOAD_MB = 20
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}

CSS = """
.qa-cite { margin: 0.3em 0 0.6em; }
.qa-meta { color: #666; font-size: 0.9em; }
.qa-sentence { color: #444; font-style: italic; }
mark { background: #ffe58a; padding: 0 2px; }
.qa-draft { color: #888; }
.qa-ok { color: #1a7f37; font-size: 0.9em; }
.qa-bad { color: #b42318; font-size: 0.9em; }
.qa-notes { color: #666; font-size: 0.9em; }
.qa-list { border-collapse: collapse; margin: 0.4em 0; font-size: 0.95em; }
.qa-list th, .qa-list td { border-bottom: 1px solid #ddd; padding: 2px 8px; text-align: left; vertical-align: top; }
.qa-timeline li { margin: 0.2em 0; }
.qa-copytext, .qa-hidden { display: none !important; }
#qa-source-view .qa-para { margin: 0.35em 0; }
#qa-source-view .qa-cited { background: #fff8d6; border-left: 3px solid #e0b400; padding-left: 6px; }
#qa-source-view .qa-pnum { color: #888; font-size: 0.85em; }
#qa-source-view .qa-turn { font-weight: bold; }
#qa-source-view { max-height: 520px; overflow-y: auto; }
"""

# Clicks on "view in transcript" and "copy citation" inside answers. Chat messages are sanitised
# HTML (no inline handlers), so one listener on the document handles both, in the capture phase.
HEAD = """<script>
document.addEventListener("click", (e) => {
  const open = e.target.closest && e.target.closest("a.qa-open");
  if (open) {
    e.preventDefault(); e.stopPropagation();
    const box = document.querySelector("#source-ref textarea, #source-ref input");
    box.value = open.getAttribute("href").slice(1);
    box.dispatchEvent(new Event("input", {bubbles: true}));
    setTimeout(() => document.querySelector("#source-open").click(), 50);
    return;
  }
  const copy = e.target.closest && e.target.closest("a.qa-copy");
  if (copy) {
    e.preventDefault(); e.stopPropagation();
    const line = copy.parentElement.querySelector(".qa-copytext").textContent;
    navigator.clipboard.writeText(line).then(() => { copy.textContent = "copied"; },
                                             () => { copy.textContent = "copy failed"; });
  }
}, true);
</script>"""
SCROLL_TO_CITED = "() => { const el = document.querySelector('#qa-source-view .qa-cited'); if (el) el.scrollIntoView({block: 'center'}); }"


def llm_slots() -> int:
    from qa.llm.local import SLOTS

    return SLOTS


class ChatService:
    """What the UI and the `/ask` API call; one engine, one lock, no Gradio types."""

    def __init__(self, engine: Engine):
        self.engine = engine
        # One answer at a time (the models are shared and the CPU has 2 cores), except with the LLM
        # reader: its llama.cpp server decodes SLOTS questions together, and the engine's own lock
        # keeps retrieval and the extractive reader to one question at a time.
        self.lock = threading.Semaphore(llm_slots() if engine.settings.reader == "llm" else 1)

    def ask(self, question: str, history: list[str] | None = None, filters: dict | None = None):
        with self.lock:
            return self.engine.answer(question, filters=filters, history=history)

    def stream(self, question: str, history: list[str] | None = None, filters: dict | None = None):
        """Tokens (str) of the LLM reader as they come, then the `Answer`."""
        with self.lock:
            yield from self.engine.stream(question, filters=filters, history=history)

    def upload_dir(self) -> Path:
        base = self.engine.settings.store if not self.engine.settings.chroma_url else Path(".qa-uploads")
        return Path(base) / "uploads"

    def add_files(self, paths: list[str]) -> str:
        """Copy uploads into the store's own folder and ingest them; a report in Markdown."""
        folder = self.upload_dir()
        folder.mkdir(parents=True, exist_ok=True)
        lines, accepted = [], []
        for p in paths or []:
            src = Path(p)
            name = safe_filename(src.name)
            if src.suffix.lower() not in UPLOAD_TYPES:
                lines.append(f"- ❌ `{name}`: rejected, only {', '.join(UPLOAD_TYPES)} files are accepted")
                continue
            size = src.stat().st_size
            if size > MAX_UPLOAD_MB * 1_000_000:
                lines.append(f"- ❌ `{name}`: rejected, {size / 1e6:.1f} MB is over the {MAX_UPLOAD_MB} MB limit")
                continue
            dest = folder / name
            shutil.copyfile(src, dest)
            accepted.append(dest)
        if accepted:
            with self.lock, self.engine.lock:  # no answer reads the store while it is written
                report = self.engine.ingester(backfill=False).run([folder])  # no minutes-long backfill under the lock
            skipped = {Path(s.path).name: s.reason for s in report.files_skipped}
            for dest in accepted:
                if dest.name in skipped:
                    lines.append(f"- ❌ `{dest.name}`: skipped, {skipped[dest.name]}")
                    dest.unlink(missing_ok=True)
                else:
                    lines.append(f"- ✅ `{dest.name}` added")
            lines.append(f"\n{report.paragraphs_added} paragraphs added, {report.paragraphs_removed} removed.")
        return "\n".join(lines) or "No file received."

    def source(self, ref: str, whole: bool = False) -> str:
        """The transcript panel for a citation's reference (`ui.source.source_ref`)."""
        try:
            src, paragraph, quote_text = parse_ref(ref)
        except ValueError as err:
            return f'<p class="qa-meta">{escape(str(err))}</p>'
        with self.lock:
            meta, paras = document(self.engine.store, src)
        return panel_html(meta, paras, paragraph, quote_text, whole=whole)

    def corpus_summary(self) -> str:
        try:
            stats = self.engine.stats()
        except QAError as err:
            return f"**Store:** {err}"
        return (f"**{stats['documents']}** documents · **{stats['paragraphs']}** paragraphs · "
                f"model `{stats['model']}` · store `{stats['store']}`")

    def facets(self) -> tuple[list[str], list[str]]:
        try:
            docs = self.engine.store.sources()
        except QAError:
            return [], []
        speakers = sorted({sp for d in docs.values() for sp in d["speakers"] if sp != "Q"})
        return speakers, sorted(docs)


def safe_filename(name: str) -> str:
    """A bare file name: no folders, no dot-dot, nothing outside [A-Za-z0-9._-].

    >>> safe_filename("../../etc/passwd.txt")
    'passwd.txt'
    """
    name = os.path.basename(name.replace("\\", "/"))
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", name).lstrip(".")
    return name or "upload"


def share_link(question: str, filters: dict | None) -> str:
    """'?q=…&speaker=…': opening it asks the same question with the same filters.

    >>> share_link("Who?", {"speaker": "Mr. Kirby"})
    '?q=Who%3F&speaker=Mr.+Kirby'
    """
    return "?" + urlencode({"q": question, **(filters or {})})


def filters_of(speaker, source, since, until) -> dict | None:
    f = {"speaker": speaker or "", "source": source or "", "since": (since or "").strip(), "until": (until or "").strip()}
    f = {k: v for k, v in f.items() if v}
    return f or None


def build_app(service: ChatService):
    import gradio as gr

    speakers, sources = service.facets()
    with gr.Blocks(title="Transcript QA") as demo:
        gr.Markdown("## Ask the transcripts\nShort answers with the exact passages they come from.")
        questions = gr.State([])
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(label="Answers", height=640, elem_id="chat", feedback_options=None)
                with gr.Row():
                    box = gr.Textbox(placeholder="How many Azerbaijani students study in Russia?", show_label=False,
                                     scale=5, elem_id="question", max_length=4000)
                    send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
                    clear = gr.Button("New chat", scale=1)
            with gr.Column(scale=2):
                with gr.Accordion("Transcript", open=True):
                    source_panel = gr.HTML('<p class="qa-meta">Click “view in transcript” under a citation to read it in context.</p>',
                                           elem_id="source-panel")
                    whole = gr.Button("Show the whole transcript", size="sm", elem_id="source-whole")
                    source_ref_box = gr.Textbox(elem_id="source-ref", elem_classes=["qa-hidden"], show_label=False)
                    source_open = gr.Button("open", elem_id="source-open", elem_classes=["qa-hidden"])
                with gr.Accordion("Filters", open=True):
                    speaker = gr.Dropdown(choices=[""] + speakers, value="", label="Speaker", elem_id="speaker", allow_custom_value=True)
                    source = gr.Dropdown(choices=[""] + sources, value="", label="Document", elem_id="source", allow_custom_value=True)
                    since = gr.Textbox(label="Since (YYYY[-MM[-DD]])", elem_id="since")
                    until = gr.Textbox(label="Until", elem_id="until")
                with gr.Accordion("Corpus", open=True):
                    summary = gr.Markdown(service.corpus_summary(), elem_id="corpus")
                    upload = gr.File(label="Add transcripts (.txt .md .html .pdf)", file_count="multiple",
                                     file_types=list(UPLOAD_TYPES), elem_id="upload")
                    upload_report = gr.Markdown(elem_id="upload-report")

        def respond(message: str, chat: list, asked: list[str], sp, src, s, u) -> Iterator:
            chat = list(chat or []) + [{"role": "user", "content": message}]
            yield chat, asked, ""
            chat.append({"role": "assistant", "content": "…"})
            draft = ""
            try:
                for event in service.stream(message, history=asked, filters=filters_of(sp, src, s, u)):
                    if isinstance(event, str):  # LLM reader: show the words as they come, unverified
                        draft += event
                        chat[-1] = {"role": "assistant", "content": draft_html(draft)}
                        yield chat, asked, ""
                    else:
                        answer = event
            except QAError as err:
                chat[-1] = {"role": "assistant", "content": f"⚠️ {err}"}
                yield chat, asked, ""
                return
            link = share_link(message, filters_of(sp, src, s, u))
            chat[-1] = {"role": "assistant", "content": answer_html(answer, link)}
            yield chat, asked, ""  # the short answer first ...
            chat[-1] = {"role": "assistant", "content": answer_html(answer, link) + citations_html(answer)}
            yield chat, asked + [message], ""  # ... then its citations

        inputs = [box, chatbot, questions, speaker, source, since, until]
        box.submit(respond, inputs, [chatbot, questions, box], api_visibility="private")
        send.click(respond, inputs, [chatbot, questions, box], api_visibility="private")
        clear.click(lambda: ([], [], ""), None, [chatbot, questions, box], api_visibility="private")

        def on_upload(files):
            paths = [f if isinstance(f, str) else f.name for f in (files or [])]
            report = service.add_files(paths)
            sp, src = service.facets()
            return (report, service.corpus_summary(), gr.update(choices=[""] + sp), gr.update(choices=[""] + src), None)

        upload.upload(on_upload, upload, [upload_report, summary, speaker, source, upload], api_visibility="private")

        source_open.click(lambda ref: service.source(ref), source_ref_box, source_panel, api_visibility="private").then(
            None, None, None, js=SCROLL_TO_CITED)
        whole.click(lambda ref: service.source(ref, whole=True), source_ref_box, source_panel,
                    api_visibility="private").then(None, None, None, js=SCROLL_TO_CITED)

        def on_load(request: gr.Request):
            """`?q=…` (with optional speaker, source, since, until) asks that question on load."""
            params = dict(request.query_params) if request else {}
            question = (params.get("q") or "").strip()
            f = [params.get(k, "") for k in ("speaker", "source", "since", "until")]
            if not question:  # leave everything as it is: a question typed meanwhile must not be wiped
                yield tuple(gr.skip() for _ in range(7))
                return
            for chat, asked, box_value in respond(question, [], [], *f):
                yield chat, asked, box_value, *f

        on_load.__annotations__["request"] = gr.Request  # resolved here: gradio injects the request by this type
        demo.load(on_load, None, [chatbot, questions, box, speaker, source, since, until], api_visibility="private")

        def ask(question: str) -> dict:
            """Answer a question; returns the Answer as JSON (text, sentence, abstained, confidence, citations)."""
            try:
                return service.ask(question).to_json()
            except QAError as err:
                return {"error": str(err)}

        gr.api(ask, api_name="ask")
    return demo


def launch(settings: Settings, *, host: str = "127.0.0.1", port: int = 7860, auth: str | None = None,
           no_auth: bool = False, block: bool = True):
    """Start the chat. A non-loopback host needs --auth USER:PASSWORD or an explicit --no-auth."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    credentials = None
    if auth:
        user, sep, password = auth.partition(":")
        if not sep or not user or not password:
            raise ConfigError("--auth takes USER:PASSWORD.")
        credentials = (user, password)
    if host not in _LOOPBACK and credentials is None and not no_auth:
        raise ConfigError(f"--host {host} exposes the chat beyond this machine; add --auth USER:PASSWORD (or --no-auth to allow anyone).")
    engine = Engine(settings)
    engine.retriever  # open the store now: a missing store fails here, not at the first question
    engine.answer("warm-up")  # load the models before the first user waits for them
    demo = build_app(ChatService(engine))
    print(f"chat ready on http://{host}:{port}  (Ctrl+C stops it)", flush=True)
    return demo.queue(default_concurrency_limit=4).launch(
        server_name=host, server_port=port, auth=credentials, share=False, quiet=True,
        max_file_size=f"{MAX_UPLOAD_MB}mb", css=CSS, head=HEAD, footer_links=["api"], prevent_thread_lock=not block,
        allowed_paths=[], ssr_mode=False,
    )
