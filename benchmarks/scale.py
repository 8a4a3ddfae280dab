"""Scale benchmark: the store and retrieval at 100,000 and 1,000,000 paragraphs.

    python -m benchmarks.scale [--sizes 100000,1000000] [--real-store .store]

The bulk is synthetic unit vectors (so the run measures Chroma, not the encoder) with
short synthetic texts, plus the real corpus's records copied in from an ingested store.
Reports per size: insert rate, dense retrieval latency p50/p95 (query embedding excluded),
full answer() latency p50, disk use and peak RSS. Results go to benchmarks/scale.json.
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
from qa.settings import Settings
from vectorstore.store import Store

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ["How many Azerbaijani students study in Russia?", "What did Kirby say about Ukraine?",
             "How much was the trade turnover in 2018?", "Which countries signed the Caspian convention?"]


def du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--real-store", default=".store", help="an ingested store of data/transcripts to mix in")
    ap.add_argument("--batch", type=int, default=5000)
    args = ap.parse_args()
    from tqdm import tqdm

    real = Store(args.real_store)
    real_records = list(real.records())
    real_ids = [i for i, _, _ in real_records]
    real_vecs = real._collection.get(ids=real_ids, include=["embeddings"])["embeddings"]
    model = real.model
    rng = np.random.default_rng(0)
    results = {}
    for size in (int(s) for s in args.sizes.split(",")):
        folder = Path(tempfile.mkdtemp(prefix=f"qa-scale-{size}-"))
        store = Store(folder / "store")
        store.open_for_write(model)
        store.upsert(real_ids, [t for _, t, _ in real_records], [m for _, _, m in real_records], np.asarray(real_vecs))
        t = time.perf_counter()
        bar = tqdm(total=size - len(real_ids), desc=f"insert {size:,}", unit="vec", unit_scale=True)
        done = len(real_ids)
        while done < size:
            n = min(args.batch, size - done)
            vecs = rng.standard_normal((n, 384)).astype(np.float32)
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
            ids = [f"syn-{done + i}" for i in range(n)]
            metas = [{"source": f"synthetic/{(done + i) // 50}.txt", "paragraph": i % 50, "speaker": "", "date": "",
                      "date_start": 0, "date_end": 0, "title": "", "window": 0, "para_id": ids[i]} for i in range(n)]
            store.upsert(ids, [f"synthetic paragraph {done + i}" for i in range(n)], metas, vecs)
            done += n
            bar.update(n)
        bar.close()
        insert_s = time.perf_counter() - t
        store.bump_generation()

        queries = rng.standard_normal((200, 384)).astype(np.float32)
        queries /= np.linalg.norm(queries, axis=1, keepdims=True)
        store.search_ids(queries[0], 40)
        lat = []
        for q in queries:
            t = time.perf_counter()
            store.search_ids(q, 40)
            lat.append((time.perf_counter() - t) * 1000)

        engine = Engine(Settings.from_env({}, store=str(folder / "store")))
        engine.answer(QUESTIONS[0])  # builds the BM25 index once
        answer_ms = []
        for _ in range(5):
            for q in QUESTIONS:
                answer_ms.append(engine.answer(q).timings_ms["total"])
        results[str(size)] = {
            "insert_per_s": round((size - len(real_ids)) / insert_s),
            "retrieval_ms": {"p50": round(statistics.median(lat), 2), "p95": round(sorted(lat)[int(0.95 * len(lat))], 2)},
            "answer_ms_p50": round(statistics.median(answer_ms), 1),
            "disk_mb": round(du_mb(folder)),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }
        print(json.dumps({size: results[str(size)]}))
        shutil.rmtree(folder, ignore_errors=True)
    (ROOT / "benchmarks" / "scale.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
