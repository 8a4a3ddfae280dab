"""The same MiniLM weights, exported once to ONNX and quantised to int8 (about 1.4x faster
on 2 CPU cores; see README "Speed"). The export lands in a cache folder, never in the repo.

int8 vectors differ slightly from fp32 ones, so a store built with one is refused by
the other: the embedder's name says which runtime made the vectors.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from functools import cached_property
from pathlib import Path
from typing import Sequence

import numpy as np

from vectorstore.cache import building, cache_dir, digest
from vectorstore.embed import PACKAGED_MODEL, packaged_model_path, quiet_transformers

SUFFIX = "+onnx-int8"


class OnnxEmbedder:
    def __init__(self, model_dir: str | Path | None = None, batch_size: int = 64):
        self.model_dir = Path(model_dir) if model_dir else None
        self.name = (self.model_dir.name if self.model_dir else PACKAGED_MODEL) + SUFFIX
        self.batch_size = batch_size

    @property
    def source_dir(self) -> Path:
        return self.model_dir or packaged_model_path()

    @cached_property
    def onnx_path(self) -> Path:
        """The int8 model, exported on first use into the cache folder."""
        src = self.source_dir
        stamp = f"{src.resolve()}:{(src / 'config.json').stat().st_mtime_ns}"
        folder = cache_dir("onnx") / (self.name.replace("/", "_") + "-" + digest(stamp))
        path = folder / "model_int8.onnx"
        if not path.exists():
            export_int8(src, folder)
        return path

    @cached_property
    def session(self):
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = os.cpu_count() or 2
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        return ort.InferenceSession(str(self.onnx_path), opts, providers=["CPUExecutionProvider"])

    @cached_property
    def tokenizer(self):
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(self.source_dir / "tokenizer.json"))
        tok.enable_truncation(max_length=self.max_tokens)
        tok.no_padding()
        return tok

    @cached_property
    def max_tokens(self) -> int:
        cfg = self.source_dir / "sentence_bert_config.json"
        return int(json.loads(cfg.read_text()).get("max_seq_length", 256)) if cfg.exists() else 256

    @property
    def dim(self) -> int:
        return int(self.embed(["dimension probe"]).shape[1])

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        from tokenizers import Tokenizer

        tok = getattr(self, "_counter", None)
        if tok is None:
            tok = self._counter = Tokenizer.from_file(str(self.source_dir / "tokenizer.json"))
            tok.no_truncation()
            tok.no_padding()
        return [len(e.ids) - 2 for e in tok.encode_batch(list(texts))]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(texts)
        order = np.argsort([len(e.ids) for e in encodings])  # batch by length: little padding
        rows: dict[int, np.ndarray] = {}
        for i in range(0, len(order), self.batch_size):
            idx = order[i:i + self.batch_size]
            batch = [encodings[j] for j in idx]
            width = max(len(e.ids) for e in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for r, e in enumerate(batch):
                ids[r, :len(e.ids)] = e.ids
                mask[r, :len(e.ids)] = 1
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
            summed = (hidden * mask[..., None]).sum(axis=1)
            vecs = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
            vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
            for j, v in zip(idx, vecs):
                rows[int(j)] = v
        return np.stack([rows[i] for i in range(len(texts))]).astype(np.float32)


def export_int8(model_dir: Path, folder: Path) -> None:
    """Export the transformer to ONNX with torch, then quantise its weights to int8."""
    from transformers import AutoModel

    quiet_transformers()
    model = AutoModel.from_pretrained(str(model_dir)).eval()
    export_quantised(model, folder, {"last_hidden_state": lambda out: out.last_hidden_state})


def export_quantised(model, folder: Path, outputs: dict, per_channel: bool = False) -> None:
    """A BERT-style ``model`` as ``folder/model_int8.onnx``: traced with inputs input_ids,
    attention_mask, token_type_ids (dynamic batch and token axes), the named ``outputs`` picked
    from its output by each function, weights quantised to int8. Built in a private folder
    (`vectorstore.cache.building`), so a half-written export is never used. The reader's span
    model (`qa.reader.neural`) is exported here too."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    class Traced(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return tuple(pick(out) for pick in outputs.values())

    inputs = ["input_ids", "attention_mask", "token_type_ids"]
    ids = torch.ones((2, 8), dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    with building(folder) as tmp:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer chatter about shapes that are dynamic axes anyway
            torch.onnx.export(
                Traced(model), (ids, torch.ones_like(ids), torch.zeros_like(ids)), str(tmp / "model.onnx"),
                input_names=inputs, output_names=list(outputs), dynamic_axes={n: axes for n in [*inputs, *outputs]},
                opset_version=17, dynamo=False,
            )
        root, level = logging.getLogger(), logging.getLogger().level
        root.setLevel(logging.ERROR)  # the quantizer logs a pre-processing hint on the root logger
        try:
            quantize_dynamic(str(tmp / "model.onnx"), str(tmp / "model_int8.onnx"), weight_type=QuantType.QInt8,
                             per_channel=per_channel)
        finally:
            root.setLevel(level)
        (tmp / "model.onnx").unlink()
