"""Exact in-memory dense search: the true nearest records, the same in every process, cached
by generation; the retriever uses it up to QA_EXACT_SEARCH_MAX records and Chroma's HNSW above."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qa.retrieve import Filters
from vectorstore.exact import ExactIndex


@pytest.fixture
def engine(fixture_engine):
    return fixture_engine


def test_search_is_the_brute_force_ranking_with_stable_ties():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(50, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors[7] = vectors[3]  # a tie: the earlier record ranks first
    index = ExactIndex([f"r{i}" for i in range(50)], vectors)
    q = vectors[3] + 0.01
    got = [i for i, _ in index.search(q, 10)]
    want = [f"r{i}" for i in np.argsort(-(vectors @ q), kind="stable")[:10]]
    assert got == want and got[:2] == ["r3", "r7"]
    assert [i for i, _ in index.search(q, 5, allowed=lambda i: i != "r3")][0] == "r7"


def test_the_retriever_searches_exactly_and_caches_by_generation(engine):
    r = engine.retriever
    exact = r.exact()
    assert exact is not None and len(exact.ids) == engine.store.count()
    cached = list((engine.store.path / "exact").glob("exact.*.npz"))
    assert len(cached) == 1
    q = engine.embedder.embed(["How many Azerbaijani students study in Russia?"])[0]
    chroma = [i for i, _ in engine.store.search_ids(q, 5)]
    assert [i for i, _ in exact.search(q, 5)] == chroma  # a small store: HNSW is exact too


def test_filters_apply_to_exact_search(engine):
    passages = engine.retriever.retrieve("refugees", n=5, filters=Filters(source="interview.txt"), mode="dense")
    assert passages and {p.meta["source"] for p in passages} == {"interview.txt"}


def test_above_the_limit_chroma_searches(engine, monkeypatch):
    r = type(engine.retriever)(engine.store, engine.embedder, engine.settings.replace(exact_search_max=1))
    assert r.exact() is None
    calls = []
    real = engine.store.search_ids
    monkeypatch.setattr(engine.store, "search_ids", lambda *a, **kw: calls.append(1) or real(*a, **kw))
    r.retrieve("refugees", n=3)
    assert calls


def test_the_same_ranking_in_two_processes(engine, tmp_path):
    script = ("import sys, json; sys.path.insert(0, 'tests'); from fakes import FakeEmbedder; "
              "from qa.engine import Engine; from qa.settings import Settings; from vectorstore.store import Store; "
              f"e = Engine(Settings.from_env({{}}, store={str(engine.store.path)!r}), store=Store({str(engine.store.path)!r}), "
              "embedder=FakeEmbedder()); "
              "print(json.dumps([[p.id for p in e.retriever.retrieve(q, n=8)] for q in "
              "['students in Russia', 'refugees', 'trade turnover', 'Brussels NATO']]))")
    root = Path(__file__).resolve().parents[2]
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=root, check=True).stdout
            for _ in range(2)]
    assert runs[0] == runs[1] and runs[0].startswith("[[")
