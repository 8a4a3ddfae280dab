"""Scale benchmark: the store and retrieval at 100,000 and 1,000,000 paragraphs.

    python -m benchmarks.scale [--sizes 100000,1000000] [--real-store .store]

The real corpus is copied in from an ingested store; the bulk is synthetic: each synthetic
vector is a real paragraph's vector plus Gaussian noise (so the store sees the clustered
distribution of real embeddings, which i.i.d. random vectors are not), with a short text.
The run measures Chroma, not the encoder. Reports per size: insert rate, dense retrieval
latency p50/p95 (query embedding excluded), recall@10 of HNSW against exact search, full
answer() latency p50/p95, disk use and peak RSS. Results go to benchmarks/scale.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from qa.engine import Engine
from qa.evaluate.metrics import percentile
from qa.settings import Settings
from vectorstore.store import HNSW, Store

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ["How many Azerbaijani students study in Russia?", "What did Kirby say about Ukraine?",
             "How much was the trade turnover in 2018?", "Which countries signed the Caspian convention?"]
NOISE = 0.5  # norm of the noise added to a real vector, before re-normalising


def du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def pct(xs: list[float], p: float) -> float:
    return round(percentile(xs, p), 2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--real-store", default=".store", help="an ingested store of data/transcripts to mix in")
    ap.add_argument("--batch", type=int, default=5000, help="records per write (Chroma's cap is 5,461)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "scale.json")
    args = ap.parse_args()
    from tqdm import tqdm

    real = Store(args.real_store)
    real_records = list(real.records())
    real_ids = [i for i, _, _ in real_records]
    real_vecs = np.asarray(real._collection.get(ids=real_ids, include=["embeddings"])["embeddings"], dtype=np.float32)
    model = real.model
    results = json.loads(args.out.read_text()) if args.out.exists() else {}
    for size in (int(s) for s in args.sizes.split(",")):
        rng = np.random.default_rng(0)
        probes = real_vecs[rng.integers(0, len(real_vecs), 100)]  # dense queries for latency and recall
        exact = _TopK(probes, 10)
        exact.add(real_vecs, np.arange(len(real_ids)))
        folder = Path(tempfile.mkdtemp(prefix=f"qa-scale-{size}-"))
        store = Store(folder / "store")
        store.open_for_write(model)
        for i in range(0, len(real_ids), args.batch):
            j = i + args.batch
            store.upsert(real_ids[i:j], [t for _, t, _ in real_records[i:j]], [m for _, _, m in real_records[i:j]],
                         real_vecs[i:j])
        t = time.perf_counter()
        bar = tqdm(total=size - len(real_ids), desc=f"insert {size:,}", unit="vec", unit_scale=True)
        done = len(real_ids)
        while done < size:
            n = min(args.batch, size - done)
            vecs = real_vecs[rng.integers(0, len(real_vecs), n)]
            vecs = vecs + NOISE * rng.standard_normal((n, vecs.shape[1])).astype(np.float32) / np.sqrt(vecs.shape[1])
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
            exact.add(vecs, np.arange(done, done + n))
            ids = [f"syn-{done + i}" for i in range(n)]
            metas = [{"source": f"synthetic/{(done + i) // 50}.txt", "paragraph": i % 50, "speaker": "", "date": "",
                      "date_start": 0, "date_end": 0, "title": "", "window": 0, "para_id": ids[i]} for i in range(n)]
            store.upsert(ids, [f"synthetic paragraph {done + i}" for i in range(n)], metas, vecs)
            done += n
            bar.update(n)
        bar.close()
        insert_s = time.perf_counter() - t
        store.bump_generation()

        key = {i: n for n, i in enumerate(real_ids)}
        store.search_ids(probes[0], 40)
        lat, recall = [], []
        for q, truth in zip(probes, exact.ids):
            t = time.perf_counter()
            found = store.search_ids(q, 40)
            lat.append((time.perf_counter() - t) * 1000)
            got = {key.get(i, int(i[4:]) if i.startswith("syn-") else -1) for i, _ in found[:10]}
            recall.append(len(got & set(truth.tolist())) / 10)

        engine = Engine(Settings.from_env({}, store=str(folder / "store")))
        for q in QUESTIONS:  # warm: the BM25 index, spaCy, the query encoder
            engine.answer(q)
        answer_ms, retrieve_ms = [], []
        for _ in range(5):
            for q in QUESTIONS:
                a = engine.answer(q)
                answer_ms.append(a.timings_ms["total"])
                retrieve_ms.append(a.timings_ms["total"] - a.timings_ms.get("read", 0.0))
        results[str(size)] = {
            "paragraphs": size,
            "insert_per_s": round((size - len(real_ids)) / insert_s),
            "insert_minutes": round(insert_s / 60, 1),
            "dense_search_ms": {"p50": pct(lat, 50), "p95": pct(lat, 95)},
            "hnsw_recall@10": round(statistics.mean(recall), 3),
            "retrieval_ms": {"p50": pct(retrieve_ms, 50), "p95": pct(retrieve_ms, 95)},
            "answer_ms": {"p50": pct(answer_ms, 50), "p95": pct(answer_ms, 95)},
            "disk_mb": round(du_mb(folder)),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "hnsw": dict(HNSW),
        }
        print(json.dumps({size: results[str(size)]}), flush=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n")
        shutil.rmtree(folder, ignore_errors=True)


class _TopK:
    """Exact top-k by brute force, fed batch by batch so the vectors are never all in memory."""

    def __init__(self, queries: np.ndarray, k: int):
        self.queries, self.k = queries, k
        self.scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
        self.ids = np.full((len(queries), k), -1, dtype=np.int64)

    def add(self, vecs: np.ndarray, ids: np.ndarray) -> None:
        sims = self.queries @ vecs.T
        scores = np.concatenate([self.scores, sims], axis=1)
        all_ids = np.concatenate([self.ids, np.broadcast_to(ids, sims.shape)], axis=1)
        top = np.argsort(-scores, axis=1)[:, : self.k]
        self.scores = np.take_along_axis(scores, top, axis=1)
        self.ids = np.take_along_axis(all_ids, top, axis=1)


if __name__ == "__main__":
    main()
