"""Evaluate a trained model (LoRA adapter or full model dir, or ONNX file) on holdout, dev factoid, SQuAD subset."""
import os, sys, json, time, argparse
os.environ["OMP_NUM_THREADS"] = "1"; os.environ["MKL_NUM_THREADS"] = "1"; os.environ["HF_HUB_OFFLINE"] = "1"
import torch
torch.set_num_threads(1)
from common import *
ap = argparse.ArgumentParser()
ap.add_argument("--adapter"); ap.add_argument("--full"); ap.add_argument("--onnx")
ap.add_argument("--name", required=True)
ap.add_argument("--zero_tt", action="store_true", help="feed token_type_ids=0 (as the peft QUESTION_ANS wrapper did in training)")
args = ap.parse_args()
tok = tokenizer()
if args.onnx:
    run = onnx_runner(args.onnx, args.zero_tt)
else:
    from transformers import AutoModelForQuestionAnswering
    if args.adapter:
        from peft import PeftModel
        model = PeftModel.from_pretrained(AutoModelForQuestionAnswering.from_pretrained(base_path()), args.adapter)
        model = model.merge_and_unload()
    else:
        model = AutoModelForQuestionAnswering.from_pretrained(args.full)
    model.eval(); run = torch_runner(model, args.zero_tt)
D = os.path.join(WORK, "data")
res = {}
for split in ("holdout", "dev", "squad"):
    exs = json.load(open(f"{D}/{split}.json"))
    t0 = time.time()
    preds = predict(run, tok, exs)
    m = score(preds, exs); m["secs"] = time.time() - t0
    res[split] = m
    print(split, json.dumps(m), flush=True)
    json.dump({e["id"]: dict(question=e["question"], gold=e["answers"], pred=preds[e["id"]][0], score=preds[e["id"]][1])
               for e in exs}, open(f"{WORK}/preds_{args.name}_{split}.json", "w"), indent=1)
json.dump(res, open(f"{WORK}/results_{args.name}.json", "w"), indent=1)
