#!/usr/bin/env python3
"""Trains the plate finder network (PlateNet) for `mosaicbeam train-plates`, which calls this script.

Reads annotated images (label files as train-plates writes them: one JSON line per image, "file"
an absolute path and "plates" as [x, y, w, h]) and writes OUT (ONNX): input "image" [1, 3, H, W] float BGR in [0, 1]
(H, W multiples of 32), output "logits" [1, 1, H/4, W/4]: where a plate's middle is (80 % of its
width and 70 % of its height; all of a plate under 40 x 16 px).

Training samples are 320 x 320 crops: most around an annotated plate scaled to a random width
between 10 and 320 px (log-uniform: small plates as often as large ones), the rest anywhere in an
image at a random scale; brightness, contrast, grey, swapped colour channels and blur vary. The
same data, seed and thread count give the same bytes (PyTorch on the CPU, deterministic
algorithms, one seeded generator). Needs PyTorch and Pillow (Debian: python3-torch, python3-pil).
"""
import argparse
import json
import math
import random
import sys

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageDraw, ImageFilter
from torch import nn

CROP = 320
STRIDE = 4


def conv_bn_relu(c_in, c_out, stride=1):
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False), nn.BatchNorm2d(c_out),
                         nn.ReLU(inplace=True))


def separable(c_in, c_out, stride=1):
    return nn.Sequential(nn.Conv2d(c_in, c_in, 3, stride, 1, groups=c_in, bias=False),
                         nn.BatchNorm2d(c_in), nn.ReLU(inplace=True),
                         nn.Conv2d(c_in, c_out, 1, bias=False), nn.BatchNorm2d(c_out),
                         nn.ReLU(inplace=True))


class PlateNet(nn.Module):
    """Depthwise-separable blocks down to 1/32, a feature pyramid back up to 1/4, one logit per cell."""

    def __init__(self, widths=(16, 32, 48, 64, 96), top=32):
        super().__init__()
        w = widths
        self.s2 = conv_bn_relu(3, w[0], 2)
        self.s4 = nn.Sequential(separable(w[0], w[1], 2), separable(w[1], w[1]))
        self.s8 = nn.Sequential(separable(w[1], w[2], 2), separable(w[2], w[2]))
        self.s16 = nn.Sequential(separable(w[2], w[3], 2), separable(w[3], w[3]))
        self.s32 = nn.Sequential(separable(w[3], w[4], 2), separable(w[4], w[4]))
        self.lateral = nn.ModuleList(nn.Conv2d(c, top, 1) for c in w[1:])
        self.head = nn.Sequential(separable(top, top), nn.Conv2d(top, 1, 1))

    def forward(self, x):
        f4 = self.s4(self.s2(x))
        f8 = self.s8(f4)
        f16 = self.s16(f8)
        f32 = self.s32(f16)
        p = self.lateral[3](f32)
        for lateral, f in ((self.lateral[2], f16), (self.lateral[1], f8), (self.lateral[0], f4)):
            p = F.interpolate(p, size=f.shape[2:], mode="nearest") + lateral(f)
        return self.head(p)


def read_labels(files):
    items = []
    for labels in files:
        with open(labels, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    d = json.loads(line)
                    items.append((d["file"], d["plates"]))
    return items


def sample(image, plates, rng):
    """One crop (3 x 320 x 320 floats, BGR in [0, 1]), its target and its weight at 1/4."""
    if plates and rng.random() < 0.7:
        x, y, w, h = plates[rng.randrange(len(plates))]
        width = math.exp(rng.uniform(math.log(10), math.log(320)))
        s = min(max(width / max(w, 1), 0.15), 3.0)
        cx = (x + w / 2) * s + rng.uniform(-CROP / 2.5, CROP / 2.5)
        cy = (y + h / 2) * s + rng.uniform(-CROP / 2.5, CROP / 2.5)
    else:
        s = math.exp(rng.uniform(math.log(0.3), math.log(1.5)))
        cx = rng.uniform(0, image.width * s)
        cy = rng.uniform(0, image.height * s)
    # PIL's affine maps output to input pixels
    x0, y0 = cx - CROP / 2, cy - CROP / 2
    crop = image.transform((CROP, CROP), Image.AFFINE, (1 / s, 0, x0 / s, 0, 1 / s, y0 / s),
                           resample=Image.BILINEAR)
    if rng.random() < 0.3:
        crop = crop.filter(ImageFilter.GaussianBlur(rng.choice([0.8, 1.5])))
    target = Image.new("L", (CROP // STRIDE, CROP // STRIDE))
    cover = Image.new("L", (CROP // STRIDE, CROP // STRIDE))
    t, c = ImageDraw.Draw(target), ImageDraw.Draw(cover)
    for x, y, w, h in plates:
        bx, by, bw, bh = (x * s - x0) / STRIDE, (y * s - y0) / STRIDE, w * s / STRIDE, h * s / STRIDE
        c.rectangle([bx, by, bx + bw, by + bh], fill=1)
        dx = 0.1 * bw if bw * STRIDE > 40 else 0
        dy = 0.15 * bh if bh * STRIDE > 16 else 0
        t.rectangle([bx + dx, by + dy, bx + bw - dx, by + bh - dy], fill=1)
    x = np.asarray(crop, dtype=np.float32)[:, :, ::-1] / 255  # RGB -> BGR, as OpenCV decodes
    x = (x - 0.5) * rng.uniform(0.6, 1.4) + 0.5 + rng.uniform(-0.2, 0.2)
    if rng.random() < 0.2:
        x = np.repeat(x.mean(2, keepdims=True), 3, 2)
    if rng.random() < 0.3:
        x = x[:, :, rng.sample(range(3), 3)]
    target = np.asarray(target, dtype=np.float32)
    # the plate's rim around its middle is neither plate nor background
    weight = np.where((np.asarray(cover) > 0) & (target == 0), 0, 1).astype(np.float32)
    return np.ascontiguousarray(np.clip(x, 0, 1).transpose(2, 0, 1)), target, weight


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("labels", nargs="+")
    p.add_argument("--steps", type=int, default=6000)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--seed", type=int, default=20261202)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(a.seed)
    rng = random.Random(a.seed)

    items = read_labels(a.labels)
    images = [Image.open(path).convert("RGB") for path, _ in items]
    net = PlateNet()
    opt = torch.optim.AdamW(net.parameters(), 2e-3, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(opt, 3e-3, total_steps=a.steps)
    running = None
    for step in range(a.steps):
        batch = [sample(images[i], items[i][1], rng)
                 for i in (rng.randrange(len(items)) for _ in range(a.batch))]
        x, target, weight = (torch.from_numpy(np.stack(v)) for v in zip(*batch))
        logits = net(x)[:, 0]
        bce = F.binary_cross_entropy_with_logits(logits, target, weight=weight * (1 + 4 * target))
        prob = torch.sigmoid(logits) * weight
        dice = 1 - (2 * (prob * target).sum() + 1) / (prob.sum() + target.sum() + 1)
        loss = bce + dice
        opt.zero_grad()
        loss.backward()
        opt.step()
        schedule.step()
        running = loss.item() if running is None else 0.98 * running + 0.02 * loss.item()
        if step % 500 == 0 or step == a.steps - 1:
            print(f"train-plate-net: step {step + 1}/{a.steps}, loss {running:.3f}",
                  file=sys.stderr, flush=True)
    net.eval()
    torch.onnx.export(net, torch.zeros(1, 3, 736, 1280), a.out, input_names=["image"],
                      output_names=["logits"],
                      dynamic_axes={"image": {2: "height", 3: "width"},
                                    "logits": {2: "height", 3: "width"}},
                      opset_version=13)
    print(f"train-plate-net: written {a.out}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
