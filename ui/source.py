"""The transcript side panel: a cited paragraph in its document, read from the store.

Only the paragraphs near the cited one are rendered first (from the reporter's question it
answers, when there is one close above, to a few paragraphs after); "whole transcript" renders
all. Transcript text is data: every piece goes through `html.escape`.

>>> paras = [Para(1, "Q", "Why?"), Para(2, "Mr. Kirby", "Because."), Para(3, "Mr. Kirby", "Next.")]
>>> window(paras, 2, around=0)
(0, 1)
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import parse_qs, quote

from vectorstore.loaders.base import speaker_of

AROUND = 4  # paragraphs shown on each side of the cited one
QUESTION_REACH = 12  # how far above to look for the reporter's question being answered
_REPORTERS = {"Q"}


@dataclass(frozen=True)
class Para:
    number: int
    speaker: str
    text: str


def source_ref(source: str, paragraph: int, quote_text: str = "") -> str:
    """What a citation's "view in transcript" link carries: 'src=…&p=…&q=…' (URL-encoded)."""
    return f"src={quote(source, safe='')}&p={paragraph}&q={quote(quote_text[:300], safe='')}"


def parse_ref(ref: str) -> tuple[str, int, str]:
    """(source, paragraph, quote) from `source_ref`'s string; ValueError when it is not one."""
    q = parse_qs(ref.lstrip("#?"), keep_blank_values=True)
    try:
        return q["src"][0], int(q["p"][0]), q.get("q", [""])[0]
    except (KeyError, IndexError, ValueError):
        raise ValueError(f"not a transcript reference: {ref[:80]!r}") from None


def document(store, source: str) -> tuple[dict, list[Para]]:
    """The document's metadata and paragraphs, in order, as stored (not from the original file)."""
    meta: dict = {}
    seen: dict[int, Para] = {}
    for _, text, m in store.records(where={"source": source}):
        meta = meta or m
        n = int(m.get("paragraph", 0))
        if n not in seen:
            seen[n] = Para(n, m.get("speaker", ""), m.get("paragraph_text") or text)
    return meta, [seen[n] for n in sorted(seen)]


def window(paras: list[Para], cited: int, around: int = AROUND) -> tuple[int, int]:
    """Index range [lo, hi] to render first: ``around`` paragraphs each side of the cited one,
    reaching up to the reporter's question the cited paragraph answers."""
    idx = next((i for i, p in enumerate(paras) if p.number == cited), 0)
    lo, hi = max(0, idx - around), min(len(paras) - 1, idx + around)
    for j in range(idx - 1, max(-1, idx - QUESTION_REACH), -1):
        if paras[j].speaker in _REPORTERS:
            lo = min(lo, j)
            break
        if paras[j].speaker != paras[idx].speaker:
            break  # another official spoke in between: the question is not this answer's
    return lo, hi


def panel_html(meta: dict, paras: list[Para], cited: int, quote_text: str = "", whole: bool = False) -> str:
    """The panel: heading, then paragraphs with numbers and speaker turns; the cited one marked."""
    if not paras:
        return '<div id="qa-source-view"><p class="qa-meta">This transcript is no longer in the store.</p></div>'
    lo, hi = (0, len(paras) - 1) if whole else window(paras, cited)
    head = (f'<h3>{escape(meta.get("title") or meta.get("source", ""))}</h3>'
            f'<p class="qa-meta">{escape(meta.get("date", "") or "undated")} · <code>{escape(meta.get("source", ""))}</code> · '
            f'{len(paras)} paragraphs{"" if whole or (lo == 0 and hi == len(paras) - 1) else f", showing ¶{paras[lo].number}–¶{paras[hi].number}"}</p>')
    rows = []
    last = None
    for p in paras[lo:hi + 1]:
        # A turn opens with the speaker's name, unless the transcript's own label ("MR. KIRBY:") already does.
        turn = f'<span class="qa-turn">{escape(p.speaker)}</span> ' if p.speaker and p.speaker != last and not speaker_of(p.text) else ""
        last = p.speaker
        body = escape(p.text)
        cls = "qa-para"
        if p.number == cited:
            cls += " qa-cited"
            if quote_text and quote_text in p.text:
                i = p.text.index(quote_text)
                body = f"{escape(p.text[:i])}<mark>{escape(quote_text)}</mark>{escape(p.text[i + len(quote_text):])}"
        rows.append(f'<p class="{cls}" id="qa-para-{p.number}"><span class="qa-pnum">¶{p.number}</span> {turn}{body}</p>')
    return f'<div id="qa-source-view">{head}{"".join(rows)}</div>'
