#!/usr/bin/env python3
"""Summarises a JFR recording's Java execution samples (docs/BENCHMARKS.md's profile tables):
the share of samples by thread, the top frames, and the inclusive share of the ND4J/JavaCPP
methods the per-op overhead goes through.

Usage: tools/bench/jfr_top.py RECORDING.jfr [TOP]
Record with: HPSWEEP_JAVA_OPTS=-XX:StartFlightRecording=filename=X.jfr,settings=profile bin/hpsweep bench ...
"""
import collections
import re
import subprocess
import sys

WATCH = ["DeallocatorService.pickObject", "DeallocatorService$DeallocatorServiceThread.run", "getUniqueId",
         "LongBuffer.<init>", "NativeOpExecutioner.createShapeInfo", "NativeOpExecutioner.tadShapeInfoAndOffsets",
         "ConcurrentHashMap.addCount", "javacpp.Pointer.init", "javacpp.Pointer.deallocator",
         "CpuOpContext.<init>", "ComputationGraph.fit", "ComputationGraph.output", "dev.hpsweep"]

text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", sys.argv[1]], capture_output=True,
                      text=True, check=True).stdout
top_n = int(sys.argv[2]) if len(sys.argv) > 2 else 15
threads, top, inclusive = collections.Counter(), collections.Counter(), collections.Counter()
n = 0
for event in text.split("jdk.ExecutionSample")[1:]:
    frames = re.findall(r"^\s+([\w$.<>]+)\(", event, re.M)
    if not frames:
        continue
    n += 1
    m = re.search(r'sampledThread = "([^"]*)"', event)
    threads[re.sub(r"[-_ ]?\d+$", "", m.group(1)) if m else "?"] += 1
    top[frames[0]] += 1
    for w in WATCH:
        if any(w in f for f in frames):
            inclusive[w] += 1
print(f"{n} samples")
print("threads:", ", ".join(f"{t} {c / n:.0%}" for t, c in threads.most_common(6)))
print("top frames:")
for f, c in top.most_common(top_n):
    print(f"  {c / n:6.1%}  {f}")
print("inclusive (a sample counts for each watched method on its stack):")
for w in WATCH:
    print(f"  {inclusive[w] / n:6.1%}  {w}")
