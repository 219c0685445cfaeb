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
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
