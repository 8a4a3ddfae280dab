"""A fast rule-based sentence splitter that keeps character offsets.

Used to cut long paragraphs into windows at ingest and to find the supporting
sentence at answer time, so it must be quick and must never lose a character.

>>> [text for _, _, text in sentence_spans("Mr. Kirby spoke. He left at 3 p.m. Then rain.")]
['Mr. Kirby spoke.', 'He left at 3 p.m. Then rain.']
"""

from __future__ import annotations

import re

from vectorstore.loaders.base import strip_speaker_label

_BOUNDARY = re.compile(r"[.!?…]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
_ABBREV = {
    "mr", "ms", "mrs", "dr", "st", "no", "nos", "vs", "v", "gen", "lt", "col", "sgt", "adm", "gov", "sen", "rep",
    "prof", "jr", "sr", "u.s", "u.n", "u.k", "e.g", "i.e", "etc", "jan", "feb", "mar", "apr", "aug", "sep", "sept",
    "oct", "nov", "dec", "a.m", "p.m", "inc", "co", "corp", "art", "para", "h.e", "amb", "pres", "approx", "fig",
}


def sentence_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, sentence) for each sentence, with ``text[start:end] == sentence``."""
    spans: list[tuple[int, int, str]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        word = re.search(r"([\w.]+)$", text[start:m.start()])
        last = word.group(1).lower() if word else ""
        if m.group(0).startswith(".") and (last in _ABBREV or len(last) == 1 and last.isalpha()):
            continue  # "Mr." or an initial, not the end of a sentence
        end = m.end()
        if text[start:end].strip():
            spans.append(_trimmed(text, start, end))
        start = end
    if text[start:].strip():
        spans.append(_trimmed(text, start, len(text)))
    return spans


def _trimmed(text: str, start: int, end: int) -> tuple[int, int, str]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end, text[start:end]


def split_sentences(text: str) -> list[str]:
    return [s for _, _, s in sentence_spans(text)]


def quote_spans(text: str) -> list[tuple[int, int, str]]:
    """Sentences as the reader quotes them: without an opening quotation mark whose partner lies
    in another sentence (and the same for a closing one).

    >>> [s for _, _, s in quote_spans('He said: "We will. Soon." Then left.')]
    ['He said: "We will.', 'Soon.', 'Then left.']
    """
    out = []
    for start, end, sent in sentence_spans(text):
        if sent[:1] in "\"“'‘" and sent.count(sent[0]) % 2 == 1 and "”" not in sent[1:]:
            start, sent = start + 1, sent[1:]
        if sent[-1:] in "\"”" and sent.count('"') % 2 == 1 and "“" not in sent:
            end, sent = end - 1, sent[:-1]
        if sent.strip():
            out.append((start, end, sent))
    return out


def embedded_sentences(paragraph: str) -> list[str]:
    """The texts the reader embeds for a paragraph's sentences (speaker labels such as "MR. KIRBY:"
    cut off): what ingest embeds ahead of time (`vectorstore.sentence_vectors`).

    >>> embedded_sentences("MR. KIRBY: Good afternoon. We have news.")
    ['Good afternoon.', 'We have news.']
    """
    return [strip_speaker_label(sent) for _, _, sent in quote_spans(paragraph)]
