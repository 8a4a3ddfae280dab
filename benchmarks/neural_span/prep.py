"""Build examples: train / holdout (10% of train documents) / dev factoid / squad subset."""
import glob, os, json, random, time, collections
os.environ["OMP_NUM_THREADS"] = "1"; os.environ["MKL_NUM_THREADS"] = "1"
from common import *
t0 = time.time()
tok = tokenizer()
corpus = Corpus()
tr = read_jsonl(f"{MAIN}/data/gold/train.jsonl")
dv = [d for d in read_jsonl(f"{MAIN}/data/gold/dev.jsonl") if "answer_kind" not in d]
tr_ex = [gold_example(tok, d, corpus) for d in tr]
dv_ex = [gold_example(tok, d, corpus) for d in dv]
for e, d in zip(dv_ex, dv):
    e["kind"] = d.get("kind"); e["type"] = d.get("type")
groups = sorted(set(e["group"] for e in tr_ex))
rng = random.Random(13); rng.shuffle(groups)
hold = set(groups[: round(0.1 * len(groups))])
train = [e for e in tr_ex if e["group"] not in hold]
held = [e for e in tr_ex if e["group"] in hold]
sq = json.load(open(f"{MAIN}/data/squad/squad2-dev-subset.json"))
sq_ex = []
for a in sq["data"]:
    for p in a["paragraphs"]:
        for q in p["qas"]:
            ans = [] if q.get("is_impossible") else [x["text"] for x in q["answers"]]
            sq_ex.append(dict(id=q["id"], question=q["question"], context=p["context"], answers=ans))
out = os.path.join(WORK, "data")
for n, x in [("train", train), ("holdout", held), ("dev", dv_ex), ("squad", sq_ex)]:
    json.dump(x, open(f"{out}/{n}.json", "w"))
    print(n, len(x), "answerable", sum(1 for e in x if e["answers"]), "unanswerable", sum(1 for e in x if not e["answers"]))
# extra.json: more span-training questions that the reader itself does not train on: the 895 of
# train_more.jsonl (crossfit.py keeps each out of the fold adapter of its context's document) and the
# 960 encyclopedic questions (in every fold's training)
# NEURAL_SPAN_ALSO=FILE[,FILE...] adds more gold files to it (an experiment, e.g. data/gold/extra/train_roles.jsonl).
also = [f for f in os.environ.get("NEURAL_SPAN_ALSO", "").split(",") if f]
extra = [gold_example(tok, d, corpus) for f in ["data/gold/extra/train_more.jsonl", *also] for d in read_jsonl(f"{MAIN}/{f}")]
for path in sorted(glob.glob(f"{MAIN}/data/gold/extra/wiki/slice-*.json")):
    extra += squad_examples(tok, path)
json.dump(extra, open(f"{out}/extra.json", "w"))
print("extra", len(extra), "answerable", sum(1 for e in extra if e["answers"]), "unanswerable", sum(1 for e in extra if not e["answers"]))
print("holdout docs", len(hold), "of", len(groups))
L = [len(tok(e["question"], e["context"])["input_ids"]) for e in tr_ex]
import numpy as np; print("train input tokens: mean %.0f median %.0f max %d >192: %d" % (np.mean(L), np.median(L), max(L), sum(l > 192 for l in L)))
print("prep secs %.1f" % (time.time() - t0))
