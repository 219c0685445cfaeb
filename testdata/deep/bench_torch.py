#!/usr/bin/env python3
"""PyTorch CPU reference timings for pipeline/deep's benchmarks: torchvision
ResNet forward and SGD training-step images/s, batch 8, on this machine's
cores (Debian 12 python3-torch 1.13.0a0).

    /usr/bin/python3 testdata/deep/bench_torch.py resnet18 64 224
"""
import sys
import time

import torch
import torchvision


def bench(arch, size, train, batch=8, seconds=5.0):
    net = getattr(torchvision.models, arch)(weights=None, num_classes=2)
    net.train(train)
    x = torch.rand(batch, 3, size, size)
    y = torch.tensor([0, 1] * (batch // 2))
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)

    def step():
        if train:
            opt.zero_grad()
            torch.nn.functional.cross_entropy(net(x), y).backward()
            opt.step()
        else:
            with torch.no_grad():
                net(x)

    step()
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds or n < 2:
        step()
        n += 1
    return n * batch / (time.perf_counter() - start)


def main():
    arch = sys.argv[1]
    for size in map(int, sys.argv[2:]):
        print(f"{arch} {size} torch {torch.__version__} threads {torch.get_num_threads()}: "
              f"forward {bench(arch, size, False):.2f} img/s, training {bench(arch, size, True):.2f} img/s")


if __name__ == "__main__":
    main()
