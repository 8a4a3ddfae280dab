"""HTML for answers in the chat. Transcript text is data, never markup: every piece of
it goes through `html.escape` before it is placed between our own tags."""

from __future__ import annotations

from html import escape

from qa.analyst.constraints import constraints_line
from qa.render import MODEL_WORDING
from qa.types import Answer, Citation
from ui.source import source_ref

_COLLAPSE_AT = 400  # characters; longer passages fold into <details>


def confidence_words(answer: Answer) -> str:
    """The reader's calibrated P(right) in words: 'very likely right', 'likely right', 'unsure'."""
    c = answer.confidence
    return "very likely right" if c >= 0.75 else "likely right" if c >= 0.5 else "unsure"


def answer_html(answer: Answer, link: str = "") -> str:
    head = f"<p><strong>{escape(answer.display)}</strong></p>"
    if answer.abstained:
        head = f"<p><strong>{escape(answer.text)}</strong></p>"
        if answer.citations:
            head += '<p class="qa-meta qa-closest">Closest passages below: they may not answer the question.</p>'
    elif answer.kind == "factoid":
        head += (f'<p class="qa-meta qa-confidence">{confidence_words(answer)} '
                 f'(confidence {answer.confidence:.2f})</p>')
        if answer.generated:
            head += f'<p class="qa-meta qa-wording">{escape(MODEL_WORDING)}</p>'
    elif answer.sentence and answer.sentence != answer.text and not answer.generated and answer.kind == "factoid":
        head += f'<p class="qa-sentence">“{escape(answer.sentence)}”</p>'
    read = constraints_line(answer.constraints)
    if read:
        head += f'<p class="qa-read qa-meta">Read as: {escape(read)}</p>'
    if answer.notes:
        head += '<ul class="qa-notes">' + "".join(f"<li>{escape(n)}</li>" for n in answer.notes) + "</ul>"
    if answer.kind == "list" and answer.citations:
        rows = "".join(f"<tr><td>{n}</td><td>{escape(c.speaker)}</td><td>{escape(c.date)}</td><td>“{escape(c.quote)}”</td></tr>"
                       for n, c in enumerate(answer.citations, start=1))
        head += f'<table class="qa-list"><thead><tr><th>#</th><th>Speaker</th><th>Date</th><th>Quote</th></tr></thead><tbody>{rows}</tbody></table>'
    elif answer.kind == "statements" and answer.citations:
        items = "".join(f"<li><b>{escape(c.date or 'undated')}</b> · {escape(c.speaker)}: “{escape(c.quote)}” [{n}]</li>"
                        for n, c in enumerate(answer.citations, start=1))
        head += f'<ol class="qa-timeline">{items}</ol>'
    if link:
        head += f'<p class="qa-meta"><a class="qa-share" href="{escape(link)}">Link to this answer</a></p>'
    return head


def draft_html(text: str) -> str:
    """The LLM's words while it writes; replaced by the verified answer when it finishes."""
    return f'<p class="qa-draft">{escape(text)} ▍</p><p class="qa-meta"><em>checking quotes when the model finishes…</em></p>'


def verification_html(c: Citation) -> str:
    if c.status == "verified":
        return ' <span class="qa-ok">✓ quote verified</span>'
    if c.status == "unverified":
        return f' <span class="qa-bad">✗ not verified: the model quoted “{escape(c.claimed)}”</span>'
    return ' <span class="qa-meta">(retrieved, not cited)</span>'


def citations_html(answer: Answer) -> str:
    if not answer.citations:
        return ""
    items = "".join(f"<li>{citation_html(c, generative=bool(answer.generated))}</li>" for c in answer.citations)
    return f'<ol class="qa-citations">{items}</ol>'


def citation_line(c: Citation) -> str:
    """One line to paste into an article (plain text):
    “About 11,000 …” — Maria Zakharova, Russia and Azerbaijan are strategic partners now, ¶8 (mfa-russia/…txt)"""
    words = c.quote or c.text
    words = words if len(words) <= 300 else words[:300].rsplit(" ", 1)[0] + " …"
    who = ", ".join(x for x in (c.speaker, c.title, c.date, f"¶{c.paragraph}") if x)
    return f"“{words}” — {who} ({c.source})"


def citation_html(c: Citation, generative: bool = False) -> str:
    meta = " · ".join(escape(x) for x in (c.speaker, c.date, f"¶{c.paragraph}") if x)
    if generative:
        meta += verification_html(c)
    ref = source_ref(c.source, c.paragraph, c.quote)
    meta += (f' · <a class="qa-open" href="#{escape(ref)}">view in transcript</a>'
             f' · <a class="qa-copy" href="#copy">copy citation</a><span class="qa-copytext">{escape(citation_line(c))}</span>')
    title = escape(c.title or c.source)
    body = _highlighted(c)
    if len(c.text) > _COLLAPSE_AT:
        preview = f"<mark>{escape(c.quote)}</mark>" if c.quote else escape(c.text[:200]) + "…"
        body = f"<details><summary>{preview}</summary><p>{body}</p></details>"
    else:
        body = f"<p>{body}</p>"
    return f'<div class="qa-cite"><b>{title}</b> <span class="qa-meta">{meta}</span><br><code>{escape(c.source)}</code>{body}</div>'


def _highlighted(c: Citation) -> str:
    if not c.quote:
        return escape(c.text)
    return f"{escape(c.text[:c.start])}<mark>{escape(c.quote)}</mark>{escape(c.text[c.end:])}"


def full_html(answer: Answer, link: str = "") -> str:
    return answer_html(answer, link) + citations_html(answer)
