"""Client–server mode against a real `chroma run` server on loopback."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from fakes import FakeEmbedder

from qa.engine import Engine
from qa.errors import StoreError
from qa.settings import Settings
from vectorstore.ingest import Ingester
from vectorstore.store import Store

FIX = Path(__file__).resolve().parents[1] / "fixtures"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    exe = Path(sys.executable).with_name("chroma")
    port = free_port()
    proc = subprocess.Popen([str(exe if exe.exists() else "chroma"), "run", "--path", str(tmp_path / "server"),
                             "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(url + "/api/v2/heartbeat", timeout=1)
            break
        except OSError:
            time.sleep(0.25)
    else:
        proc.kill()
        pytest.fail("chroma run did not start")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def test_ingest_and_answer_through_a_chroma_server(chroma_server, tmp_path):
    root = tmp_path / "t"
    shutil.copytree(FIX / "transcripts", root)
    store = Store(url=chroma_server)
    report = Ingester(store, FakeEmbedder()).run([root])
    assert report.files_read == 4 and report.paragraphs_added > 10
    again = Ingester(Store(url=chroma_server), FakeEmbedder()).run([root])
    assert again.paragraphs_added == 0 and again.paragraphs_removed == 0

    # Abstention off: the fake embedder makes confidence meaningless; this test is about the server.
    engine = Engine(Settings.from_env({}, chroma_url=chroma_server, min_confidence=0.0), embedder=FakeEmbedder())
    a = engine.answer("How many Azerbaijani students study in Russia?")
    assert "11,000" in a.text
    assert engine.store.where == chroma_server
    assert not (Path(os.getcwd()) / "bm25").exists()  # nothing is cached beside a remote store


def test_unreachable_server_is_a_clear_error():
    store = Store(url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(StoreError, match="Cannot open the store at http://127.0.0.1"):
        store.open_for_write("m")
