#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The PyTorch peer of bench-train.c, same models, data and split:
#   torch_train.py mlp DATA.csv [THREADS] | cnn [THREADS] | cnn-file IMAGE [THREADS]
# Prints one JSON line. cnn-file decodes with Pillow as ts-cnn does: a
# scaled JPEG decode (draft) when the image is much larger, an area average
# (box filter) down to 64 × 64, then (v / 255 - 0.5) / 0.5.
import json
import sys
import time

import numpy as np
import pandas as pd
import torch
import torch.nn as nn

FEATURES = ["valence", "year", "acousticness", "danceability", "duration_ms", "energy",
            "instrumentalness", "key", "liveness", "loudness", "popularity", "speechiness",
            "tempo"]


def mlp(path):
    df = pd.read_csv(path, usecols=FEATURES)[FEATURES].astype("float64")
    scaled = ((df - df.min()) / (df.max() - df.min())).astype("float32")
    y = torch.tensor(scaled["popularity"].to_numpy()).reshape(-1, 1)
    x = torch.tensor(scaled.drop(columns=["popularity"]).to_numpy())
    n = len(df)
    n_train = n - n // 10
    model = nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                          nn.Linear(32, 1))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()
    t0 = time.perf_counter()
    for _ in range(5):
        perm = torch.randperm(n_train)
        for start in range(0, n_train, 256):
            idx = perm[start:start + 256]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
    epoch_s = (time.perf_counter() - t0) / 5
    with torch.no_grad():
        mse = loss_fn(model(x[n_train:]), y[n_train:]).item()
    print(json.dumps({"rows": n, "epoch_s": round(epoch_s, 4), "val_mse": round(mse, 6)}))


IMAGE_SIZE, BATCH = 64, 32


def default_cnn():
    """The network ts_cnn_build_network () makes with the from-scratch defaults."""
    layers, channels = [], 3
    for filters in (16, 32, 64):
        layers += [nn.Conv2d(channels, filters, 3, padding="same"), nn.BatchNorm2d(filters),
                   nn.ReLU(), nn.MaxPool2d(2)]
        channels = filters
    side = IMAGE_SIZE // 8
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(channels * side * side, 64), nn.ReLU(),
                         nn.Dropout(0.3), nn.Linear(64, 13))


def cnn():
    model = default_cnn()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(BATCH, 3, IMAGE_SIZE, IMAGE_SIZE)
    y = torch.rand(BATCH, 13)
    steps = 20
    for s in range(-2, steps):
        if s == 0:
            t0 = time.perf_counter()
        opt.zero_grad()
        loss = nn.MSELoss()(model(x), y)
        loss.backward()
        opt.step()
    train_s = time.perf_counter() - t0
    model.eval()
    times = []
    with torch.no_grad():
        for _ in range(50):
            t = time.perf_counter()
            model(x[:1])
            times.append(time.perf_counter() - t)
    print(json.dumps({"images_per_s": round(BATCH * steps / train_s, 1),
                      "infer_ms": round(float(np.median(times)) * 1e3, 3),
                      "image_size": IMAGE_SIZE, "batch": BATCH}))


def cnn_file(path):
    from PIL import Image

    model = default_cnn().eval()
    times = []
    with torch.no_grad():
        for i in range(-2, 50):
            t = time.perf_counter()
            with Image.open(path) as image:
                image.draft("RGB", (IMAGE_SIZE, IMAGE_SIZE))
                image = image.convert("RGB").resize((IMAGE_SIZE, IMAGE_SIZE), Image.BOX)
            x = torch.from_numpy(np.asarray(image, dtype=np.float32)).permute(2, 0, 1)
            x = (x / 255.0 - 0.5) / 0.5
            model(x.unsqueeze(0))
            if i >= 0:
                times.append(time.perf_counter() - t)
    print(json.dumps({"decode_infer_ms": round(float(np.median(times)) * 1e3, 3)}))


if __name__ == "__main__":
    mode = sys.argv[1]
    first_optional = 3 if mode in ("mlp", "cnn-file") else 2
    if len(sys.argv) > first_optional:
        torch.set_num_threads(int(sys.argv[first_optional]))
    if mode == "mlp":
        mlp(sys.argv[2])
    elif mode == "cnn-file":
        cnn_file(sys.argv[2])
    else:
        cnn()
