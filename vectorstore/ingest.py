"""Ingest: files → paragraphs → embeddings → store, idempotently and crash-safely.

Each file's paragraphs are diffed against what the store holds for it: new ones are
embedded and upserted, moved ones get fresh metadata, vanished ones are deleted
*after* their replacements are written. Killing a run therefore never loses a
paragraph, and the next run finishes the job. The sentences of new paragraphs are embedded
too (`vectorstore.sentence_vectors`), before their paragraphs are written, so that a
stored paragraph always has its sentence vectors.

>>> report = Ingester(store, embedder).run([Path("data/transcripts")])  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses

import hashlib
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from vectorstore.errors import LoadError
from vectorstore.faults import checkpoint
from vectorstore.embed import Embedder
from vectorstore.loaders import SUPPORTED, loader_for
from vectorstore.paragraphs import Record, to_records
from vectorstore.sentence_vectors import SentenceVectors
from vectorstore.sentences import embedded_sentences
from vectorstore.store import Store
from vectorstore.windows import Windower

METADATA_CHUNK = 500  # kept records re-labelled per Chroma call


@dataclass
class Skipped:
    path: str
    reason: str


@dataclass
class IngestReport:
    files_read: int = 0
    files_skipped: list[Skipped] = field(default_factory=list)
    paragraphs_added: int = 0
    paragraphs_unchanged: int = 0
    paragraphs_removed: int = 0
    sentences_embedded: int = 0
    seconds: float = 0.0

    @property
    def paragraphs_per_second(self) -> float:
        return self.paragraphs_added / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> dict:
        d = asdict(self)
        d["seconds"] = round(self.seconds, 3)
        d["paragraphs_per_second"] = round(self.paragraphs_per_second, 1)
        return d


@dataclass
class _Source:
    """What the store holds for one document."""

    ids: set[str] = field(default_factory=set)
    shas: set[str] = field(default_factory=set)
    meta: dict[str, dict] = field(default_factory=dict)
    expected: int = 0


class Ingester:
    def __init__(self, store: Store, embedder: Embedder, *, max_bytes: int | None = None,
                 batch_size: int = 64, progress: bool = False, windower: Windower | None = None,
                 backfill: bool = True):
        self.store = store
        self.sentences: SentenceVectors | None = store.sentence_vectors(embedder.name)
        self.backfill = backfill
        self.embedder = embedder
        self.max_bytes = max_bytes
        self.flush_at = max(batch_size * 16, 64)  # many encoder batches per write: texts are batched by length, so less padding
        self.progress = progress
        self.windower = windower or Windower(embedder)

    def run(self, paths: Iterable[Path]) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        with self.store.write_lock():
            self.store.open_for_write(self.embedder.name)
            self.store.bump_generation()
            # An empty store's every paragraph passes through _flush, which embeds its sentences;
            # anything else not marked complete (older, killed mid-way, other splitter) is backfilled.
            fresh = self.store.count() == 0
            complete = self.sentences is None or self.sentences.complete()
            for root in paths:
                self._ingest_root(Path(root), report)
            if not complete and (fresh or self.backfill):
                if not fresh:
                    self._backfill_sentences(report)
                self.sentences.mark_complete()
            self.store.bump_generation()
        report.seconds = time.perf_counter() - started
        return report

    def remove(self, source: str) -> int:
        """Delete every paragraph of one document; returns how many were removed."""
        with self.store.write_lock():
            self.store.open_for_write(self.embedder.name)
            ids = [i for i, _ in self.store.metadata({"source": source})]
            if ids:
                self.store.bump_generation()
                self.store.delete(ids)
                self.store.bump_generation()
            return len(ids)

    # --- one root ---------------------------------------------------------

    def _ingest_root(self, root: Path, report: IngestReport) -> None:
        if not root.exists() and not root.is_symlink():
            report.files_skipped.append(Skipped(str(root), "no such file or folder"))
            return
        root_id = str(root.resolve())
        stored = self._stored(root_id)
        seen: set[str] = set()
        files = list(_discover(root, report))
        buffer: list[Record] = []
        deferred_updates: list[Record] = []
        deferred_deletes: list[str] = []
        bar = _bar(len(files), self.progress)
        try:
            for path, source in files:
                seen.add(source)
                bar.update(1)
                try:
                    adds, updates, deletes, unchanged = self._plan(path, source, root_id, stored.get(source))
                except LoadError as err:
                    report.files_skipped.append(Skipped(str(path), err.reason))
                    continue
                report.files_read += 1
                report.paragraphs_unchanged += unchanged
                deferred_updates.extend(updates)
                buffer.extend(adds)
                report.paragraphs_added += sum(1 for r in adds if r.window <= 1)
                deferred_deletes.extend(deletes)
                report.paragraphs_removed += _paragraphs(deletes, stored.get(source))
                if len(buffer) >= self.flush_at:
                    self._flush(buffer, deferred_updates, deferred_deletes, report)
                    bar.set_postfix(paragraphs=report.paragraphs_added)
            self._flush(buffer, deferred_updates, deferred_deletes, report)
            gone_sources = [src for src in stored if src not in seen and _vanished(root, src)]
            for src in gone_sources:
                self.store.delete(list(stored[src].ids))
                report.paragraphs_removed += _paragraphs(stored[src].ids, stored[src])
        finally:
            bar.close()

    def _stored(self, root_id: str) -> dict[str, _Source]:
        out: dict[str, _Source] = {}
        for pid, meta in self.store.metadata({"root": root_id}):
            s = out.setdefault(meta["source"], _Source())
            s.ids.add(pid)
            s.shas.add(meta.get("file_sha", ""))
            s.meta[pid] = meta
            s.expected = int(meta.get("doc_records", 0))
        return out

    def _plan(self, path: Path, source: str, root_id: str, stored: _Source | None):
        """(records to add, records to re-label, ids to delete, unchanged paragraphs) for one file."""
        sha = _file_sha(path, self.max_bytes)
        if stored and stored.shas == {sha} and len(stored.ids) == stored.expected:
            return [], [], [], _paragraphs(stored.ids, stored)  # complete and unchanged: no parsing needed
        loader = loader_for(path, self.max_bytes)
        doc = loader.load(path)
        if not doc.paragraphs:
            raise LoadError(str(path), "no text paragraphs found")
        records = self.windower.split(to_records(source, doc, file_sha=sha, root=root_id))
        # What is stored, windows included, so that the next run can tell the file is complete.
        records = [dataclasses.replace(r, doc_records=len(records)) for r in records]
        old = stored or _Source()
        adds = [r for r in records if r.id not in old.ids]
        updates = [r for r in records if r.id in old.ids and old.meta[r.id] != r.metadata()]
        new_ids = {r.id for r in records}
        deletes = [i for i in old.ids if i not in new_ids]
        unchanged = sum(1 for r in records if r.id in old.ids and r.window <= 1)
        return adds, updates, deletes, unchanged

    def _flush(self, buffer: list[Record], deferred_updates: list[Record], deferred_deletes: list[str],
               report: IngestReport) -> None:
        if buffer:
            report.sentences_embedded += self._embed_sentences([r.paragraph_text or r.text for r in buffer])
            vectors = self.embedder.embed([r.text for r in buffer])
            self.store.upsert([r.id for r in buffer], [r.text for r in buffer], [r.metadata() for r in buffer], vectors)
            buffer.clear()
            checkpoint("after_upsert")
        # The new records are durable: only now may kept records carry the file's new hash
        # (a kill before this point leaves the old hash, so the next run re-reads the file),
        # and the paragraphs they replace go.
        for i in range(0, len(deferred_updates), METADATA_CHUNK):
            chunk = deferred_updates[i:i + METADATA_CHUNK]
            self.store.update_metadata([r.id for r in chunk], [r.metadata() for r in chunk])
            if i + METADATA_CHUNK < len(deferred_updates):
                checkpoint("during_metadata_update")
        deferred_updates.clear()
        if deferred_deletes:
            checkpoint("before_delete")
        self.store.delete(deferred_deletes)
        deferred_deletes.clear()

    def _embed_sentences(self, paragraphs: list[str]) -> int:
        """Embed and store the sentences of ``paragraphs`` that have no vector yet; how many."""
        if self.sentences is None:
            return 0
        texts = self.sentences.missing([t for p in dict.fromkeys(paragraphs) for t in embedded_sentences(p)])
        if texts:
            self.sentences.add(texts, self.embedder.embed(texts))
        return len(texts)

    def _backfill_sentences(self, report: IngestReport) -> None:
        """Sentence vectors for every stored paragraph that lacks them, streamed page by page."""
        bar = _bar(self.store.count(), self.progress, "sentence vectors", "record")
        seen: set[str] = set()
        batch: list[str] = []
        try:
            for rid, text, meta in self.store.records():
                bar.update(1)
                pid = meta.get("para_id") or rid
                if pid not in seen:
                    seen.add(pid)
                    batch.append(meta.get("paragraph_text") or text)
                if len(batch) >= self.flush_at:
                    report.sentences_embedded += self._embed_sentences(batch)
                    batch = []
            report.sentences_embedded += self._embed_sentences(batch)
        finally:
            bar.close()


def _paragraphs(ids, stored: "_Source | None") -> int:
    """How many paragraphs these record ids stand for: a long paragraph's windows count once."""
    if stored is None:
        return len(ids)
    return sum(1 for i in ids if int(stored.meta.get(i, {}).get("window", 0)) <= 1)


def _discover(root: Path, report: IngestReport) -> Iterator[tuple[Path, str]]:
    """(path, source) for each transcript under ``root``; everything else is reported."""
    if root.is_file():
        if loader_for(root) is None:
            report.files_skipped.append(Skipped(str(root), _unsupported(root)))
        else:
            yield root, root.name
        return
    if root.is_symlink() and not root.exists():
        report.files_skipped.append(Skipped(str(root), "broken symbolic link"))
        return

    def on_error(err: OSError) -> None:
        report.files_skipped.append(Skipped(str(err.filename or root), f"cannot open folder: {err.strerror or err}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for d in dirnames:
            if (Path(dirpath) / d).is_symlink():
                report.files_skipped.append(Skipped(str(Path(dirpath) / d), "symbolic link to a folder, not followed"))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            if path.is_symlink() and not path.exists():
                report.files_skipped.append(Skipped(str(path), "broken or looping symbolic link"))
            elif loader_for(path) is None:
                report.files_skipped.append(Skipped(str(path), _unsupported(path)))
            else:
                yield path, path.relative_to(root).as_posix()


def _unsupported(path: Path) -> str:
    return f"unsupported file type {path.suffix or '(no extension)'}; supported: {', '.join(SUPPORTED)}"


def _vanished(root: Path, source: str) -> bool:
    """A document is removed only when its file is really gone, not when it failed to load."""
    path = root / source if root.is_dir() else root
    return not path.exists()


def _file_sha(path: Path, max_bytes: int | None) -> str:
    h = hashlib.blake2b(digest_size=16)
    try:
        if max_bytes is not None and path.stat().st_size > max_bytes:
            raise LoadError(str(path), f"file is {path.stat().st_size / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit (QA_MAX_FILE_MB)")
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError as err:
        raise LoadError(str(path), f"cannot read: {err.strerror or err}") from None
    return h.hexdigest()


class _NoBar:
    def update(self, n: int = 1) -> None: ...
    def set_postfix(self, **kw) -> None: ...
    def close(self) -> None: ...


def _bar(total: int, enabled: bool, desc: str = "ingest", unit: str = "file"):
    if not enabled:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, desc=desc, dynamic_ncols=True)


__all__ = ["Ingester", "IngestReport", "Skipped"]
