"""Shared fixtures: a fake embedder and tmp-dir stores for unit tests; the real corpus
store (built once per session with the real model) for the `slow` tests."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from fakes import FakeEmbedder  # noqa: E402

from qa.engine import Engine  # noqa: E402
from qa.settings import Settings  # noqa: E402
from vectorstore.ingest import Ingester  # noqa: E402
from vectorstore.store import Store  # noqa: E402

CORPUS = ROOT / "data" / "transcripts"
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture
def embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "store")


@pytest.fixture
def ingester(store, embedder) -> Ingester:
    return Ingester(store, embedder, batch_size=8)


@pytest.fixture
def fake_engine(tmp_path, store, embedder):
    """An engine over a tmp store with the fake embedder; ingest with ``engine.ingester()``."""
    settings = Settings.from_env({}, store=str(store.path))
    return Engine(settings, store=store, embedder=embedder)


@pytest.fixture
def fixture_engine(fake_engine, tmp_path):
    """`fake_engine` with a copy of tests/fixtures/transcripts ingested."""
    root = tmp_path / "t"
    shutil.copytree(FIXTURES / "transcripts", root)
    fake_engine.ingester().run([root])
    return fake_engine


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory) -> Path:
    """The bundled corpus ingested with the real model, once per test session.

    QA_TEST_CORPUS_STORE=DIR reuses a copy of a store already built from data/transcripts
    with the default settings (a shortcut for local iteration; CI always ingests).
    """
    path = tmp_path_factory.mktemp("corpus") / "store"
    prebuilt = os.environ.get("QA_TEST_CORPUS_STORE")
    if prebuilt:
        import shutil

        shutil.copytree(prebuilt, path)
        return path
    engine = Engine(Settings.from_env({}, store=str(path)))
    report = engine.ingester().run([CORPUS])
    assert report.files_read == 243 and not report.files_skipped, report.files_skipped
    return path


@pytest.fixture(scope="session")
def corpus_engine(corpus_store) -> Engine:
    return Engine(Settings.from_env({}, store=str(corpus_store)))
