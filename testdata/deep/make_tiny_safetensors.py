#!/usr/bin/env python3
"""Write tiny.safetensors with torch_to_safetensors.write_safetensors, for the
format test of pipeline/deep (torch 1.13.0a0, Debian 12):

    cd testdata/deep && /usr/bin/python3 make_tiny_safetensors.py

conv.weight: shape [2, 1, 1, 3], values 0.5·i − 1; fc.bias: [3], values 10 + i.
"""
import torch

from torch_to_safetensors import write_safetensors

write_safetensors("tiny.safetensors", {
    "conv.weight": (0.5 * torch.arange(6, dtype=torch.float32) - 1).reshape(2, 1, 1, 3),
    "fc.bias": 10 + torch.arange(3, dtype=torch.float32),
}, {"note": "scirad format test"})
