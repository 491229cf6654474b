#!/usr/bin/env python3
"""How much one training thread slows down when the machine's other core is busy with something
that shares nothing with it (docs/BENCHMARKS.md, "The machine's own ceiling on (b)").

One depth-6 MLP trial (europe-cities, batch 256, one native thread) trains for EPOCHS epochs with
bin/hpsweep while a neighbour process is paused and resumed (SIGSTOP/SIGCONT) every PERIOD
seconds, from its 9th epoch on (the JIT's warm-up is left out). Each epoch that ran wholly while
the neighbour ran is compared with the epochs that ran wholly while it was paused: the two kinds
alternate within one run, so the machine's drift from minute to minute (large on a shared virtual
machine) falls on both. Neighbours, one such run each:
  latency    a C loop of one dependent integer chain (uses little of a core);
  throughput a C loop of eight independent integer chains (keeps a core's ALUs busy);
  simd       a C loop of eight independent AVX-512 (else AVX2) multiply-adds;
  trial      a second hpsweep JVM training the same network (what bench (b) puts there).
The neighbours are separate processes: no JVM, heap, lock, cache or allocator is shared, so what
slows the trial is the machine under it, and the trial's own JVM threads taking turns with it.
Two trials in two JVMs cannot exceed 2 / (the "trial" ratio) on the machine that printed it; two in
one JVM (bench (b)) come near it.

Usage: tools/bench/neighbour.py [EPOCHS] [PERIOD]   (default 100 epochs, 3 s; needs gcc; build
       first; one measurement at a time on the machine)
"""
import json
import os
import pathlib
import signal
import statistics
import subprocess
import sys
import tempfile
import time

root = pathlib.Path(__file__).resolve().parents[2]
epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 100
period = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
work = pathlib.Path(tempfile.mkdtemp(prefix="hpsweep-neighbour-"))

HOG = r"""
#include <immintrin.h>
#include <stdlib.h>
int main(int argc, char **argv) {
  int mode = atoi(argv[1]);
  volatile unsigned long sink = 0;
  if (mode == 0) {
    unsigned long s = 0;
    for (unsigned long i = 0;; i++) { s += i ^ (s >> 3); if ((i & 0xffffff) == 0) sink = s; }
  } else if (mode == 1) {
    unsigned long a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8;
    for (unsigned long i = 0;; i++) {
      a = a * 3 + i; b = b * 5 + i; c = c * 7 + i; d = d * 9 + i;
      e += (e >> 1) ^ i; f += (f >> 2) ^ i; g += (g >> 3) ^ i; h += (h >> 4) ^ i;
      if ((i & 0xffffff) == 0) sink = a + b + c + d + e + f + g + h;
    }
  } else {
#ifdef __AVX512F__
    __m512 acc[8], m = _mm512_set1_ps(0.999999f), k = _mm512_set1_ps(1e-7f);
    for (int j = 0; j < 8; j++) acc[j] = _mm512_set1_ps((float) j);
    for (unsigned long i = 0;; i++) {
      for (int j = 0; j < 8; j++) acc[j] = _mm512_fmadd_ps(acc[j], m, k);
      if ((i & 0xffffff) == 0) { float o[16]; _mm512_storeu_ps(o, acc[i & 7]); sink = (unsigned long) o[0]; }
    }
#else
    __m256 acc[8], m = _mm256_set1_ps(0.999999f), k = _mm256_set1_ps(1e-7f);
    for (int j = 0; j < 8; j++) acc[j] = _mm256_set1_ps((float) j);
    for (unsigned long i = 0;; i++) {
      for (int j = 0; j < 8; j++) acc[j] = _mm256_fmadd_ps(acc[j], m, k);
      if ((i & 0xffffff) == 0) { float o[8]; _mm256_storeu_ps(o, acc[i & 7]); sink = (unsigned long) o[0]; }
    }
#endif
  }
  return (int) sink;
}
"""


def compile_hog():
    src = work / "hog.c"
    src.write_text(HOG)
    exe = work / "hog"
    subprocess.run(["gcc", "-O2", "-march=native", "-o", str(exe), str(src)], check=True)
    return exe


def space(directory, epochs):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "t.yaml").write_text(f"""name: neighbour
seed: 42
dataset: {{name: europe-cities}}
model: {{type: mlp}}
objective: {{metric: val_accuracy, mode: max}}
epochs: {epochs}
fixed: {{depth: 6, width: 16, batch_norm: true, optimizer: adam, batch_size: 256}}
search: {{strategy: grid, params: [{{lr: [0.001]}}]}}
execution: {{max_concurrent_trials: 1, threads_per_trial: 1}}
early_stopping: {{type: none}}
""")
    subprocess.run(["rm", "-rf", str(directory / "logs"), str(directory / "checkpoints")])
    return subprocess.Popen([str(root / "bin" / "hpsweep"), "run", "t.yaml"], cwd=directory,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def epochs_of(directory):
    """(start, end) in seconds since the epoch of each epoch record, in order."""
    found = list((directory / "logs" / "neighbour" / "trials").glob("*/metrics.jsonl"))
    if not found:
        return []
    spans = []
    for line in found[0].read_text().splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            break  # a line being written
        end = record["timeMillis"] / 1000.0
        spans.append((end - record["seconds"], end))
    return spans


def thread_cpu(pid):
    """CPU seconds (user + system) of each of the process's threads, by thread id."""
    tick = os.sysconf("SC_CLK_TCK")
    cpu = {}
    for task in pathlib.Path(f"/proc/{pid}/task").glob("*"):
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
            cpu[task.name] = (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            pass
    return cpu


def one_run(hog, arg):
    """Each whole epoch of the trial, from its 9th: (wall s, training thread's CPU s, neighbour state),
    the state True if it ran wholly beside the running neighbour, False if wholly beside it paused."""
    if arg == "jvm":
        neighbour = space(work / "neighbour", 10 * epochs)
    else:
        neighbour = subprocess.Popen([str(hog), arg])
    trial = space(work / "trial", epochs)
    running = True  # neighbour's state
    samples = []  # (time, {thread id: CPU s}) of the trial's JVM
    changes = []  # (time, running after it)
    try:
        while trial.poll() is None and len(epochs_of(work / "trial")) < 8:
            time.sleep(0.1)
        next_flip = time.time()
        while trial.poll() is None:
            if time.time() >= next_flip:
                running = not running
                os.kill(neighbour.pid, signal.SIGCONT if running else signal.SIGSTOP)
                changes.append((time.time(), running))
                next_flip += period
            samples.append((time.time(), thread_cpu(trial.pid)))
            time.sleep(0.02)
    finally:
        os.kill(neighbour.pid, signal.SIGCONT)
        neighbour.kill()
        neighbour.wait()
    if trial.returncode != 0:
        sys.exit(f"neighbour.py: the trial's sweep failed (see {work}/trial/logs)")
    # the training thread: the one that used the most CPU while the neighbour was toggled
    used = {}
    for _, cpu in samples:
        for tid, seconds in cpu.items():
            low, high = used.get(tid, (seconds, seconds))
            used[tid] = (min(low, seconds), max(high, seconds))
    trainer = max(used, key=lambda tid: used[tid][1] - used[tid][0])

    def cpu_at(t):
        return min(samples, key=lambda sample: abs(sample[0] - t))[1].get(trainer, 0.0)

    whole = []
    margin = 0.05
    for start, end in epochs_of(work / "trial")[8:]:
        for i, (t, run) in enumerate(changes):
            next_t = changes[i + 1][0] if i + 1 < len(changes) else float("inf")
            if t + margin <= start and end <= next_t - margin:
                whole.append((end - start, cpu_at(end) - cpu_at(start), run))
    return whole


def main():
    hog = compile_hog()
    modes = {"latency": "0", "throughput": "1", "simd": "2", "trial": "jvm"}
    print(f"{epochs} epochs per run, neighbour paused and resumed every {period:g} s. Median epoch, wall s "
          f"(the training thread's CPU s), neighbour paused -> running:")
    ratios = {}
    for mode, arg in modes.items():
        whole = one_run(hog, arg)
        paused = [(w, c) for w, c, run in whole if not run]
        beside = [(w, c) for w, c, run in whole if run]
        if not beside or not paused:
            sys.exit(f"neighbour.py: too few whole epochs on one side under '{mode}'; raise EPOCHS or PERIOD")
        pw, pc = (statistics.median(x) for x in zip(*paused))
        bw, bc = (statistics.median(x) for x in zip(*beside))
        ratios[mode] = bw / pw
        print(f"  {mode:<10} {pw:.3f} ({pc:.3f}) -> {bw:.3f} ({bc:.3f}): wall {bw / pw:.2f}x, CPU {bc / pc:.2f}x   "
              f"[{len(paused)} and {len(beside)} epochs]", flush=True)
    print(f"ceiling on bench (b) here: 2 / {ratios['trial']:.2f} = {2 / ratios['trial']:.2f}x")


if __name__ == "__main__":
    main()
