#!/usr/bin/env python3
"""Expected outputs of torchvision's ResNet18/34/152 for formula-defined
weights and input, for pipeline/deep's equality test.

Regenerate (Debian 12: apt-get install python3-torch python3-torchvision;
torch 1.13.0a0, torchvision 0.14.1a0):

    /usr/bin/python3 testdata/deep/make_reference.py > testdata/deep/torchvision_reference.json

Both sides build the same numbers from formulas, so no weights are committed.
Tensor k (0-based position in state_dict order, num_batches_tracked skipped),
element i (flat index in torchvision's layout), s = sin(0.37·i + 0.91·k):

    conv weight   s / sqrt(fan_in)      fan_in = in_channels · kh · kw
    bn weight     0.5 + 0.25·s
    bn bias       0.1·s
    running_mean  0.1·s
    running_var   1 + 0.5·s
    fc weight     s / sqrt(in_features)
    fc bias       0.1·s

Input x[n, c, h, w] = sin(0.11·i + 0.5), i the flat NCHW index, batch 2,
3 × 64 × 64; head of 10 classes; eval mode (running statistics). The network
runs in float64 so the reference carries no float32 rounding.

"odd": resnet18 and resnet152 as above on a 2 × 3 × 45 × 37 input (same
input formula), which exercises odd sizes in every stride-2 stage.

"embed": what `scirad embed -size 64` must give for embed_input.png (written
here with PIL: 48 wide × 40 high, 8-bit grey, value round(127.5 + 127.5·
sin(0.05·r·c + 0.3·r)) at row r, column c) under resnet18 with the formula
weights: grey/255, F.interpolate to 64 × 64 (bilinear, align_corners=False,
antialias=False), copied to 3 channels, ImageNet mean/std, pooled features.

"train": two torch.optim.SGD steps (lr 0.01, momentum 0.9, no weight decay)
of resnet18 with a 2-class head in training mode (batch statistics). The
sine weights above make training-mode batch norm ill-conditioned (torch's own
float32 and float64 losses differ by 20 %), so training uses hash-like
weights, h = frac(43758.5453·sin(0.37·i + 0.91·k)) − ½ (frac(v) = v − floor(v)):
conv h·√(24/fan_in) (variance 2/fan_in, He), fc.weight 2h/√in, fc.bias 0.1h,
batch norm γ = 1, β = 0, running mean 0, variance 1 (torch's float32 and
float64 then agree to 1e-5). The batch is x[n, c, h, w] = 4·(frac(43758.5453·sin(0.13·i
+ 0.2)) − ½) (a hash-like pseudo-random pattern; frac(v) = v − floor(v)),
4 × 3 × 64 × 64, labels [0, 1, 1, 0], cross-entropy loss. Recorded: the
loss of each step and, for a few tensors, the change new − initial at the 8
flat indices (j·s + ⌊s/2⌋ + 5j) mod size, s = max(⌊size/8⌋, 1),
j = 0…min(7, size − 1) (torchvision layout).
"""
import json
import math
import sys

import torch
import torchvision

N, C, H, W, CLASSES = 2, 3, 64, 64, 10


def formula(name, shape, k):
    n = 1
    for d in shape:
        n *= d
    i = torch.arange(n, dtype=torch.float64)
    s = torch.sin(0.37 * i + 0.91 * k)
    if name.endswith("running_mean"):
        v = 0.1 * s
    elif name.endswith("running_var"):
        v = 1 + 0.5 * s
    elif name == "fc.weight":
        v = s / math.sqrt(shape[1])
    elif name == "fc.bias":
        v = 0.1 * s
    elif len(shape) == 4:
        v = s / math.sqrt(shape[1] * shape[2] * shape[3])
    elif name.endswith(".weight"):
        v = 0.5 + 0.25 * s
    else:
        v = 0.1 * s
    return v.reshape(shape)


def hash_formula(name, shape, k):
    n = 1
    for d in shape:
        n *= d
    v = 43758.5453 * torch.sin(0.37 * torch.arange(n, dtype=torch.float64) + 0.91 * k)
    h = v - torch.floor(v) - 0.5
    if name == "fc.weight":
        v = 2 * h / math.sqrt(shape[1])
    elif name == "fc.bias":
        v = 0.1 * h
    elif len(shape) == 4:
        v = h * math.sqrt(24 / (shape[1] * shape[2] * shape[3]))
    elif name.endswith("running_var") or name.endswith(".weight"):
        v = torch.ones_like(h)
    else:
        v = torch.zeros_like(h)
    return v.reshape(shape)


TRAIN_TENSORS = ["conv1.weight", "bn1.weight", "bn1.running_mean", "bn1.running_var",
                 "layer2.0.downsample.0.weight", "layer4.1.conv2.weight", "layer4.1.bn2.bias",
                 "layer4.1.bn2.running_var", "fc.weight", "fc.bias"]


def train_reference():
    net = torchvision.models.resnet18(weights=None, num_classes=2).double().train()
    sd = net.state_dict()
    names = [k for k in sd if not k.endswith("num_batches_tracked")]
    init = {name: hash_formula(name, list(sd[name].shape), k) for k, name in enumerate(names)}
    net.load_state_dict(init, strict=False)
    n = 4 * 3 * 64 * 64
    v = 43758.5453 * torch.sin(0.13 * torch.arange(n, dtype=torch.float64) + 0.2)
    x = (4 * (v - torch.floor(v) - 0.5)).reshape(4, 3, 64, 64)
    y = torch.tensor([0, 1, 1, 0])
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    losses = []
    for _ in range(2):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(net(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    after = net.state_dict()
    return {"input": [4, 3, 64, 64], "labels": y.tolist(), "lr": 0.01, "momentum": 0.9,
            "losses": losses,
            "delta": {name: sampled(after[name] - init[name]) for name in TRAIN_TENSORS}}


def sampled(t):
    t = t.flatten()
    step = max(t.numel() // 8, 1)
    return [t[(j * step + step // 2 + 5 * j) % t.numel()].item() for j in range(min(8, t.numel()))]


def embed_reference():
    import numpy as np
    from PIL import Image
    r, c = np.meshgrid(np.arange(40), np.arange(48), indexing="ij")
    pix = np.round(127.5 + 127.5 * np.sin(0.05 * r * c + 0.3 * r)).astype(np.uint8)
    Image.fromarray(pix, mode="L").save("testdata/deep/embed_input.png")
    grey = torch.from_numpy(np.array(Image.open("testdata/deep/embed_input.png"))).double() / 255
    x = torch.nn.functional.interpolate(grey[None, None], size=(64, 64), mode="bilinear",
                                        align_corners=False, antialias=False)
    x = x.repeat(1, 3, 1, 1)
    mean = torch.tensor([0.485, 0.456, 0.406], dtype=torch.float64)[None, :, None, None]
    std = torch.tensor([0.229, 0.224, 0.225], dtype=torch.float64)[None, :, None, None]
    x = (x - mean) / std
    net = torchvision.models.resnet18(weights=None, num_classes=CLASSES).double().eval()
    sd = net.state_dict()
    names = [k for k in sd if not k.endswith("num_batches_tracked")]
    net.load_state_dict({name: formula(name, list(sd[name].shape), k) for k, name in enumerate(names)}, strict=False)
    net.fc = torch.nn.Identity()
    with torch.no_grad():
        return {"size": 64, "pooled": net(x)[0].tolist()}


def main():
    out = {"torch": torch.__version__, "torchvision": torchvision.__version__,
           "input": [N, C, H, W], "classes": CLASSES, "nets": {}}
    n = N * C * H * W
    x = torch.sin(0.11 * torch.arange(n, dtype=torch.float64) + 0.5).reshape(N, C, H, W)
    for arch in ["resnet18", "resnet34", "resnet152"]:
        net = getattr(torchvision.models, arch)(weights=None, num_classes=CLASSES).double().eval()
        sd = net.state_dict()
        names = [k for k in sd if not k.endswith("num_batches_tracked")]
        new = {}
        for k, name in enumerate(names):
            new[name] = formula(name, list(sd[name].shape), k)
        net.load_state_dict(new, strict=False)
        feats = {}
        net.avgpool.register_forward_hook(lambda m, i, o: feats.__setitem__("pooled", o.flatten(1)))
        with torch.no_grad():
            logits = net(x)
        out["nets"][arch] = {
            "params": [[name, list(sd[name].shape)] for name in names],
            "pooled": feats["pooled"].tolist(),
            "logits": logits.tolist(),
        }
    out["odd"] = {}
    n = 2 * 3 * 45 * 37
    xo = torch.sin(0.11 * torch.arange(n, dtype=torch.float64) + 0.5).reshape(2, 3, 45, 37)
    for arch in ["resnet18", "resnet152"]:
        net = getattr(torchvision.models, arch)(weights=None, num_classes=CLASSES).double().eval()
        sd = net.state_dict()
        names = [k for k in sd if not k.endswith("num_batches_tracked")]
        net.load_state_dict({name: formula(name, list(sd[name].shape), k) for k, name in enumerate(names)}, strict=False)
        with torch.no_grad():
            out["odd"][arch] = {"input": [2, 3, 45, 37], "logits": net(xo).tolist()}
    out["train"] = train_reference()
    out["embed"] = embed_reference()
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
