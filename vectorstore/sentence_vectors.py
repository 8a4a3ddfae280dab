"""Sentence vectors embedded at ingest, so that answering embeds only the question.

The reader compares the question with the most promising sentences of the retrieved paragraphs;
embedding them at answer time was a third of a factoid answer's time. Ingest now embeds every
sentence of every new paragraph (`vectorstore.sentences.embedded_sentences`) into a SQLite file
beside the Chroma store, keyed by a hash of the sentence's text. Being keyed by content, an entry
can never be stale: a miss (an old store, a store on a Chroma server, a sentence the reader cut
differently) is simply embedded at answer time (`vectorstore.embed.CachedEmbedder`).

>>> import tempfile
>>> vectors = SentenceVectors(Path(tempfile.mkdtemp()) / FILE, "all-MiniLM-L6-v2")
>>> vectors.add(["Hello."], np.ones((1, 4), dtype=np.float32) / 2)
>>> {text: vec.tolist() for text, vec in vectors.lookup(["Hello.", "Bye."]).items()}
{'Hello.': [0.5, 0.5, 0.5, 0.5]}
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from vectorstore.errors import StoreError

FILE = "sentence_vectors.sqlite3"
_LOOKUP_CHUNK = 500     # keys per SELECT ... IN (...), under SQLite's variable limit
_READ_WAIT_S = 0.05     # a reader never waits longer for a writer's lock: a locked file is a miss
_WRITE_WAIT_S = 30.0    # ingest waits for readers' shared locks to clear
_SPLITTER = [Path(__file__).with_name("sentences.py"), Path(__file__).parent / "loaders" / "base.py"]


def _key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def splitter_fingerprint() -> str:
    """Hash of the code that decides which texts are sentences (the splitter and the speaker-label
    pattern): a store completed under other code is backfilled again, since its keys may differ."""
    h = hashlib.blake2b(digest_size=8)
    for path in _SPLITTER:
        h.update(path.read_bytes())
    return h.hexdigest()


class SentenceVectors:
    """Content-addressed sentence vectors for one encoder, in one SQLite file.

    Reading treats any SQLite error (a writer holding the lock, a missing file, an unreadable
    folder) as misses: answering never waits long for, or fails on, this file. Writing (ingest)
    turns SQLite errors into a `StoreError` that says how to rebuild the file."""

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
                for key, blob in _select(con, "key, vec", list(keys)):
                    found[keys[key]] = np.frombuffer(blob, dtype=np.float32)
            except sqlite3.Error:
                return found
        return found

    def _open_reader(self) -> sqlite3.Connection | None:
        """The reading connection, opened once the file exists and holds this encoder's vectors.
        Read-write where the folder allows it (it never writes), so that SQLite can roll back the
        journal a killed ingest left; read-only where it does not (another user's store)."""
        if self._reader is None and self.path.is_file():
            mode = "rw" if os.access(self.path.parent, os.W_OK) and os.access(self.path, os.W_OK) else "ro"
            try:
                con = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode={mode}", uri=True, timeout=_READ_WAIT_S,
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
        distinct = list(dict.fromkeys(texts))
        keys = [_key(t) for t in distinct]
        with self._writing() as con:
            found = {k for (k,) in _select(con, "key", keys)}
        return [t for t, k in zip(distinct, keys) if k not in found]

    def add(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Store one vector per text, in one transaction: a killed ingest leaves all or none."""
        if len(texts) != len(vectors):
            raise ValueError(f"{len(texts)} texts but {len(vectors)} vectors")
        if not len(texts):
            return
        rows = [(_key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in zip(texts, vectors)]
        with self._writing() as con, con:
            con.executemany("INSERT OR REPLACE INTO vectors (key, vec) VALUES (?, ?)", rows)

    def complete(self) -> bool:
        """Whether an ingest under this splitter has finished since this file was made: every stored
        paragraph has its sentence vectors. An older store, one whose ingest was killed, or one
        completed under other splitting code is backfilled."""
        if not self.exists():
            return False
        with self._writing() as con:
            row = con.execute("SELECT value FROM meta WHERE name = 'complete'").fetchone()
        return bool(row and row[0] == splitter_fingerprint())

    def mark_complete(self) -> None:
        with self._writing() as con, con:
            con.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('complete', ?)", (splitter_fingerprint(),))

    def count(self) -> int:
        if not self.exists():
            return 0
        with self._writing() as con:
            return int(con.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """The writing connection (made on first use, with its tables); SQLite errors inside the
        block become a `StoreError` that says how to rebuild the file."""
        try:
            yield self._writer()
        except sqlite3.Error as err:
            raise StoreError(f"Cannot write the sentence vectors at {self.path}: {err}. Delete that file and run "
                             f"`qa ingest` again to rebuild it (the paragraphs are not affected).") from None

    def _writer(self) -> sqlite3.Connection:
        con = self._write_con
        if con is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(str(self.path), timeout=_WRITE_WAIT_S)
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


def _select(con: sqlite3.Connection, columns: str, keys: list[bytes]) -> Iterator[tuple]:
    """Rows of ``vectors`` whose key is in ``keys``, queried in chunks under SQLite's variable limit."""
    for i in range(0, len(keys), _LOOKUP_CHUNK):
        chunk = keys[i:i + _LOOKUP_CHUNK]
        yield from con.execute(f"SELECT {columns} FROM vectors WHERE key IN ({','.join('?' * len(chunk))})", chunk)


__all__ = ["FILE", "SentenceVectors", "splitter_fingerprint"]
