#!/usr/bin/env python3
"""Convert a torchvision ResNet state_dict to a safetensors file for scirad.

Usage:
    python3 torch_to_safetensors.py resnet18 out.safetensors [state_dict.pth]

With no .pth file it asks torchvision for the ImageNet weights
(torchvision.models.resnet18(weights="IMAGENET1K_V1"), which downloads them
once); with a .pth file (a saved state_dict, e.g. from
https://download.pytorch.org/models/resnet18-f37072fd.pth) it reads that.

The safetensors format is written by hand (no safetensors package needed):
8-byte little-endian header length, a JSON header
{name: {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}},
then the raw little-endian float32 data. Tensors keep torchvision's names and
layout (convolutions OIHW, fc.weight [out, in]); scirad transposes them to
its channels-last layout when it loads them. num_batches_tracked is dropped.
"""
import json
import struct
import sys

import torch
import torchvision


def write_safetensors(path, tensors, metadata=None):
    header = {}
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name].detach().to(torch.float32).contiguous().cpu()
        data = t.numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    arch, out = sys.argv[1], sys.argv[2]
    if len(sys.argv) == 4:
        sd = torch.load(sys.argv[3], map_location="cpu")
    else:
        sd = getattr(torchvision.models, arch)(weights="IMAGENET1K_V1").state_dict()
    sd = {k: v for k, v in sd.items() if not k.endswith("num_batches_tracked")}
    write_safetensors(out, sd, {"arch": arch, "source": "torchvision " + torchvision.__version__})


if __name__ == "__main__":
    main()
