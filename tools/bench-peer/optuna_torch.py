#!/usr/bin/env python3
"""The Optuna + PyTorch side of tools/bench-peer/run.sh: the same MLPs on the same europe-cities
files as hpsweep's, with the same work per epoch: a shuffled pass of mini-batches recording train
loss and accuracy from each step's own forward pass, then validation and test evaluated in eval
mode. One thread per trial (torch.set_num_threads(1)), as hpsweep's threads_per_trial: 1.

Usage:
  optuna_torch.py grid  DATA_DIR EPOCHS JOBS     the depth/width grid (7 pairs), GridSampler, n_jobs=JOBS
  optuna_torch.py one   DATA_DIR EPOCHS          one trial, depth 6 width 16, batch norm: samples/s
  optuna_torch.py batch1 DATA_DIR ITERATIONS     question 1.4's batch-size-1 epoch (no batch norm): iterations/s
Output: one JSON line. Uses Debian's python3-optuna and python3-torch; installs nothing.
"""
import csv
import gzip
import json
import sys
import time

import torch
from torch import nn

PAIRS = [(1, 16), (2, 16), (6, 16), (10, 16), (6, 8), (6, 32), (6, 64)]


def load(path):
    with gzip.open(path, "rt") as f:
        rows = list(csv.reader(f))[1:]
    x = torch.tensor([[float(r[0]), float(r[1])] for r in rows], dtype=torch.float32)
    y = torch.tensor([int(r[2]) for r in rows], dtype=torch.long)
    return x, y


def mlp(depth, width, batch_norm, classes):
    layers, cin = [], 2
    for _ in range(depth):
        layers.append(nn.Linear(cin, width))
        if batch_norm:
            layers.append(nn.BatchNorm1d(width))
        layers.append(nn.ReLU())
        cin = width
    layers.append(nn.Linear(cin, classes))
    return nn.Sequential(*layers)


def evaluate(net, x, y, loss_fn):
    net.eval()
    with torch.no_grad():
        out = net(x)
        return loss_fn(out, y).item(), (out.argmax(1) == y).float().mean().item()


def train(data, depth, width, batch_norm, epochs, batch, seed, max_iterations=None):
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    (xt, yt), (xv, yv), (xs, ys) = data
    classes = int(max(yt.max(), yv.max(), ys.max())) + 1
    net = mlp(depth, width, batch_norm, classes)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    iterations, start, val_acc = 0, time.perf_counter(), 0.0
    for _ in range(epochs):
        net.train()
        order = torch.randperm(len(xt))
        loss_sum, correct, batches = 0.0, 0, 0
        for i in range(0, len(xt), batch):
            idx = order[i:i + batch]
            out = net(xt[idx])
            loss = loss_fn(out, yt[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss_sum += loss.item()
            correct += (out.argmax(1) == yt[idx]).sum().item()
            batches += 1
            iterations += 1
            if max_iterations and iterations >= max_iterations:
                return {"seconds": time.perf_counter() - start, "iterations": iterations}
        val_acc = evaluate(net, xv, yv, loss_fn)[1]
        evaluate(net, xs, ys, loss_fn)
    return {"seconds": time.perf_counter() - start, "iterations": iterations, "val_accuracy": val_acc}


def main():
    mode, data_dir = sys.argv[1], sys.argv[2]
    data = [load(f"{data_dir}/{split}.csv.gz") for split in ("train", "validation", "test")]
    if mode == "grid":
        import optuna
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        epochs, jobs = int(sys.argv[3]), int(sys.argv[4])
        study = optuna.create_study(direction="maximize",
                                    sampler=optuna.samplers.GridSampler({"pair": list(range(len(PAIRS)))}))

        def objective(trial):
            depth, width = PAIRS[trial.suggest_categorical("pair", list(range(len(PAIRS))))]
            return train(data, depth, width, True, epochs, 256, trial.number)["val_accuracy"]

        start = time.perf_counter()
        study.optimize(objective, n_trials=len(PAIRS), n_jobs=jobs)
        print(json.dumps({"seconds": time.perf_counter() - start, "trials": len(study.trials),
                          "optuna": optuna.__version__, "torch": torch.__version__}))
    elif mode == "one":
        epochs = int(sys.argv[3])
        r = train(data, 6, 16, True, epochs, 256, 1)
        print(json.dumps({"seconds": r["seconds"], "samples": epochs * len(data[0][0]), "torch": torch.__version__}))
    elif mode == "batch1":
        iterations = int(sys.argv[3])
        r = train(data, 6, 16, False, 1, 1, 1, max_iterations=iterations)
        print(json.dumps({"seconds": r["seconds"], "iterations": r["iterations"], "torch": torch.__version__}))
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
