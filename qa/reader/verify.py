"""The answer verifier, an option (``QA_VERIFY=1``, off by default: README, "The answer verifier"):
a second reading of the answer the learned models chose, which can only lower its confidence.

The packaged MiniLM, fine-tuned (a LoRA adapter, `weights/verifier/`, trained by
`benchmarks/train_verifier.py`) as a classifier of the question paired with the sentence, the
answer marked in it: "is this span the answer?". Its logit and the answer model's confidence
are combined by a logistic regression fitted on dev + select, and the combination can only
veto: ``confidence' = min(confidence, combined)``, so the reader never answers where it would
have abstained at the same threshold. On first use the adapter is merged into the base weights
and exported to int8 ONNX in the cache folder, as the span adapter is.

>>> marked("About 11,000 Azerbaijani students study in Russia.", 0, 12)
'[[ About 11,000 ]] Azerbaijani students study in Russia.'
>>> Combiner(1.0, 1.0, 0.0).veto(0.9, -5.0) < 0.9 and Combiner(1.0, 1.0, 0.0).veto(0.3, 5.0) == 0.3
True
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Protocol

from qa.reader.models import WEIGHTS, platt

FOLDER = WEIGHTS / "verifier"
MAX_TOKENS = 160  # as trained


def marked(sentence: str, start: int, end: int) -> str:
    """The sentence with the answer span between [[ and ]]: the verifier's input, in training and use."""
    return f"{sentence[:start]}[[ {sentence[start:end]} ]]{sentence[end:]}"


@dataclass(frozen=True)
class Combiner:
    """P(right) = sigmoid(a * logit(confidence) + b * verifier logit + c), never above the confidence:
    `models.platt` with the verifier's term in its intercept."""

    a: float
    b: float
    c: float

    def veto(self, confidence: float, verifier: float) -> float:
        return min(confidence, platt(confidence, (self.a, self.b * verifier + self.c)))


class Verifier(Protocol):
    def veto(self, question: str, sentence: str, start: int, end: int, confidence: float) -> tuple[float, float]: ...


class AnswerVerifier:
    """``veto(question, sentence, start, end, confidence)`` -> (new confidence, verifier logit)."""

    def __init__(self, folder: Path = FOLDER, threads: int = 1):
        self.folder = Path(folder)
        self.threads = threads

    @cached_property
    def manifest(self) -> dict:
        return json.loads((self.folder / "manifest.json").read_text())

    @cached_property
    def combiner(self) -> Combiner:
        return Combiner(*self.manifest["combiner"])

    @cached_property
    def onnx_path(self) -> Path:
        from qa.reader.neural import exported

        return exported(self.folder, "verify")

    @cached_property
    def session(self):
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = self.threads  # one short pair per answer
        opts.inter_op_num_threads = 1
        return ort.InferenceSession(str(self.onnx_path), opts, providers=["CPUExecutionProvider"])

    @cached_property
    def tokenizer(self):
        from tokenizers import Tokenizer

        from vectorstore.embed import packaged_model_path

        tok = Tokenizer.from_file(str(packaged_model_path() / "tokenizer.json"))
        tok.enable_truncation(max_length=MAX_TOKENS)
        tok.no_padding()
        return tok

    def logit(self, question: str, sentence: str, start: int, end: int) -> float:
        import numpy as np

        enc = self.tokenizer.encode(question, marked(sentence, start, end))
        ids = np.array([enc.ids], dtype=np.int64)
        (out,) = self.session.run(["logits"], {"input_ids": ids, "attention_mask": np.ones_like(ids),
                                               "token_type_ids": np.array([enc.type_ids], dtype=np.int64)})
        return float(out[0][0])

    def veto(self, question: str, sentence: str, start: int, end: int, confidence: float) -> tuple[float, float]:
        v = self.logit(question, sentence, start, end)
        return self.combiner.veto(confidence, v), v


__all__ = ["AnswerVerifier", "Combiner", "Verifier", "marked"]
