#!/usr/bin/env python3
"""Resident memory of one JVM over a long sequential sweep (docs/BENCHMARKS.md, "Memory over a
50-trial sweep"): runs bin/hpsweep on a generated sweep of TRIALS small MLP trials, one at a time,
samples the JVM's resident set size (VmRSS) every 0.2 s, and prints the peak RSS up to the end
of trial 1, 2, 5, 10, 20, ... and the last one. Flat figures mean each trial's native memory is
given back; a climb of the same amount per trial is a leak.

Usage: tools/bench/rss_sweep.py [TRIALS] [EPOCHS] [CONCURRENT] [MODEL]
       (default 50 trials x 1 epoch, 1 at a time, MODEL mlp; build first)
MODEL resnet18: ResNet18 width 16 on fashion-shirts, batch 32, instead of the depth-6 MLP on
europe-cities (oneDNN's convolutions keep caches of their own, so their memory is worth watching).
Extra JVM options come from HPSWEEP_JAVA_OPTS as for bin/hpsweep.
"""
import json
import pathlib
import subprocess
import sys
import tempfile
import time

root = pathlib.Path(__file__).resolve().parents[2]
trials = int(sys.argv[1]) if len(sys.argv) > 1 else 50
epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
concurrent = int(sys.argv[3]) if len(sys.argv) > 3 else 1
model = sys.argv[4] if len(sys.argv) > 4 else "mlp"
if model not in ("mlp", "resnet18"):
    sys.exit(f"rss_sweep.py: MODEL must be mlp or resnet18, not {model!r}")
dataset, fixed = (("europe-cities", "depth: 6, width: 16, batch_norm: true, batch_size: 256") if model == "mlp"
                  else ("fashion-shirts", "width: 16, batch_size: 32"))
work = pathlib.Path(tempfile.mkdtemp(prefix="hpsweep-rss-"))
space = work / "rss.yaml"
lrs = ", ".join(f"{0.0005 + 0.0001 * i:.4f}" for i in range(trials))
space.write_text(f"""name: rss
seed: 7
dataset: {{name: {dataset}}}
model: {{type: {model}}}
objective: {{metric: val_accuracy, mode: max}}
epochs: {epochs}
fixed: {{{fixed}}}
search: {{strategy: grid, params: [{{lr: [{lrs}]}}]}}
execution: {{max_concurrent_trials: {concurrent}, threads_per_trial: 1}}
early_stopping: {{type: none}}
""")
proc = subprocess.Popen([str(root / "bin/hpsweep"), "run", str(space), "--logs", str(work / "logs"),
                         "--checkpoints", str(work / "checkpoints")], stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL)
samples = []
while proc.poll() is None:
    try:
        for line in pathlib.Path(f"/proc/{proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                samples.append((time.time() * 1000, int(line.split()[1]) / 1024))
    except FileNotFoundError:
        break
    time.sleep(0.2)
ends = []
for f in sorted((work / "logs/rss/trials").glob("*/metrics.jsonl")):
    last = f.read_text().splitlines()[-1]
    ends.append(json.loads(last)["timeMillis"])
ends.sort()
print(f"{trials} {model} trials x {epochs} epoch(s), {concurrent} at a time, one JVM; exit code {proc.returncode}")
print("after trial   peak RSS so far (MiB)")
marks = sorted({1, 2, 5, 10, 20, 30, 40, 50, 75, 100, 150, 200, trials} & set(range(1, len(ends) + 1)))
for k in marks:
    peak = max((rss for t, rss in samples if t <= ends[k - 1]), default=float("nan"))
    print(f"{k:11d}   {peak:8.0f}")
print(f"whole run     {max(rss for _, rss in samples):8.0f}")
