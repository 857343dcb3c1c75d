#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Writes the PyTorch reference tensors that tests/nn/test-nn-reference.c
# compares the engine against: forward outputs of every layer, losses, every
# gradient, and 10 steps of each optimizer, for a small MLP and a small CNN
# with fixed inputs and weights. Run with Debian's python3-torch:
#   /usr/bin/python3 tests/reference/make_nn_reference.py
# The outputs are small safetensors files under tests/fixtures/nn/, written
# by the tiny writer below (python3-safetensors is not in Debian 12), and are
# committed so that the tests need no torch.
import json
import os
import struct
import sys

import torch
import torch.nn as nn

torch.manual_seed(1234)
torch.set_num_threads(1)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "nn")


def write_safetensors(path, tensors, metadata):
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name, t in tensors.items():
        t = t.detach().to(torch.float32).contiguous()
        raw = struct.pack("<%df" % t.numel(), *t.flatten().tolist())
        header[name] = {"dtype": "F32", "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":"))
    text += " " * (-len(text) % 8)
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text.encode())
        for raw in blobs:
            f.write(raw)
    os.replace(path + ".tmp", path)
    print(f"wrote {os.path.relpath(path)} ({len(tensors)} tensors)")


def randomize(model):
    # non-trivial BN affine parameters, so their gradients are checked
    with torch.no_grad():
        for m in model:
            if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.5, 0.5)


def dump_network(model, x, target, loss_fn, prefix=""):
    # "layers.<i>.<param>" as named by the engine; outputs, loss, gradients
    out = {}
    params = {f"layers.{k}": v.detach().clone() for k, v in model.state_dict().items()
              if not k.endswith("num_batches_tracked")}
    out.update(params)
    x = x.clone().requires_grad_(True)
    h, acts = x, []
    for m in model:
        h = m(h)
        h.retain_grad()
        acts.append(h)
    loss = loss_fn(h, target)
    loss.backward()
    out["x"] = x.detach()
    out["target"] = target
    out["loss"] = loss.detach().reshape(1)
    out["grad.x"] = x.grad
    for i, a in enumerate(acts):
        out[f"out.{i}"] = a.detach()
    for k, p in model.named_parameters():
        out[f"grad.layers.{k}"] = p.grad.detach()
    for k, v in model.state_dict().items():
        if "running" in k:
            out[f"after.layers.{k}"] = v.detach().clone()
    return out


def mlp():
    # ReLU before BN: a bias right before BN has a zero gradient, and Adam
    # would amplify rounding noise in it into full steps
    return nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.BatchNorm1d(8), nn.Dropout(0.0),
                         nn.Linear(8, 3), nn.Tanh())


def main():
    os.makedirs(OUT, exist_ok=True)
    meta = {"generator": "tests/reference/make_nn_reference.py",
            "torch": torch.__version__}

    # 1. MLP: Dense/BN/ReLU/Dropout(off)/Dense/Tanh, MSE
    model = mlp()
    randomize(model)
    x = torch.randn(6, 5)
    target = torch.rand(6, 3) * 2 - 1
    init = {k: v.clone() for k, v in model.state_dict().items()}
    tensors = dump_network(model, x, target, nn.MSELoss())

    # 10 steps of each optimizer from the same start, on the same batch
    optimizers = {
        "sgd": lambda p: torch.optim.SGD(p, lr=0.05, weight_decay=0.01),
        "momentum": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, weight_decay=0.01),
        "nesterov": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True,
                                              weight_decay=0.01),
        "rmsprop": lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.99, eps=1e-8,
                                                 weight_decay=0.01),
        "adam": lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.01),
        "adamw": lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.01),
    }
    for name, make in optimizers.items():
        m = mlp()
        m.load_state_dict(init)
        opt = make(m.parameters())
        for _ in range(10):
            opt.zero_grad()
            loss = nn.MSELoss()(m(x), target)
            loss.backward()
            opt.step()
        for k, v in m.state_dict().items():
            if not k.endswith("num_batches_tracked"):
                tensors[f"{name}.layers.{k}"] = v.detach().clone()
    write_safetensors(os.path.join(OUT, "reference-mlp.safetensors"), tensors, meta)

    # 2. CNN: Conv same/BN2d/ReLU/MaxPool/Conv valid/Flatten/Dense/Sigmoid, BCE
    cnn = nn.Sequential(nn.Conv2d(3, 4, 3, padding="same"), nn.BatchNorm2d(4), nn.ReLU(),
                        nn.MaxPool2d(2), nn.Conv2d(4, 3, 3, stride=1), nn.Flatten(),
                        nn.Linear(12, 2), nn.Sigmoid())
    randomize(cnn)
    x = torch.randn(2, 3, 8, 8)
    target = torch.rand(2, 2)
    tensors = dump_network(cnn, x, target, nn.BCELoss())
    write_safetensors(os.path.join(OUT, "reference-cnn.safetensors"), tensors, meta)

    # 3. Every activation and loss on its own
    tensors = {}
    x = torch.randn(4, 5) * 2
    r = torch.randn(4, 5)
    acts = {"linear": nn.Identity(), "relu": nn.ReLU(), "leaky_relu": nn.LeakyReLU(0.01),
            "elu": nn.ELU(1.0), "gelu": nn.GELU(), "tanh": nn.Tanh(), "sigmoid": nn.Sigmoid(),
            "relu6": nn.ReLU6()}
    tensors["act.x"] = x
    tensors["act.dout"] = r
    for name, fn in acts.items():
        xi = x.clone().requires_grad_(True)
        y = fn(xi)
        (y * r).sum().backward()
        tensors[f"act.{name}.out"] = y.detach()
        tensors[f"act.{name}.grad"] = xi.grad
    pred = torch.rand(3, 4) * 0.9 + 0.05
    pred[0, :2] += 2.0  # beyond Huber's delta
    target = torch.rand(3, 4)
    tensors["loss.pred"] = pred
    tensors["loss.target"] = target
    losses = {"mse": nn.MSELoss(), "mae": nn.L1Loss(), "huber": nn.HuberLoss(delta=1.0),
              "bce": nn.BCELoss()}
    for name, fn in losses.items():
        p = pred.clone()
        if name == "bce":
            p = p.clamp(0.05, 0.95)
        p.requires_grad_(True)
        loss = fn(p, target)
        loss.backward()
        tensors[f"loss.{name}.pred"] = p.detach()
        tensors[f"loss.{name}.value"] = loss.detach().reshape(1)
        tensors[f"loss.{name}.grad"] = p.grad
    # 4. The image backbone's layers (MobileNetV2): depthwise 3x3 at stride
    # 1 ("same") and 2 with Keras' asymmetric padding (0 before, 1 after), a
    # full convolution with that padding, the residual add and the global
    # average pool; forward and every gradient against a random upstream.
    x = torch.randn(2, 3, 7, 8)
    for label, stride, pad in (("dw1", 1, (1, 1, 1, 1)), ("dw2", 2, (0, 1, 0, 1))):
        w = torch.randn(3, 1, 3, 3)
        b = torch.randn(3)
        xi, wi, bi = (t.clone().requires_grad_(True) for t in (x, w, b))
        # F.pad takes (left, right, top, bottom); ours is (top, bottom, left, right)
        y = torch.nn.functional.conv2d(torch.nn.functional.pad(xi, (pad[2], pad[3], pad[0], pad[1])),
                                       wi, bi, stride=stride, groups=3)
        r = torch.randn(y.shape)
        (y * r).sum().backward()
        tensors.update({f"{label}.x": x, f"{label}.weight": w, f"{label}.bias": b,
                        f"{label}.out": y.detach(), f"{label}.dout": r,
                        f"{label}.grad.x": xi.grad, f"{label}.grad.weight": wi.grad,
                        f"{label}.grad.bias": bi.grad})
    w = torch.randn(4, 3, 3, 3)
    b = torch.randn(4)
    xi, wi, bi = (t.clone().requires_grad_(True) for t in (x, w, b))
    y = torch.nn.functional.conv2d(torch.nn.functional.pad(xi, (0, 1, 0, 1)), wi, bi, stride=2)
    r = torch.randn(y.shape)
    (y * r).sum().backward()
    tensors.update({"convpad.x": x, "convpad.weight": w, "convpad.bias": b,
                    "convpad.out": y.detach(), "convpad.dout": r, "convpad.grad.x": xi.grad,
                    "convpad.grad.weight": wi.grad, "convpad.grad.bias": bi.grad})
    xi = x.clone().requires_grad_(True)
    y = xi.mean(dim=(2, 3))
    r = torch.randn(y.shape)
    (y * r).sum().backward()
    tensors.update({"gap.out": y.detach(), "gap.dout": r, "gap.grad.x": xi.grad})
    a, c = torch.randn(2, 5), torch.randn(2, 5)
    ai, ci = a.clone().requires_grad_(True), c.clone().requires_grad_(True)
    y = ai + ci
    r = torch.randn(y.shape)
    (y * r).sum().backward()
    tensors.update({"add.a": a, "add.b": c, "add.out": y.detach(), "add.dout": r,
                    "add.grad.a": ai.grad, "add.grad.b": ci.grad})
    write_safetensors(os.path.join(OUT, "reference-ops.safetensors"), tensors, meta)
    return 0


if __name__ == "__main__":
    sys.exit(main())
