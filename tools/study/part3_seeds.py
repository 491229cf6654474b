#!/usr/bin/env python3
"""Part 3 over several seeds: reads the comparison tables tools/study/part3.sh wrote
(logs/study-3-comparison/table.csv for the files' own seed, logs/study-3-comparison-sN/table.csv
for --seed N) and prints, as Markdown:
  - test accuracy per baseline and learning rate: the mean over seeds, the standard deviation,
    and each seed's value;
  - each baseline's test accuracy at its best learning rate by validation accuracy (per seed,
    as a user of the sweep would pick it), mean and standard deviation;
  - how often each baseline was the best and the worst of the five, by that pick.

  tools/study/part3_seeds.py [LOGS_DIR]        (default: logs)
"""
import csv
import pathlib
import statistics
import sys

BASELINES = ["xgboost", "scratch", "probe", "logreg", "finetune"]


def tables(logs):
    found = {}
    for d in sorted(logs.glob("study-3-comparison*")):
        f = d / "table.csv"
        if f.exists():
            seed = d.name[len("study-3-comparison"):].lstrip("-s") or files_seed()
            found[seed] = list(csv.DictReader(f.open()))
    return found


def files_seed():
    """The seed the shipped Part 3 files name (their own run has no suffix)."""
    for line in pathlib.Path("search-spaces/study-3-scratch.yaml").read_text().splitlines():
        if line.startswith("seed:"):
            return line.split(":", 1)[1].strip()
    return "the files'"


def baseline_of(row):
    name = row["baseline"][len("study-3-"):]
    return name.split("-s")[0] if "-s" in name else name


def fmt(values):
    if len(values) == 1:
        return f"{values[0]:.3f}"
    return f"{statistics.mean(values):.3f} ± {statistics.stdev(values):.3f}"


def main():
    logs = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "logs")
    runs = tables(logs)
    if not runs:
        sys.exit(f"part3_seeds.py: no study-3-comparison*/table.csv under {logs}; run tools/study/part3.sh first")
    seeds = list(runs)
    print(f"{len(seeds)} seeds: {', '.join(seeds)}\n")
    cells = {}  # (baseline, lr) -> {seed: test_acc}
    picks = {}  # baseline -> {seed: test_acc of the best-by-validation trial}
    for seed, rows in runs.items():
        for r in rows:
            b = baseline_of(r)
            cells.setdefault((b, r["lr"]), {})[seed] = float(r["test_acc"])
            if r["best"] == "*":
                picks.setdefault(b, {})[seed] = float(r["test_acc"])
    print("| baseline | lr | test accuracy, mean ± sd | " + " | ".join(f"seed {s}" for s in seeds) + " |")
    print("|---|---|---|" + "---|" * len(seeds))
    for b in BASELINES:
        for (bb, lr), by_seed in sorted(cells.items(), key=lambda kv: -float(kv[0][1]) if kv[0][1] != "-" else 0):
            if bb != b:
                continue
            values = [by_seed[s] for s in seeds if s in by_seed]
            print(f"| {b} | {lr} | {fmt(values)} | " + " | ".join(
                f"{by_seed[s]:.3f}" if s in by_seed else "-" for s in seeds) + " |")
    print()
    print("| baseline | test accuracy at the lr picked by validation, mean ± sd | best of the five | worst of the five |")
    print("|---|---|---|---|")
    best = {b: 0 for b in BASELINES}
    worst = {b: 0 for b in BASELINES}
    for s in seeds:
        scores = {b: picks[b][s] for b in BASELINES if s in picks.get(b, {})}
        if len(scores) == len(BASELINES):
            best[max(scores, key=scores.get)] += 1
            worst[min(scores, key=scores.get)] += 1
    for b in BASELINES:
        values = [picks[b][s] for s in seeds if s in picks.get(b, {})]
        print(f"| {b} | {fmt(values)} | {best[b]} of {len(seeds)} | {worst[b]} of {len(seeds)} |")


if __name__ == "__main__":
    main()
