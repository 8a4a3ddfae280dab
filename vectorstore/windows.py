"""Sentence windows for paragraphs longer than the encoder reads.

MiniLM truncates at 256 word pieces without a word; a fact in the last sentence of
a long UN paragraph would never be embedded. Such a paragraph becomes overlapping
windows of whole sentences that fit, each pointing back at its paragraph.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Sequence

from vectorstore.paragraphs import Record, paragraph_id
from vectorstore.sentences import split_sentences

_SAFE_CHARS = 500  # below this length a paragraph cannot exceed 256 word pieces in practice


class Windower:
    def __init__(self, embedder=None, max_tokens: int | None = None,
                 count_tokens: Callable[[Sequence[str]], list[int]] | None = None):
        self._embedder = embedder
        self._max_tokens = max_tokens
        self._count = count_tokens

    @property
    def max_tokens(self) -> int:
        if self._max_tokens is None:
            self._max_tokens = getattr(self._embedder, "max_tokens", 256)
        return self._max_tokens - 2  # [CLS] and [SEP]

    def count(self, texts: Sequence[str]) -> list[int]:
        if self._count is None:
            self._count = getattr(self._embedder, "count_tokens", None) or _approx_tokens
        return self._count(texts)

    def split(self, records: list[Record]) -> list[Record]:
        long = [r for r in records if len(r.text) > _SAFE_CHARS]
        if not long:
            return records
        too_long = {r.id for r, n in zip(long, self.count([r.text for r in long])) if n > self.max_tokens}
        out: list[Record] = []
        for r in records:
            out.extend(self._windows(r) if r.id in too_long else [r])
        return out

    def _windows(self, r: Record) -> list[Record]:
        sentences = split_sentences(r.text)
        sizes = self.count(sentences)
        windows: list[str] = []
        start = 0
        while start < len(sentences):
            end, used = start, 0
            while end < len(sentences) and (end == start or used + sizes[end] <= self.max_tokens):
                used += sizes[end]
                end += 1
            windows.append(" ".join(sentences[start:end]))
            if end >= len(sentences):
                break
            start = end - 1 if end - 1 > start else end  # one sentence of overlap
        return [
            dataclasses.replace(r, id=paragraph_id(r.source, f"{r.text}\x00{i}"), text=w, window=i,
                                para_id=r.id, paragraph_text=r.text)
            for i, w in enumerate(windows, start=1)
        ]


def _approx_tokens(texts: Sequence[str]) -> list[int]:
    return [int(len(t.split()) * 1.3) + 1 for t in texts]
