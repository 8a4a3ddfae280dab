"""Score span_model.span_scores (int8 ONNX, one question per call = what the project would run) on
holdout / dev / SQuAD subset; compare with evaluate.py's batched int8 predictions; time it.
(Dynamic int8 quantisation scales activations per batch tensor, so batched scores differ slightly.)"""
import os, json, time
os.environ["OMP_NUM_THREADS"] = "1"
from span_model import span_scores
from common import score
res = {}
for split in ("holdout", "dev", "squad"):
    exs = json.load(open(f"data/{split}.json")); P = json.load(open(f"preds_lora_zerott_int8_{split}.json"))
    t = time.time(); preds = {}; agree = 0
    for e in exs:
        s = span_scores(e["question"], e["context"])
        preds[e["id"]] = (e["context"][s[0][0]:s[0][1]], s[0][2], s) if s else ("", -1e9, [])
        agree += preds[e["id"]][0] == P[e["id"]]["pred"]
    m = score(preds, exs); m["questions_per_s"] = len(exs) / (time.time() - t); m["same_top_span_as_batched"] = agree / len(exs)
    res[split] = m; print(split, json.dumps(m), flush=True)
    if split == "dev":
        json.dump({e["id"]: dict(question=e["question"], gold=e["answers"], pred=preds[e["id"]][0], score=preds[e["id"]][1])
                   for e in exs}, open("preds_span_model_dev.json", "w"), indent=1)
json.dump(res, open("results_span_model_int8.json", "w"), indent=1)
