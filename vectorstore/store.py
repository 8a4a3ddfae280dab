"""The paragraph store: a Chroma collection, embedded on disk or on a Chroma server.

Constructing a `Store` touches nothing; the client opens on first use.

>>> store = Store(Path("/tmp/never-created"))
>>> store.exists()
False
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

from vectorstore.errors import StoreError

COLLECTION = "paragraphs"
# Cosine distance on unit vectors. Chosen with benchmarks/scale.py (README "Scale"): ef_search 100
# gives recall@10 vs exact search 1.00 at 100k and 0.82 at 1M (raise it for recall, at some latency);
# ef_construction 100 (not 200) with a larger batch_size/sync_threshold (the index is written to disk
# less often) raised inserts from 583 to 753/s in a 50k trial at the same search latency.
HNSW = {"space": "cosine", "ef_construction": 100, "ef_search": 100, "max_neighbors": 16,
        "batch_size": 1000, "sync_threshold": 10000}
_GET_PAGE = 5000


@dataclass(frozen=True)
class Hit:
    """A stored paragraph returned by a search, with its similarity in [0, 1]-ish."""

    id: str
    text: str
    metadata: dict[str, Any]
    score: float


class Store:
    def __init__(self, path: Path | str | None = None, *, url: str = "", token: str = ""):
        if not path and not url:
            raise StoreError("A store needs a folder (--store / QA_STORE) or a server URL (--chroma-url).")
        self.path = Path(path) if path else None
        self.url = url
        self.token = token

    @property
    def where(self) -> str:
        return self.url or str(self.path)

    # --- opening -----------------------------------------------------------

    def exists(self) -> bool:
        if self.url:
            return True
        return self.path is not None and (self.path / "chroma.sqlite3").exists()

    @cached_property
    def client(self):
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        try:
            if self.url:
                return _http_client(self.url, self.token, chroma_settings)
            self.path.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(str(self.path), settings=chroma_settings)
        except PermissionError:
            raise StoreError(f"No permission to open the store at {self.where}.") from None
        except Exception as err:  # chromadb raises plain Exceptions for connection problems
            raise StoreError(f"Cannot open the store at {self.where}: {err}") from None

    def _require(self) -> None:
        if not self.exists():
            raise StoreError(f"No store at {self.where}. Run `qa ingest PATH --store {self.where}` first.")

    @cached_property
    def _collection(self):
        self._require()
        from chromadb.errors import NotFoundError

        try:
            return self.client.get_collection(COLLECTION)
        except NotFoundError:
            raise StoreError(f"The store at {self.where} holds no transcripts yet. Run `qa ingest PATH` first.") from None

    def open_for_write(self, model: str) -> None:
        """Create the collection if needed; refuse a store built with another model."""
        if self.path and not self.url:
            self.path.mkdir(parents=True, exist_ok=True)
            if not os.access(self.path, os.W_OK):
                raise StoreError(f"The store folder {self.path} is not writable.")
        col = self.client.get_or_create_collection(
            COLLECTION, embedding_function=None, metadata={"embed_model": model}, configuration={"hnsw": HNSW},
        )
        self.__dict__["_collection"] = col
        self.check_model(model)

    def check_model(self, model: str) -> None:
        stored = (self._collection.metadata or {}).get("embed_model")
        if stored and stored != model:
            raise StoreError(
                f"The store at {self.where} was built with the embedding model {stored!r}, not {model!r}. "
                f"Use a new --store, or set QA_EMBED_MODEL to match."
            )

    def sentence_vectors(self, model: str):
        """The sentence vectors beside an embedded store (`vectorstore.sentence_vectors`); None
        for a store on a Chroma server, whose reader embeds sentences at answer time."""
        if self.url or self.path is None:
            return None
        from vectorstore.sentence_vectors import FILE, SentenceVectors

        return SentenceVectors(self.path / FILE, model)

    @property
    def model(self) -> str:
        return (self._collection.metadata or {}).get("embed_model", "")

    @property
    def generation(self) -> str:
        """Changes whenever the contents may have changed; derived indexes key on it."""
        meta = self._collection.metadata or {}
        return f"{meta.get('generation', '')}:{self._collection.count()}"

    def bump_generation(self) -> None:
        meta = dict(self._collection.metadata or {})
        meta["generation"] = uuid.uuid4().hex
        self._collection.modify(metadata=meta)

    # --- writing -----------------------------------------------------------

    def upsert(self, ids: Sequence[str], texts: Sequence[str], metadatas: Sequence[dict], vectors: np.ndarray) -> None:
        if ids:
            self._collection.upsert(ids=list(ids), documents=list(texts), metadatas=list(metadatas), embeddings=vectors)

    def update_metadata(self, ids: Sequence[str], metadatas: Sequence[dict]) -> None:
        if ids:
            self._collection.update(ids=list(ids), metadatas=list(metadatas))

    def delete(self, ids: Sequence[str]) -> None:
        ids = list(ids)
        for i in range(0, len(ids), _GET_PAGE):
            self._collection.delete(ids=ids[i:i + _GET_PAGE])

    # --- reading -----------------------------------------------------------

    def count(self) -> int:
        return self._collection.count()

    def metadata(self, where: dict | None = None) -> Iterator[tuple[str, dict]]:
        """(id, metadata) of every record matching ``where``, paged."""
        for page in self._pages(where, ["metadatas"]):
            yield from zip(page["ids"], page["metadatas"])

    def records(self, where: dict | None = None) -> Iterator[tuple[str, str, dict]]:
        """(id, text, metadata) of every record, paged; for rebuilding derived indexes."""
        for page in self._pages(where, ["documents", "metadatas"]):
            yield from zip(page["ids"], page["documents"], page["metadatas"])

    def _pages(self, where: dict | None, include: list[str]) -> Iterator[dict]:
        offset = 0
        while True:
            page = self._collection.get(where=where, include=include, limit=_GET_PAGE, offset=offset)
            yield page
            if len(page["ids"]) < _GET_PAGE:
                return
            offset += _GET_PAGE

    def get(self, ids: Sequence[str]) -> list[Hit]:
        if not ids:
            return []
        page = self._collection.get(ids=list(ids), include=["documents", "metadatas"])
        by_id = {i: (d, m) for i, d, m in zip(page["ids"], page["documents"], page["metadatas"])}
        return [Hit(i, by_id[i][0], by_id[i][1], 0.0) for i in ids if i in by_id]

    def paragraphs(self, ids: Sequence[str]) -> dict[str, str]:
        """Paragraph id -> the paragraph's text as stored. A paragraph too long for the encoder is
        stored only as sentence windows, each carrying the whole text (``paragraph_text``) and
        the paragraph's id (``para_id``); those are found through their windows."""
        ids = list(dict.fromkeys(ids))
        out = {h.id: h.metadata.get("paragraph_text") or h.text for h in self.get(ids)}
        missing = [i for i in ids if i not in out]
        if missing:
            page = self._collection.get(where={"para_id": {"$in": missing}}, include=["metadatas"])
            for m in page["metadatas"]:
                out.setdefault(m["para_id"], m.get("paragraph_text", ""))
        return out

    def vectors(self) -> tuple[list[str], np.ndarray]:
        """Every record's id and stored vector, in the store's order."""
        ids, rows = [], []
        for page in self._pages(None, ["embeddings"]):
            ids.extend(page["ids"])
            rows.extend(page["embeddings"])
        return ids, np.asarray(rows, dtype=np.float32).reshape(len(ids), -1)

    def search_ids(self, vector: np.ndarray, n: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(id, cosine similarity) of the nearest records; no documents or metadata, so it is fast."""
        res = self._collection.query(query_embeddings=[np.asarray(vector, dtype=np.float32)], n_results=n,
                                     where=where, include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0])]

    def sources(self) -> dict[str, dict]:
        """source → {title, date, speakers, paragraphs} for every stored document."""
        docs: dict[str, dict] = {}
        for _, meta in self.metadata():
            d = docs.setdefault(meta["source"], {"title": meta.get("title", ""), "date": meta.get("date", ""), "speakers": set(), "paragraphs": 0})
            d["paragraphs"] += int(meta.get("window", 0)) <= 1  # a long paragraph's windows count once
            if meta.get("speaker"):
                d["speakers"].add(meta["speaker"])
        return docs

    # --- locking -----------------------------------------------------------

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """One writer at a time on an embedded store; a second one is told, not blocked."""
        if self.url:  # the server serialises writes itself
            yield
            return
        from filelock import FileLock, Timeout

        self.path.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.path / ".write.lock"))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            raise StoreError(f"Another `qa ingest` or `qa remove` is writing to {self.path}; try again when it has finished.") from None
        except PermissionError:
            raise StoreError(f"The store folder {self.path} is not writable.") from None
        try:
            yield
        finally:
            lock.release()


def _http_client(url: str, token: str, chroma_settings):
    import chromadb
    from urllib.parse import urlparse

    u = urlparse(url if "://" in url else f"http://{url}")
    if not u.hostname:
        raise StoreError(f"--chroma-url {url!r} is not a URL such as http://127.0.0.1:8000.")
    headers = {"Authorization": f"Bearer {token}"} if token else None
    return chromadb.HttpClient(
        host=u.hostname, port=u.port or (443 if u.scheme == "https" else 8000), ssl=u.scheme == "https",
        headers=headers, settings=chroma_settings,
    )
