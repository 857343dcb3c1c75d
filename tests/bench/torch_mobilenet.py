#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The PyTorch peer of bench-image: the same converted network
# (data/models/mobilenetv2.safetensors: uint8 weights, their (min, scale) in
# the metadata, BatchNorm folded here as the engine folds it) run by
# PyTorch on the same picture: Pillow decodes it (scaled, as libjpeg lets
# both do), resizes it to 224 x 224 with a box filter, then the network up
# to block 10 and the average over the picture.
#   torch_mobilenet.py IMAGE [THREADS]
# Prints one JSON line.
import json
import os
import statistics
import struct
import sys
import time

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, "..", "..", "data", "models", "mobilenetv2.safetensors")
FEATURE_LAYER = "block_10_project_BN"
RUNS, WARMUPS = 50, 3


def read_model(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        blob = f.read()
    meta = header.pop("__metadata__")
    quant = json.loads(meta["quantization"])
    tensors = {}
    for name, t in header.items():
        lo, hi = t["data_offsets"]
        raw = np.frombuffer(blob[lo:hi], np.uint8).reshape(t["shape"])
        q_min, q_scale = (float(v) for v in quant[name])
        tensors[name] = torch.from_numpy((raw.astype(np.float64) * q_scale + q_min)
                                         .astype(np.float32))
    return json.loads(meta["architecture"]), tensors


def build(architecture, tensors, last):
    """[(op, conv module or None)] up to the op named @last."""
    ops = []
    for op in architecture["ops"]:
        module = None
        if op["type"] in ("conv", "depthwise"):
            w = tensors[op["kernel"]]
            bn = op["batchnorm"]
            scale = tensors[bn + "/gamma"].double() / torch.sqrt(
                tensors[bn + "/moving_variance"].double() + op["epsilon"])
            weight = (w.double() * scale.view(-1, 1, 1, 1)).float()
            bias = (tensors[bn + "/beta"].double()
                    - tensors[bn + "/moving_mean"].double() * scale).float()
            groups = weight.shape[0] if op["type"] == "depthwise" else 1
            module = torch.nn.Conv2d(weight.shape[1] * groups, weight.shape[0], op["size"],
                                     stride=op["stride"], groups=groups)
            module.weight.data, module.bias.data = weight, bias
        ops.append((op, module))
        if op["name"] == last:
            break
    return ops


def forward(ops, x):
    out = {"input": x}
    for op, module in ops:
        if op["type"] == "add":
            y = out[op["inputs"][0]] + out[op["inputs"][1]]
        else:
            y = out[op["input"]]
            if module is not None:
                t, b, l, r = op["pad"]
                y = module(torch.nn.functional.pad(y, (l, r, t, b)))
                if op["activation"] == "relu6":
                    y = torch.nn.functional.relu6(y)
        out[op["name"]] = y
    return y.mean(dim=(2, 3))


def main():
    path = sys.argv[1]
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else os.cpu_count()
    torch.set_num_threads(threads)
    architecture, tensors = read_model(MODEL)
    ops = build(architecture, tensors, FEATURE_LAYER)
    totals, decodes = [], []
    with torch.no_grad():
        for i in range(-WARMUPS, RUNS):
            t0 = time.perf_counter()
            with Image.open(path) as im:
                im.draft("RGB", (448, 448))
                im = im.convert("RGB")
                size = im.size
                t1 = time.perf_counter()
                im = im.resize((224, 224), Image.BOX)
            x = torch.from_numpy(np.asarray(im, np.float32) / 255).permute(2, 0, 1)[None]
            features = forward(ops, x)
            t2 = time.perf_counter()
            if i >= 0:
                decodes.append((t1 - t0) * 1000)
                totals.append((t2 - t0) * 1000)
    print(json.dumps({"decode_infer_ms": statistics.median(totals),
                      "decode_ms": statistics.median(decodes), "decoded": list(size),
                      "features": int(features.shape[1]), "threads": threads,
                      "torch": torch.__version__,
                      "checksum": float(features[0, 0] + features[0, -1])}))


if __name__ == "__main__":
    main()
