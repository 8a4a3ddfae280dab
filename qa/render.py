"""Plain-text rendering of an `Answer` for the terminal."""

from __future__ import annotations

import textwrap

from qa.types import Answer, Citation

_BOLD, _HL, _DIM, _END = "\033[1m", "\033[7m", "\033[2m", "\033[0m"
# Shown under every generated answer: its sentences are the model's, never the transcript's.
MODEL_WORDING = ("In the model's words: each [n] rests on the transcript's words quoted in citation n, and its "
                 "numbers, names and negations are in that quote.")


def render_answer(answer: Answer, color: bool = False, width: int = 100) -> str:
    b, e = (_BOLD, _END) if color else ("", "")
    lines = [f"{b}{answer.display}{e}"]
    if not answer.abstained and answer.kind == "factoid":
        lines.append(f"confidence {answer.confidence:.2f}")
    if answer.generated and not answer.abstained:
        lines.append(textwrap.fill(MODEL_WORDING, width=width))
    read = read_as(answer)
    if read:
        lines.append(f"read as: {read}")
    lines += [textwrap.fill(n, width=width) for n in answer.notes]
    if answer.kind in ("list", "statements") and answer.citations:
        lines.append("")
        lines += _rows(answer, width)
    generative = bool(answer.generated)
    for n, c in enumerate(answer.citations, start=1):
        lines.append("")
        lines.append(f"[{n}] {citation_heading(c)}{verification(c) if generative else ''}")
        lines.append(textwrap.indent(textwrap.fill(_highlight(c, color), width=width), "    "))
    return "\n".join(lines)


def read_as(answer: Answer) -> str:
    """How the question was read, when it named speakers or dates or asked for more than a span."""
    from qa.analyst.constraints import constraints_line

    return constraints_line(answer.constraints)


def _rows(answer: Answer, width: int) -> list[str]:
    """A list as a table (speaker · date · quote); statements as a timeline (date · quote)."""
    out = []
    who = max(len(c.speaker) for c in answer.citations)
    for n, c in enumerate(answer.citations, start=1):
        head = f"{c.date or 'undated':10}  " + (f"{c.speaker:{who}}  " if answer.kind == "list" else "")
        num = f"[{n}]"
        out.append(f"{num:>4} {head}{_clip(c.quote, max(40, width - len(head) - 6))}")
    return out


def verification(c: Citation) -> str:
    """LLM answers only: whether the model's quote was found in this paragraph."""
    return {"verified": "  ✓ quote verified", "context": "  (retrieved, not cited)"}.get(
        c.status, f"  ✗ not verified: the model quoted “{_clip(c.claimed, 120)}”")


def citation_heading(c: Citation) -> str:
    parts = [c.title or c.source, f"¶{c.paragraph}"]
    if c.speaker:
        parts.append(c.speaker)
    if c.date:
        parts.append(c.date)
    return " · ".join(parts) + f"  ({c.source})"


def _highlight(c: Citation, color: bool) -> str:
    if not c.quote:
        return _clip(c.text)
    if color:
        return f"{c.text[:c.start]}{_HL}{c.quote}{_END}{c.text[c.end:]}"
    return f"“{c.quote}”"


def _clip(text: str, n: int = 300) -> str:
    return text if len(text) <= n else text[:n].rsplit(" ", 1)[0] + " …"
