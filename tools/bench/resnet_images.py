#!/usr/bin/env python3
"""The PyTorch side of `hpsweep bench --only resnet`: the same ResNet18 as hpsweep's resnet18
model type (3x3 stride-1 stem without max-pool, [2, 2, 2, 2] basic blocks of width, 2, 4, 8 x
width channels, batch norm, global average pooling, linear head), trained with Adam on the same
number of random 1 x H x W images, batch size and threads, one thread per trial like hpsweep.

Usage: resnet_images.py WIDTH HEIGHT IMAGES BATCH CLASSES THREADS
Output: one JSON line {"train_seconds", "images", "torch"}. Uses Debian's python3-torch.
"""
import json
import sys
import time

import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.proj = None
        if stride != 1 or cin != cout:
            self.proj = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = torch.relu(self.b1(self.c1(x)))
        y = self.b2(self.c2(y))
        return torch.relu(y + (x if self.proj is None else self.proj(x)))


def resnet18(width, classes):
    layers = [nn.Conv2d(1, width, 3, 1, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU()]
    cin = width
    for stage in range(4):
        cout = width << stage
        for block in range(2):
            layers.append(Block(cin, cout, 2 if stage > 0 and block == 0 else 1))
            cin = cout
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, classes)]
    return nn.Sequential(*layers)


def main(width, size, images, batch, classes, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    net = resnet18(width, classes)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x = torch.rand(images, 1, size, size)
    y = torch.randint(0, classes, (images,))
    loss_fn = nn.CrossEntropyLoss()
    net.train()
    for i in range(0, batch * 2, batch):  # warm-up, not timed
        opt.zero_grad()
        loss_fn(net(x[i:i + batch]), y[i:i + batch]).backward()
        opt.step()
    t0 = time.perf_counter()
    for i in range(0, images, batch):
        opt.zero_grad()
        loss_fn(net(x[i:i + batch]), y[i:i + batch]).backward()
        opt.step()
    print(json.dumps({"train_seconds": time.perf_counter() - t0, "images": images, "torch": torch.__version__}))


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:7]))
