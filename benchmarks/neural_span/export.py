"""Merge LoRA adapter into base, export to ONNX (fp32), dynamic-quantise to int8, benchmark speed.
``load_merged`` / ``export_onnx`` are reused by crossfit.py (which skips the benchmark)."""
import os, sys, json, time, argparse
os.environ["OMP_NUM_THREADS"] = "1"; os.environ["MKL_NUM_THREADS"] = "1"; os.environ["HF_HUB_OFFLINE"] = "1"
import numpy as np, torch
torch.set_num_threads(1)
from common import *
from transformers import AutoModelForQuestionAnswering


def load_merged(adapter=None, full=None):
    if full:
        model = AutoModelForQuestionAnswering.from_pretrained(full, attn_implementation="eager")
    else:
        from peft import PeftModel
        model = PeftModel.from_pretrained(AutoModelForQuestionAnswering.from_pretrained(base_path(), attn_implementation="eager"), adapter)
        model = model.merge_and_unload()
    model.eval()
    return model


class W(torch.nn.Module):
    def __init__(s, m): super().__init__(); s.m = m
    def forward(s, input_ids, attention_mask, token_type_ids):
        o = s.m(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
        return o.start_logits, o.end_logits


def export_onnx(model, tok, outdir, t0=None):
    """-> (fp32 path, int8 path, timing/size dict). int8 = dynamic QInt8, per channel."""
    t0 = time.time() if t0 is None else t0
    enc = tok(["what is it?"] * 2, ["a context sentence of some length here."] * 2, return_tensors="pt", padding="max_length", max_length=192)
    inp = (enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])
    fp32 = f"{outdir}/model.onnx"; int8 = f"{outdir}/model.int8.onnx"
    ax = {0: "batch", 1: "seq"}
    torch.onnx.export(W(model), inp, fp32, dynamo=False, input_names=["input_ids", "attention_mask", "token_type_ids"],
                      output_names=["start_logits", "end_logits"], opset_version=17,
                      dynamic_axes={"input_ids": ax, "attention_mask": ax, "token_type_ids": ax, "start_logits": ax, "end_logits": ax})
    t_exp = time.time() - t0
    model.eval()  # export restores the wrapper's (training) mode recursively -> put back to eval
    from onnxruntime.quantization import quantize_dynamic, QuantType
    t1 = time.time()
    quantize_dynamic(fp32, int8, weight_type=QuantType.QInt8, per_channel=True)  # per-tensor lost ~6 F1 on holdout, see quant_variants.py
    t_q = time.time() - t1
    res = dict(export_secs=t_exp, quantise_secs=t_q, fp32_mb=os.path.getsize(fp32) / 1e6, int8_mb=os.path.getsize(int8) / 1e6)
    return fp32, int8, res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--adapter", default=os.path.join(WORK, "adapter"))
    ap.add_argument("--full")
    ap.add_argument("--outdir", default=os.path.join(WORK, "onnx"))
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    tok = tokenizer()
    t0 = time.time()
    model = load_merged(args.adapter, args.full)
    fp32, int8, res = export_onnx(model, tok, args.outdir, t0)
    print(res, flush=True)

    # parity check + speed at 192 tokens, batch 16, 1 thread
    rng = np.random.default_rng(0)
    B, T = 16, 192
    ids = rng.integers(1000, 20000, size=(B, T)).astype(np.int64); ids[:, 0] = 101; ids[:, 20] = 102; ids[:, -1] = 102
    tt = np.zeros((B, T), np.int64); tt[:, 21:] = 1
    batch = dict(input_ids=ids, attention_mask=np.ones((B, T), np.int64), token_type_ids=tt)
    runs = {"torch_fp32": torch_runner(model), "onnx_fp32": onnx_runner(fp32), "onnx_int8": onnx_runner(int8)}
    ref = runs["torch_fp32"](batch)
    for name, run in runs.items():
        out = run(batch)
        run(batch)  # warm
        n = 0; t = time.time()
        while time.time() - t < 15:
            run(batch); n += B
        res[f"{name}_windows_per_s"] = n / (time.time() - t)
        res[f"{name}_max_abs_diff_vs_torch"] = float(max(np.abs(out[0] - ref[0]).max(), np.abs(out[1] - ref[1]).max()))
        print(name, res[f"{name}_windows_per_s"], res[f"{name}_max_abs_diff_vs_torch"], flush=True)
    json.dump(res, open(f"{args.outdir}/export_results.json", "w"), indent=1)


if __name__ == "__main__":
    main()
