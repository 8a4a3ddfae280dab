"""Try int8 dynamic-quantisation variants; choose on the HOLDOUT split only."""
import os, json, time
os.environ["OMP_NUM_THREADS"] = "1"; os.environ["MKL_NUM_THREADS"] = "1"
import numpy as np
from common import *
from onnxruntime.quantization import quantize_dynamic, QuantType
tok = tokenizer()
held = json.load(open("data/holdout.json"))
V = {
  "default": dict(),
  "per_channel": dict(per_channel=True),
  "matmul_only": dict(op_types_to_quantize=["MatMul"]),
  "matmul_only_per_channel": dict(op_types_to_quantize=["MatMul"], per_channel=True),
  "matmul_only_reduce_range": dict(op_types_to_quantize=["MatMul"], reduce_range=True),
}
res = {}
for n, kw in V.items():
    out = f"onnx/variant_{n}.onnx"
    quantize_dynamic("onnx/model.onnx", out, weight_type=QuantType.QInt8, **kw)
    m = score(predict(onnx_runner(out, zero_tt=True), tok, held), held)
    res[n] = dict(kw=str(kw), mb=os.path.getsize(out) / 1e6, holdout_F1_never_abstain=m["ans_F1_never_abstain"], holdout_overall_F1=m["overall_F1_with_null"])
    print(n, res[n], flush=True)
json.dump(res, open("onnx/quant_variants.json", "w"), indent=1)
