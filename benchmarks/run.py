"""The benchmark suite: one command, a results table for the README and benchmarks/results.json.

    python -m benchmarks.run [--only ingest,latency,cold,baseline] [--backend onnx-int8]

Each phase runs in a fresh child process so that its peak memory (RSS) is its own.
Figures are medians on this machine; ratios compare runs made in the same process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from qa.evaluate.metrics import percentile

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "transcripts"
GOLD = [ROOT / "data" / "gold" / "dev.jsonl", ROOT / "data" / "gold" / "test.jsonl"]
RESULTS = ROOT / "benchmarks" / "results.json"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- phases (each runs in its own process) ----------------------------------------


def phase_ingest(backend: str) -> dict:
    """Ingest the corpus into a fresh store, then re-ingest; raw encode of the same texts."""
    from qa.engine import Engine
    from qa.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine(Settings.from_env({}, store=tmp + "/store", embed_backend=backend))
        engine.embedder.embed(["warm-up"])  # model load and ONNX export are not ingest
        t = time.perf_counter()
        first = engine.ingester().run([CORPUS])
        first_s = time.perf_counter() - t
        t = time.perf_counter()
        again = engine.ingester().run([CORPUS])
        again_s = time.perf_counter() - t
        records = list(engine.store.records())
    texts = [text for _, text, _ in records]
    t = time.perf_counter()
    engine.embedder.embed(texts)
    raw_s = time.perf_counter() - t
    paragraphs = first.paragraphs_added
    return {
        "backend": backend, "paragraphs": paragraphs, "records": len(texts),
        "ingest_s": round(first_s, 1), "ingest_paragraphs_per_s": round(paragraphs / first_s, 1),
        "raw_encode_s": round(raw_s, 1), "raw_paragraphs_per_s": round(paragraphs / raw_s, 1),
        "ratio_to_raw": round(raw_s / first_s, 3),
        "reingest_s": round(again_s, 2), "reingest_fraction": round(again_s / first_s, 4),
        "reingest_added": again.paragraphs_added, "peak_rss_mb": round(_peak_mb()),
    }


def phase_latency(store: str, backend: str) -> dict:
    """Warm answer() latency per stage over every gold question."""
    from qa.engine import Engine
    from qa.evaluate.gold import load_gold
    from qa.settings import Settings

    engine = Engine(Settings.from_env({}, store=store, embed_backend=backend))
    questions = [g.question for path in GOLD for g in load_gold(path)]
    engine.answer(questions[0])
    engine.answer("Who spoke about landmines?")
    stages: dict[str, list[float]] = {}
    kinds: dict[str, list[float]] = {}
    for q in questions:
        t = time.perf_counter()
        a = engine.answer(q)
        kinds.setdefault(a.kind, []).append((time.perf_counter() - t) * 1000)
        if a.kind == "factoid":  # stages of the factoid path; lists and statements skip retrieval and reading
            for k, v in a.timings_ms.items():
                stages.setdefault(k, []).append(v)
    return {
        "questions": len(questions),
        "stages_ms": {k: {"p50": round(statistics.median(v), 1), "p95": round(percentile(v, 95), 1)} for k, v in stages.items()},
        "by_kind_ms": {k: {"n": len(v), "p50": round(statistics.median(v), 1), "p95": round(percentile(v, 95), 1)} for k, v in kinds.items()},
        "peak_rss_mb": round(_peak_mb()),
    }


def phase_baseline(backend: str) -> dict:
    """The LangChain tutorial pipeline on the same corpus, and recall@5 for both systems."""
    from langchain_chroma import Chroma
    from langchain_huggingface import HuggingFaceEmbeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from qa.engine import Engine
    from qa.evaluate.gold import load_gold
    from qa.evaluate.metrics import is_relevant
    from qa.settings import Settings
    from vectorstore.embed import packaged_model_path

    files = sorted(p for p in CORPUS.rglob("*") if p.is_file())
    gold = [g for g in load_gold(GOLD[1]) if g.evidence]
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        docs = splitter.create_documents([p.read_text(encoding="utf-8", errors="replace") for p in files],
                                         metadatas=[{"source": str(p.relative_to(CORPUS))} for p in files])
        emb = HuggingFaceEmbeddings(model_name=str(packaged_model_path()), model_kwargs={"device": "cpu"},
                                    encode_kwargs={"normalize_embeddings": True})
        db = Chroma.from_documents(docs, emb, persist_directory=tmp + "/lc")
        baseline_s = time.perf_counter() - t
        retriever = db.as_retriever(search_kwargs={"k": 5})
        hits, lat = 0, []
        for g in gold:
            t = time.perf_counter()
            found = retriever.invoke(g.question)
            lat.append((time.perf_counter() - t) * 1000)
            hits += any(is_relevant(d.page_content, g.evidence) for d in found)
        baseline_recall = hits / len(gold)

        t = time.perf_counter()
        engine = Engine(Settings.from_env({}, store=tmp + "/ours", embed_backend=backend))
        engine.ingester().run([CORPUS])
        ours_s = time.perf_counter() - t
        ours_hits, ours_lat = 0, []
        for g in gold:
            t = time.perf_counter()
            passages = engine.retriever.retrieve(g.question, n=5)
            ours_lat.append((time.perf_counter() - t) * 1000)
            ours_hits += any(is_relevant(p.text, g.evidence) for p in passages)
    return {
        "questions": len(gold),
        "baseline": {"chunks": len(docs), "ingest_s": round(baseline_s, 1), "recall@5": round(baseline_recall, 3),
                     "retrieval_ms_p50": round(statistics.median(lat), 1)},
        "ours": {"ingest_s": round(ours_s, 1), "recall@5": round(ours_hits / len(gold), 3),
                 "retrieval_ms_p50": round(statistics.median(ours_lat), 1)},
    }


def cold_start(store: str, backend: str, runs: int = 5) -> dict:
    """`qa ask` from a fresh process to the printed answer."""
    times = []
    env = {**os.environ, "QA_EMBED_BACKEND": backend}
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "qa", "ask", "How many Azerbaijani students study in Russia?",
                        "--store", store], check=True, capture_output=True, env=env, cwd=ROOT)
        times.append(time.perf_counter() - t)
    return {"runs": runs, "median_s": round(statistics.median(times), 2)}


# --- driver -------------------------------------------------------------------------


def _child(phase: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "benchmarks.run", "--phase", phase, *args],
                         check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="ingest,latency,cold,baseline")
    ap.add_argument("--backend", default="onnx-int8")
    ap.add_argument("--compare", default="torch", help="second encoder for the ingest phase ('' to skip)")
    ap.add_argument("--store", default="", help="an ingested store for latency and cold start (default: build one)")
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.phase:
        fn = {"ingest": phase_ingest, "latency": phase_latency, "baseline": phase_baseline}[a.phase]
        print(json.dumps(fn(*a.args)))
        return

    only = set(a.only.split(","))
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["machine"] = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    steps = [s for s in ("ingest", "latency", "cold", "baseline") if s in only]
    from tqdm import tqdm

    store = a.store
    for step in tqdm(steps, desc="benchmarks", unit="phase"):
        if step == "ingest":
            results.setdefault("ingest", {}).update({b: _child("ingest", b) for b in filter(None, [a.backend, a.compare])})
        if step in ("latency", "cold") and not store:
            store = tempfile.mkdtemp() + "/store"
            subprocess.run([sys.executable, "-m", "qa", "ingest", str(CORPUS), "--store", store],
                           check=True, capture_output=True, env={**os.environ, "QA_EMBED_BACKEND": a.backend}, cwd=ROOT)
        if step == "latency":
            results["latency"] = _child("latency", store, a.backend)
        if step == "cold":
            results["cold_start"] = cold_start(store, a.backend)
        if step == "baseline":
            results["baseline"] = _child("baseline", a.backend)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))


def table(r: dict) -> str:
    rows = ["| measurement | value |", "|---|---|"]
    for b, x in r.get("ingest", {}).items():
        rows.append(f"| ingest, {b} | {x['ingest_paragraphs_per_s']} paragraphs/s ({x['paragraphs']} paragraphs in {x['ingest_s']} s), "
                    f"{x['ratio_to_raw']:.2f} of raw encode ({x['raw_paragraphs_per_s']}/s); peak RSS {x['peak_rss_mb']} MB |")
        rows.append(f"| re-ingest unchanged corpus, {b} | {x['reingest_s']} s = {x['reingest_fraction'] * 100:.1f}% of first ingest |")
    if "latency" in r:
        st = r["latency"]["stages_ms"]
        parts = ", ".join(f"{k} {v['p50']}/{v['p95']}" for k, v in st.items() if k != "total")
        n = r["latency"].get("by_kind_ms", {}).get("factoid", {}).get("n", r["latency"]["questions"])
        rows.append(f"| warm answer() over {n} factoid questions, p50/p95 ms | total {st['total']['p50']}/{st['total']['p95']} ({parts}); peak RSS {r['latency']['peak_rss_mb']} MB |")
        for kind, v in r["latency"].get("by_kind_ms", {}).items():
            if kind != "factoid":
                rows.append(f"| warm answer() over {v['n']} {kind} questions, p50/p95 ms (wall clock) | {v['p50']}/{v['p95']} |")
    if "cold_start" in r:
        rows.append(f"| cold start `qa ask`, median of {r['cold_start']['runs']} | {r['cold_start']['median_s']} s |")
    if "baseline" in r:
        b, o = r["baseline"]["baseline"], r["baseline"]["ours"]
        rows.append(f"| LangChain tutorial baseline (1,000-char chunks, HuggingFaceEmbeddings, Chroma) | ingest {b['ingest_s']} s, recall@5 {b['recall@5']}, retrieval p50 {b['retrieval_ms_p50']} ms |")
        rows.append(f"| this project, same corpus and questions | ingest {o['ingest_s']} s, recall@5 {o['recall@5']}, retrieval p50 {o['retrieval_ms_p50']} ms |")
    return "\n".join(rows)


if __name__ == "__main__":
    main()
