#!/usr/bin/env python3
"""Trains the plate verifier network for `mosaicbeam train-plates` (which calls this script).

Reads the candidate crops train-plates wrote into WORK (crops.u8: N x 32 x 80 x 3 BGR bytes, as
PlateVerifier.crop cuts them; samples.csv: fold, label 1 plate / 0 background / -1 left out,
augmented 0/1), and writes into WORK:
  cv_scores.txt  each sample's score from the model of the fold that held it out (NaN: no folds)
  scores.txt     each sample's score from the model trained on everything
  model.onnx     that model: input "crops" [N, 3, 32, 80] float BGR in [0, 1], output "score" [N]

The same WORK, seed and thread count give the same bytes: PyTorch on the CPU with deterministic
algorithms, one generator seeded per fit. Needs PyTorch (Debian: python3-torch).
"""
import argparse
import math
import os
import sys

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

HEIGHT, WIDTH = 32, 80
CHANNELS = (16, 32, 64, 64)


class Verifier(nn.Module):
    """Four 3x3 convolution blocks (the first three halve the size), mean over the map, one score."""

    def __init__(self):
        super().__init__()
        layers, c_in = [], 3
        for i, c in enumerate(CHANNELS):
            layers += [nn.Conv2d(c_in, c, 3, padding=1, bias=False), nn.BatchNorm2d(c), nn.ReLU()]
            if i < len(CHANNELS) - 1:
                layers.append(nn.MaxPool2d(2))
            c_in = c
        self.features = nn.Sequential(*layers)
        self.score = nn.Linear(c_in, 1)

    def forward(self, x):
        return self.score(self.features(x).mean((2, 3))).squeeze(1)


class Exported(nn.Module):
    """What the Java side runs: the probability, not the logit."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, crops):
        return torch.sigmoid(self.net(crops))


def augment(x, g):
    """Contrast and brightness jitter, some crops grey, some with their colour channels swapped:
    plates of other countries differ in colour more than in shape."""
    n = len(x)
    contrast = torch.empty(n, 1, 1, 1).uniform_(0.6, 1.4, generator=g)
    bright = torch.empty(n, 1, 1, 1).uniform_(-0.2, 0.2, generator=g)
    x = (x - 0.5) * contrast + 0.5 + bright
    grey = torch.rand(n, generator=g) < 0.3
    x[grey] = x[grey].mean(1, keepdim=True).expand(-1, 3, -1, -1)
    swap = torch.rand(n, generator=g) < 0.3
    x[swap] = x[swap][:, torch.randperm(3, generator=g)]
    # Plates under 60 px wide are most of the misses: show some crops as a small plate looks once
    # cut out and enlarged to 80x32 (shrunk to 25-60 % and back).
    small = torch.rand(n, generator=g) < 0.35
    if small.any():
        s = float(torch.empty(1).uniform_(0.25, 0.6, generator=g))
        size = (max(4, round(HEIGHT * s)), max(8, round(WIDTH * s)))
        shrunk = F.interpolate(x[small], size=size, mode="area")
        x[small] = F.interpolate(shrunk, size=(HEIGHT, WIDTH), mode="bilinear", align_corners=False)
    return x.clamp(0, 1)


def fit(x, y, epochs, seed):
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    net = Verifier()
    steps = epochs * math.ceil(len(x) / 128)
    opt = torch.optim.AdamW(net.parameters(), 1e-3, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(opt, 3e-3, total_steps=steps)
    loss = nn.BCEWithLogitsLoss()
    for _ in range(epochs):
        net.train()
        order = torch.randperm(len(x), generator=g)
        for i in range(0, len(x), 128):
            batch = order[i:i + 128]
            opt.zero_grad()
            loss(net(augment(x[batch], g)), y[batch]).backward()
            opt.step()
            schedule.step()
    return net.eval()


def scores(net, x):
    with torch.no_grad():
        return torch.cat([torch.sigmoid(net(x[i:i + 1024])) for i in range(0, len(x), 1024)])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("work")
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--epochs", type=int, default=16)
    p.add_argument("--seed", type=int, default=20261202)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.use_deterministic_algorithms(True)

    meta = np.loadtxt(os.path.join(a.work, "samples.csv"), delimiter=",", skiprows=1,
                      dtype=np.int64, ndmin=2)
    fold, label = meta[:, 0], meta[:, 1]
    raw = np.fromfile(os.path.join(a.work, "crops.u8"), dtype=np.uint8)
    x = torch.from_numpy(raw.reshape(len(meta), HEIGHT, WIDTH, 3)).permute(0, 3, 1, 2).float() / 255
    y = torch.from_numpy(label).float()
    learn = label >= 0

    cv = np.full(len(meta), np.nan, dtype=np.float32)
    for f in range(a.folds):
        train = torch.from_numpy(learn & (fold != f))
        held = np.where(fold == f)[0]
        if not train.any() or len(held) == 0:
            continue
        net = fit(x[train], y[train], a.epochs, a.seed + 1 + f)
        cv[held] = scores(net, x[torch.from_numpy(held)]).numpy()
        print(f"train-plate-verifier: fold {f + 1}/{a.folds} done", file=sys.stderr, flush=True)
    np.savetxt(os.path.join(a.work, "cv_scores.txt"), cv, fmt="%.6f")

    every = torch.from_numpy(learn)
    net = fit(x[every], y[every], a.epochs, a.seed)
    np.savetxt(os.path.join(a.work, "scores.txt"), scores(net, x).numpy(), fmt="%.6f")
    torch.onnx.export(Exported(net), torch.zeros(1, 3, HEIGHT, WIDTH),
                      os.path.join(a.work, "model.onnx"), input_names=["crops"],
                      output_names=["score"], dynamic_axes={"crops": {0: "n"}, "score": {0: "n"}},
                      opset_version=13)
    print("train-plate-verifier: model written", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
