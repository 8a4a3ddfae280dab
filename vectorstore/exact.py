"""Exact dense search in memory, for stores small enough to hold their vectors (the default up
to 100,000 records: 150 MB).

Chroma's HNSW index is approximate, and a store reopened in another process can return a
different top 40 for the same vector (24 of 200 questions on the bundled corpus): records
written since its last sync are re-inserted into the graph on load. A matrix product over every
vector is exact and the same in every process, and on 13,000 records it takes about a
millisecond. Cached next to the BM25 index, keyed by the store's generation.

>>> import numpy as np
>>> index = ExactIndex(["a", "b"], np.array([[1.0, 0.0], [0.6, 0.8]], dtype=np.float32))
>>> index.search(np.array([0.0, 1.0], dtype=np.float32), 1)
[('b', 0.8)]
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable

import numpy as np


class ExactIndex:
    def __init__(self, ids: list[str], vectors: np.ndarray):
        if len(ids) != len(vectors):
            raise ValueError(f"{len(ids)} ids but {len(vectors)} vectors")
        self.ids = ids
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)

    @classmethod
    def build(cls, store) -> "ExactIndex":
        ids, vectors = store.vectors()
        return cls(ids, vectors)

    def search(self, vector: np.ndarray, n: int, allowed: Callable[[str], bool] | None = None) -> list[tuple[str, float]]:
        """(id, cosine similarity) of the ``n`` nearest records that ``allowed`` accepts; ties
        keep the store's order, so the ranking is the same in every process."""
        if not self.ids:
            return []
        sims = self.vectors @ np.asarray(vector, dtype=np.float32)
        if allowed is not None:
            mask = np.fromiter((allowed(i) for i in self.ids), dtype=bool, count=len(self.ids))
            sims = np.where(mask, sims, -np.inf)
        order = np.argsort(-sims, kind="stable")[:n]
        return [(self.ids[i], round(float(sims[i]), 6)) for i in order if sims[i] > -np.inf]

    def save(self, folder: Path, generation: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        # A private temporary file: two processes saving the same generation must not write
        # into one file; the rename is atomic, so a partial file is never read.
        fd, name = tempfile.mkstemp(prefix=f"exact.{generation}.", suffix=".tmp", dir=folder)
        tmp = Path(name)
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, ids=np.array(self.ids), vectors=self.vectors)
            tmp.replace(folder / f"exact.{generation}.npz")
        finally:
            tmp.unlink(missing_ok=True)
        for old in folder.glob("exact.*.npz"):
            if old.name != f"exact.{generation}.npz":
                old.unlink(missing_ok=True)

    @classmethod
    def load(cls, folder: Path, generation: str) -> "ExactIndex | None":
        try:
            with np.load(folder / f"exact.{generation}.npz") as data:
                return cls([str(i) for i in data["ids"]], data["vectors"])
        except (OSError, ValueError, KeyError):
            return None
