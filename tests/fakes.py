"""Deterministic stand-ins for the models, for fast unit tests."""

from __future__ import annotations

import hashlib

import numpy as np

from vectorstore.lexical import tokenize


class FakeEmbedder:
    """Hashed bag of stems: texts sharing words are similar, nothing else is.

    Deterministic across runs and machines, 64 dimensions, unit length.
    """

    name = "fake-hash-embedder"
    dim = 64
    max_tokens = 40

    def __init__(self) -> None:
        self.calls = 0
        self.texts_embedded = 0

    def embed(self, texts):
        self.calls += 1
        self.texts_embedded += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for tok in tokenize(text) or ["∅"]:
                h = int.from_bytes(hashlib.blake2b(tok.encode(), digest_size=4).digest(), "little")
                out[row, h % self.dim] += 1.0 if (h >> 16) & 1 else -1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else out[row]
            if not norm:
                out[row, 0] = 1.0
        return out

    def count_tokens(self, texts):
        return [len(t.split()) for t in texts]


class OtherFakeEmbedder(FakeEmbedder):
    name = "another-model"
