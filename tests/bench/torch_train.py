#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The PyTorch peer of bench-train.c, same models, data and split:
#   torch_train.py mlp DATA.csv [THREADS] | cnn [THREADS]
# Prints one JSON line.
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


def cnn():
    model = nn.Sequential(nn.Conv2d(3, 16, 3, padding="same"), nn.BatchNorm2d(16), nn.ReLU(),
                          nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding="same"),
                          nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(32 * 16 * 16, 13))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(32, 3, 64, 64)
    y = torch.rand(32, 13)
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
    print(json.dumps({"images_per_s": round(32 * steps / train_s, 1),
                      "infer_ms": round(float(np.median(times)) * 1e3, 3)}))


if __name__ == "__main__":
    mode = sys.argv[1]
    threads = sys.argv[3 if mode == "mlp" else 2] if len(sys.argv) > (3 if mode == "mlp" else 2) else None
    if threads:
        torch.set_num_threads(int(threads))
    mlp(sys.argv[2]) if mode == "mlp" else cnn()
