"""A real ingest in its own process (fake embedder, real Chroma), for the kill tests.

    python ingest_driver.py ROOT STORE [DELAY_PER_BATCH]

With QA_FAULT=POINT[@N] in the environment it SIGKILLs itself at that point (`vectorstore.faults`).
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from fakes import FakeEmbedder  # noqa: E402

import vectorstore.ingest  # noqa: E402
from vectorstore.ingest import Ingester  # noqa: E402
from vectorstore.store import Store  # noqa: E402


class SlowEmbedder(FakeEmbedder):
    def __init__(self, delay: float):
        super().__init__()
        self.delay = delay

    def embed(self, texts):
        time.sleep(self.delay)
        return super().embed(texts)


if __name__ == "__main__":
    root, store, delay = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
    vectorstore.ingest.METADATA_CHUNK = 2  # several re-labelling calls, so a kill can land between them
    print("started", flush=True)
    report = Ingester(Store(store), SlowEmbedder(delay), batch_size=4).run([root])
    print(report.paragraphs_added, flush=True)
