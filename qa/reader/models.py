"""The reader's three learned models: LightGBM text files in `qa/reader/weights/`, with
`manifest.json` recording what they were trained from (hashes of the data, features and
settings), the calibration of the answer model and the dev metrics.

>>> Models().available("no-such-model")
False
"""

from __future__ import annotations

import hashlib
import json
import math
from functools import cached_property
from pathlib import Path
from typing import Sequence

WEIGHTS = Path(__file__).with_name("weights")
NAMES = ("sentence", "span", "answer")


class Models:
    """Loaded lazily, once; ``predict`` returns None for a model that is not there, so the
    reader still works (with its fallback scores) while the models are being trained."""

    def __init__(self, folder: Path = WEIGHTS):
        self.folder = Path(folder)
        self._boosters: dict[str, object] = {}

    def available(self, name: str) -> bool:
        return (self.folder / f"{name}.txt").is_file()

    @cached_property
    def manifest(self) -> dict:
        path = self.folder / "manifest.json"
        return json.loads(path.read_text()) if path.is_file() else {}

    def booster(self, name: str):
        if name not in self._boosters:
            import lightgbm

            self._boosters[name] = lightgbm.Booster(model_file=str(self.folder / f"{name}.txt"))
        return self._boosters[name]

    def predict(self, name: str, rows: Sequence[Sequence[float]]) -> list[float] | None:
        """P(positive) for each row, or None when the model file is missing."""
        if not self.available(name):
            return None
        if not rows:
            return []
        import numpy as np

        raw = self.booster(name).predict(np.asarray(rows, dtype=np.float64), num_threads=1)
        if name == "answer":  # Platt scaling fitted on out-of-fold predictions
            ab = self.manifest.get("calibration", {}).get("platt", [1.0, 0.0])
            return [platt(p, ab) for p in raw]
        return [float(p) for p in raw]


def logit(p: float) -> float:
    """log(p / (1 - p)), with p kept off 0 and 1."""
    p = min(max(float(p), 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def platt(p: float, ab: Sequence[float]) -> float:
    """sigmoid(a * logit(p) + b): a probability recalibrated with Platt's (a, b)."""
    return 1.0 / (1.0 + math.exp(-(ab[0] * logit(p) + ab[1])))


def file_hash(*paths: Path) -> str:
    """Hash of the files' bytes. In a gold ``.jsonl`` file, list and statement questions (lines with
    ``answer_kind``) are left out: they are answered without the reader, so adding them leaves
    the models current."""
    h = hashlib.sha256()
    for p in paths:
        data = Path(p).read_bytes()
        if Path(p).suffix == ".jsonl":
            data = b"".join(ln for ln in data.splitlines(keepends=True) if b'"answer_kind"' not in ln)
        h.update(data)
    return h.hexdigest()[:16]
