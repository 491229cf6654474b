#!/usr/bin/env python3
"""Prints the figures docs/STUDY.md quotes, as Markdown, from sweeps' logs.

    python3 tools/study/summarize.py [--logs DIR] SWEEP...

Per trial: its searched parameters, epochs run, iterations per epoch, mean seconds per epoch,
validation accuracy after epoch 1, the best validation accuracy (and its epoch), and train/val/test
accuracy and loss at the last epoch; then validation loss at chosen epochs; then, where the trial
recorded gradients, each layer's mean ||g||^2 per epoch. Standard library only.
"""
import argparse
import json
import math
import os
import statistics


def read_jsonl(path):
    rows = []
    if not os.path.exists(path):
        return rows
    with open(path) as f:
        for line in f:
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                pass  # a torn last line of a running sweep
    return rows


def fmt(v, digits=4):
    if v is None:
        return "-"
    if isinstance(v, str):
        return v
    if v != 0 and (abs(v) >= 1e5 or abs(v) < 1e-3):
        return f"{v:.2e}"
    return f"{v:.{digits}f}"


def summarize(logs, sweep, at_epochs):
    root = os.path.join(logs, sweep, "trials")
    print(f"\n### {sweep}\n")
    print("| trial | params | epochs | it/epoch | s/epoch | val acc ep 1 | best val acc (ep) | "
          "final train / val / test acc | final train / val / test loss |")
    print("|---|---|---|---|---|---|---|---|---|")
    grads, losses = [], []
    for trial in sorted(os.listdir(root)):
        spec = json.load(open(os.path.join(root, trial, "trial.json")))
        epochs = read_jsonl(os.path.join(root, trial, "metrics.jsonl"))
        if not epochs:
            continue
        params = ", ".join(f"{k}={v}" for k, v in spec.get("searched", {}).items())
        m = [e["metrics"] for e in epochs]
        best = max(range(len(m)), key=lambda i: m[i]["val_accuracy"])
        last = m[-1]
        print(f"| {trial} | {params} | {len(m)}/{epochs[-1]['epochs']} | {epochs[-1]['iterations']} | "
              f"{statistics.mean(e['seconds'] for e in epochs):.1f} | {fmt(m[0]['val_accuracy'])} | "
              f"{fmt(m[best]['val_accuracy'])} ({best + 1}) | "
              f"{fmt(last['train_accuracy'])} / {fmt(last['val_accuracy'])} / {fmt(last['test_accuracy'])} | "
              f"{fmt(last['train_loss'])} / {fmt(last['val_loss'])} / {fmt(last['test_loss'])} |")
        losses.append((trial, params, {e["epoch"]: e["metrics"] for e in epochs}))
        diags = read_jsonl(os.path.join(root, trial, "diagnostics.jsonl"))
        layers = sorted({int(k.rsplit("_", 1)[1]) for d in diags for k in d if k.startswith("grad_sq_norm_layer_")})
        if layers:
            grads.append((trial, params, layers, diags))
    wanted = [e for e in at_epochs if any(e in l for _, _, l in losses)]
    if wanted:
        print("\nValidation loss / accuracy at epochs " + ", ".join(map(str, wanted)) + ":\n")
        print("| trial | params | " + " | ".join(f"ep {e}" for e in wanted) + " |")
        print("|---|---|" + "---|" * len(wanted))
        for trial, params, by_epoch in losses:
            cells = [f"{fmt(by_epoch[e]['val_loss'], 3)} / {fmt(by_epoch[e]['val_accuracy'], 3)}"
                     if e in by_epoch else "-" for e in wanted]
            print(f"| {trial} | {params} | " + " | ".join(cells) + " |")
    for trial, params, layers, diags in grads:
        print(f"\nMean ||g||^2 per epoch, {trial} ({params}):\n")
        print("| epoch | " + " | ".join(f"layer {l}" for l in layers) + " |")
        print("|---|" + "---|" * len(layers))
        for d in diags:
            cells = []
            for l in layers:
                v = d.get(f"grad_sq_norm_layer_{l}", [None])[0]
                cells.append(fmt(float(v) if isinstance(v, str) else v, 3))
            print(f"| {d['epoch']} | " + " | ".join(cells) + " |")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--logs", default="logs")
    p.add_argument("--at", default="1,5,10,20,50,80,100", help="epochs for the validation-loss table")
    p.add_argument("sweeps", nargs="+")
    a = p.parse_args()
    at = [int(x) for x in a.at.split(",")]
    for s in a.sweeps:
        summarize(a.logs, s, at)


if __name__ == "__main__":
    main()
