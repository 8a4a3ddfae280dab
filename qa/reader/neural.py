"""Neural span scores: the packaged MiniLM fine-tuned as a SQuAD-2.0 style span extractor.

What ships is a 2.6 MB LoRA adapter (`weights/span_adapter/`, trained by
`benchmarks/neural_span/`); on first use it is merged into the packaged base weights and
exported to int8 ONNX in the cache folder, as the embedder is. Its scores are features of the
learned span and answer models, not answers: ``score`` is the start + end logit of a span minus
the "no answer" (CLS) logit, so a score above 0 means the model prefers the span to silence.

>>> span_features([(10, 22, 3.5), (0, 9, -1.0)], 10, 22)
[3.5, 3.5, 3.5]
"""

from __future__ import annotations

import hashlib
from functools import cached_property
from pathlib import Path
from typing import NamedTuple, Protocol, Sequence

import numpy as np

from qa.reader.models import WEIGHTS
from vectorstore.cache import cache_dir, digest
from vectorstore.embed import packaged_model_path, quiet_transformers
from vectorstore.onnx_embed import export_quantised

ADAPTER = WEIGHTS / "span_adapter"
MAX_TOKENS, STRIDE = 192, 64  # the windows the adapter was trained on
MAX_ANSWER_TOKENS = 30
TOP = 20       # spans kept per context (top 20 starts x top 20 ends are paired)
LOW = -20.0    # the score of a span the model does not propose

Spans = list[tuple[int, int, float]]  # (char start, char end, score), best first


class SpanScorer(Protocol):
    def scores(self, question: str, contexts: Sequence[str]) -> list[Spans]: ...


class SpanModel:
    """``scores(question, contexts)``: for each context its best spans, in one ONNX call.
    The model was trained with every token type 0 (peft's question-answering wrapper drops
    them), so it is fed zeros."""

    def __init__(self, adapter: Path = ADAPTER, onnx_path: Path | None = None, threads: int = 1):
        self.adapter = Path(adapter)
        self._onnx_path = Path(onnx_path) if onnx_path else None
        self.threads = threads

    @cached_property
    def onnx_path(self) -> Path:
        return self._onnx_path if self._onnx_path is not None else exported(self.adapter, "span")

    @cached_property
    def session(self):
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = self.threads  # 8 short sentences per question: one thread is enough
        opts.inter_op_num_threads = 1
        return ort.InferenceSession(str(self.onnx_path), opts, providers=["CPUExecutionProvider"])

    @cached_property
    def tokenizer(self):
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(packaged_model_path() / "tokenizer.json"))
        tok.enable_truncation(max_length=MAX_TOKENS, stride=STRIDE, strategy="only_second")
        tok.no_padding()
        return tok

    def scores(self, question: str, contexts: Sequence[str]) -> list[Spans]:
        if not contexts:
            return []
        windows, owner = [], []
        for c, context in enumerate(contexts):
            enc = self.tokenizer.encode(question, context)
            for w in [enc, *enc.overflowing]:
                windows.append(w)
                owner.append(c)
        width = max(len(w.ids) for w in windows)
        ids = np.zeros((len(windows), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for r, w in enumerate(windows):
            ids[r, :len(w.ids)] = w.ids
            mask[r, :len(w.ids)] = 1
        start, end = self.session.run(["start_logits", "end_logits"],
                                      {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})
        null = [np.inf] * len(contexts)  # a context's null score: the lowest over its windows
        for r, c in enumerate(owner):
            null[c] = min(null[c], float(start[r, 0] + end[r, 0]))
        best: list[dict[tuple[int, int], float]] = [{} for _ in contexts]
        for r, (w, c) in enumerate(zip(windows, owner)):
            ctx = np.array([i for i, s in enumerate(w.sequence_ids) if s == 1])
            if not len(ctx):
                continue
            s_logits, e_logits = start[r], end[r]
            starts = ctx[np.argsort(-s_logits[ctx])[:TOP]]
            ends = ctx[np.argsort(-e_logits[ctx])[:TOP]]
            for i in starts:
                for j in ends:
                    if j < i or j - i + 1 > MAX_ANSWER_TOKENS:
                        continue
                    key = (w.offsets[i][0], w.offsets[j][1])
                    score = float(s_logits[i] + e_logits[j]) - null[c]
                    if score > best[c].get(key, -np.inf):
                        best[c][key] = score
        return [sorted(((a, b, s) for (a, b), s in d.items()), key=lambda x: -x[2])[:TOP] for d in best]


def span_features(spans: Spans | None, start: int, end: int) -> list[float]:
    """neural_exact, neural_overlap, neural_contains of the candidate [start, end): the score of
    exactly this span, the best of spans overlapping it, the best of spans inside or around it.
    NaN when the sentence was not scored."""
    if spans is None:
        return [float("nan")] * 3
    exact = next((s for a, b, s in spans if a == start and b == end), LOW)
    overlap = max((s for a, b, s in spans if a < end and start < b), default=LOW)
    contains = max((s for a, b, s in spans if (start <= a and b <= end) or (a <= start and end <= b)), default=LOW)
    return [exact, overlap, contains]


class _Task(NamedTuple):
    """What an adapter fine-tunes: the transformers class, the head it trains from scratch, and the ONNX outputs."""

    model_class: str
    head: str
    options: dict
    outputs: dict


_TASKS = {
    "span": _Task("AutoModelForQuestionAnswering", "qa_outputs", {},
                  {"start_logits": lambda out: out.start_logits, "end_logits": lambda out: out.end_logits}),
    "verify": _Task("AutoModelForSequenceClassification", "classifier", {"num_labels": 1}, {"logits": lambda out: out.logits}),
}


def merged_model(adapter: Path, base: Path, task: str = "span"):
    """The base encoder with the LoRA deltas added (W += B @ A * alpha / r) and the adapter's
    head (the span head, or the verifier's classifier: `qa.reader.verify`), without peft: the
    adapter file is a plain safetensors of those tensors."""
    import json

    import torch
    import transformers
    from safetensors.torch import load_file

    quiet_transformers()
    spec = _TASKS[task]
    config = json.loads((adapter / "adapter_config.json").read_text())
    scale = config["lora_alpha"] / config["r"]
    model = getattr(transformers, spec.model_class).from_pretrained(str(base), attn_implementation="eager", **spec.options).eval()
    tensors = load_file(str(adapter / "adapter_model.safetensors"))
    prefix = "base_model.model."
    modules = dict(model.named_modules())
    with torch.no_grad():
        for key, a in tensors.items():
            if ".lora_A." not in key:
                continue
            name = key[len(prefix):].split(".lora_A.")[0]
            b = tensors[key.replace(".lora_A.", ".lora_B.")]
            modules[name].weight += (b @ a) * scale
        head = modules[spec.head]
        head.weight.copy_(tensors[f"{prefix}{spec.head}.weight"])
        head.bias.copy_(tensors[f"{prefix}{spec.head}.bias"])
    return model


def exported(adapter: Path, task: str) -> Path:
    """The int8 ONNX of ``adapter`` merged into the packaged MiniLM, exported once into the cache
    folder under a name that changes with the adapter's weights and the base package."""
    weights = adapter / "adapter_model.safetensors"
    base = packaged_model_path()
    stamp = f"{hashlib.sha256(weights.read_bytes()).hexdigest()}:{base.resolve()}:{(base / 'config.json').stat().st_mtime_ns}"
    folder = cache_dir("onnx") / f"minilm-{task}-{digest(stamp)}"
    path = folder / "model_int8.onnx"
    if not path.exists():
        export_int8(adapter, base, folder, task)
    return path


def export_int8(adapter: Path, base: Path, folder: Path, task: str = "span") -> None:
    """Merge, export to ONNX with torch, quantise per channel to int8 (per tensor lost about
    6 F1 points; benchmarks/neural_span/RESULTS.md)."""
    export_quantised(merged_model(adapter, base, task), folder, _TASKS[task].outputs, per_channel=True)
