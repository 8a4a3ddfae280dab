"""Sentence vectors embedded at ingest, so that answering embeds only the question.

The reader compares the question with the most promising sentences of the retrieved paragraphs;
embedding them at answer time was a third of a factoid answer's time. Ingest now embeds every
sentence of every new paragraph (`vectorstore.sentences.embedded_sentences`) into a SQLite file
beside the Chroma store, keyed by a hash of the sentence's text. Being keyed by content, an entry
can never be stale: a miss (an old store, a store on a Chroma server, a sentence the reader cut
differently) is simply embedded at answer time, as before.

>>> import tempfile
>>> vectors = SentenceVectors(Path(tempfile.mkdtemp()) / FILE, "all-MiniLM-L6-v2")
>>> vectors.add(["Hello."], np.ones((1, 4), dtype=np.float32) / 2)
>>> {text: vec.tolist() for text, vec in vectors.lookup(["Hello.", "Bye."]).items()}
{'Hello.': [0.5, 0.5, 0.5, 0.5]}
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

FILE = "sentence_vectors.sqlite3"
_LOOKUP_CHUNK = 500  # keys per SELECT ... IN (...), under SQLite's variable limit


def _key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class SentenceVectors:
    """Content-addressed sentence vectors for one encoder, in one SQLite file.

    Readers open the file read-only and treat any SQLite error (a writer holding the lock, a
    missing file, a read-only folder) as misses: answering never waits for or fails on it."""

    def __init__(self, path: Path | str, model: str):
        self.path = Path(path)
        self.model = model
        self._lock = threading.Lock()
        self._reader: sqlite3.Connection | None = None
        self._write_con: sqlite3.Connection | None = None

    # --- reading -----------------------------------------------------------

    def lookup(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """text -> its stored vector, for the texts that have one."""
        keys = {_key(t): t for t in dict.fromkeys(texts)}
        if not keys:
            return {}
        found: dict[str, np.ndarray] = {}
        with self._lock:
            con = self._open_reader()
            if con is None:
                return {}
            try:
                items = list(keys)
                for i in range(0, len(items), _LOOKUP_CHUNK):
                    chunk = items[i:i + _LOOKUP_CHUNK]
                    rows = con.execute(f"SELECT key, vec FROM vectors WHERE key IN ({','.join('?' * len(chunk))})", chunk)
                    for key, blob in rows:
                        found[keys[key]] = np.frombuffer(blob, dtype=np.float32)
            except sqlite3.Error:
                return found
        return found

    def _open_reader(self) -> sqlite3.Connection | None:
        """The read-only connection, opened once the file exists and holds this encoder's vectors."""
        if self._reader is None and self.path.is_file():
            try:
                con = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.05,
                                      check_same_thread=False)
                (model,) = con.execute("SELECT value FROM meta WHERE name = 'model'").fetchone() or ("",)
            except sqlite3.Error:
                return None
            if model != self.model:
                con.close()
                return None
            self._reader = con
        return self._reader

    # --- writing (ingest, under the store's write lock) --------------------

    def exists(self) -> bool:
        return self.path.is_file()

    def missing(self, texts: Sequence[str]) -> list[str]:
        """The distinct texts of ``texts`` without a stored vector, in first-seen order."""
        found = self._writer_lookup(list(dict.fromkeys(texts)))
        return [t for t in dict.fromkeys(texts) if _key(t) not in found]

    def add(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Store one vector per text, in one transaction: a killed ingest leaves all or none."""
        if len(texts) != len(vectors):
            raise ValueError(f"{len(texts)} texts but {len(vectors)} vectors")
        if not len(texts):
            return
        con = self._writer()
        rows = [(_key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in zip(texts, vectors)]
        with con:
            con.executemany("INSERT OR REPLACE INTO vectors (key, vec) VALUES (?, ?)", rows)

    def complete(self) -> bool:
        """Whether an ingest has finished since this file was made: every stored paragraph has
        its sentence vectors. An older store, or one whose ingest was killed, is backfilled."""
        if not self.exists():
            return False
        row = self._writer().execute("SELECT value FROM meta WHERE name = 'complete'").fetchone()
        return bool(row and row[0] == "1")

    def mark_complete(self) -> None:
        with self._writer() as con:
            con.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('complete', '1')")

    def count(self) -> int:
        if not self.exists():
            return 0
        return int(self._writer().execute("SELECT COUNT(*) FROM vectors").fetchone()[0])

    def _writer_lookup(self, texts: list[str]) -> set[bytes]:
        con = self._writer()
        keys = [_key(t) for t in texts]
        found: set[bytes] = set()
        for i in range(0, len(keys), _LOOKUP_CHUNK):
            chunk = keys[i:i + _LOOKUP_CHUNK]
            found.update(k for (k,) in con.execute(f"SELECT key FROM vectors WHERE key IN ({','.join('?' * len(chunk))})", chunk))
        return found

    def _writer(self) -> sqlite3.Connection:
        con = self._write_con
        if con is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(str(self.path), timeout=30)
            with con:
                con.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
                con.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vec BLOB NOT NULL)")
                (model,) = con.execute("SELECT value FROM meta WHERE name = 'model'").fetchone() or ("",)
                if model and model != self.model:  # the store refuses another encoder before we get here
                    con.execute("DELETE FROM vectors")
                    con.execute("DELETE FROM meta WHERE name = 'complete'")
                con.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('model', ?)", (self.model,))
            self._write_con = con
        return con

    def close(self) -> None:
        for con in (self._reader, self._write_con):
            if con is not None:
                con.close()
        self._reader = self._write_con = None


class CachedEmbedder:
    """An `Embedder` that takes stored sentence vectors where it has them and embeds the rest
    in one batch, so the rows are those of ``embedder.embed(texts)`` (up to float rounding)."""

    def __init__(self, embedder, vectors: SentenceVectors):
        self.embedder = embedder
        self.vectors = vectors
        self.name = embedder.name

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        found = self.vectors.lookup(texts)
        misses = [t for t in dict.fromkeys(texts) if t not in found]
        if misses:
            found.update(zip(misses, self.embedder.embed(misses)))
        if not texts:
            return self.embedder.embed([])
        return np.stack([found[t] for t in texts]).astype(np.float32, copy=False)

    def __getattr__(self, name):  # max_tokens, count_tokens, dim: the wrapped embedder's
        if name == "embedder":
            raise AttributeError(name)
        return getattr(self.embedder, name)


__all__ = ["CachedEmbedder", "SentenceVectors", "FILE"]
